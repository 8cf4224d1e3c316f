// SPDX-License-Identifier: MIT
/*
 * Kernel threads on pthreads (<linux/kthread.h>) and `current` (<linux/sched.h>). A task_struct
 * lives as long as its references: the thread's own (dropped by kthread_stop, or at exit when
 * nobody stops it) and get_task_struct()'s.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/kthread.h>

#include "base/base.h"
#include "mm/mm.h"

struct kdma_kthread {
	struct task_struct task;
	int (*fn)(void *data);
	void *data;
	pthread_t thread;
	atomic_int refs;
	atomic_bool should_stop;
	bool started; /* set by wake_up_process, before the thread exists */
	bool joined;
	int result;
};

static __thread struct task_struct *current_task;
static __thread struct task_struct plain_task; /* `current` of threads that are not kthreads */

struct task_struct *kdma_current(void)
{
	if (current_task)
		return current_task;
	plain_task.pid = (pid_t)syscall(SYS_gettid);
	pthread_getname_np(pthread_self(), plain_task.comm, sizeof(plain_task.comm));
	current_task = &plain_task;
	return current_task;
}

static struct kdma_kthread *to_kthread(struct task_struct *t)
{
	return t ? t->kdma_kthread : NULL;
}

void get_task_struct(struct task_struct *t)
{
	struct kdma_kthread *k = to_kthread(t);

	if (k)
		atomic_fetch_add(&k->refs, 1);
}

void put_task_struct(struct task_struct *t)
{
	struct kdma_kthread *k = to_kthread(t);

	if (k && atomic_fetch_sub(&k->refs, 1) == 1)
		free(k);
}

static void *kthread_main(void *arg)
{
	struct kdma_kthread *k = arg;

	current_task = &k->task;
	k->task.pid = (pid_t)syscall(SYS_gettid);
	pthread_setname_np(pthread_self(), k->task.comm);
	k->result = k->fn(k->data);
	return NULL;
}

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
					   const char namefmt[], ...)
{
	struct kdma_kthread *k;
	va_list ap;

	(void)node;
	if (!threadfn) {
		kdma_warn(NULL, "kthread_create: no thread function");
		return ERR_PTR(-EINVAL);
	}
	k = calloc(1, sizeof(*k));
	if (!k)
		return ERR_PTR(-ENOMEM);
	k->task.kdma_kthread = k;
	k->fn = threadfn;
	k->data = data;
	atomic_init(&k->refs, 1);
	va_start(ap, namefmt);
	vsnprintf(k->task.comm, sizeof(k->task.comm), namefmt ? namefmt : "kthread", ap);
	va_end(ap);
	return &k->task;
}

int wake_up_process(struct task_struct *t)
{
	struct kdma_kthread *k = to_kthread(t);
	int err;

	if (!k || k->started)
		return 0;
	k->started = true;
	err = pthread_create(&k->thread, NULL, kthread_main, k);
	if (err) {
		k->started = false;
		kdma_warn(NULL, "wake_up_process(%s): pthread_create failed (%d)", t->comm, err);
		return 0;
	}
	return 1;
}

bool kthread_should_stop(void)
{
	struct kdma_kthread *k = to_kthread(current_task);

	return k && atomic_load(&k->should_stop);
}

int kthread_stop(struct task_struct *t)
{
	struct kdma_kthread *k = to_kthread(t);
	int ret;

	if (!k) {
		kdma_warn(NULL, "kthread_stop: not a kthread");
		return -EINVAL;
	}
	atomic_store(&k->should_stop, true);
	if (!k->started) {
		ret = -EINTR; /* the kernel's answer for a thread stopped before it ran */
	} else {
		if (!k->joined)
			pthread_join(k->thread, NULL);
		k->joined = true;
		ret = k->result;
	}
	put_task_struct(t);
	return ret;
}

void kthread_bind(struct task_struct *k, unsigned int cpu)
{
	(void)k;
	(void)cpu;
	KDMA_STUB_ONCE("kthread_bind");
}

void kthread_bind_mask(struct task_struct *k, const struct cpumask *mask)
{
	(void)k;
	(void)mask;
	KDMA_STUB_ONCE("kthread_bind_mask");
}

long schedule_timeout(long timeout)
{
	struct timespec ts;

	if (timeout <= 0)
		return 0;
	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		KDMA_STUB_ONCE("schedule_timeout(MAX_SCHEDULE_TIMEOUT)");
		return timeout;
	}
	ts.tv_sec = timeout / HZ;
	ts.tv_nsec = (timeout % HZ) * (1000000000L / HZ);
	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
	return 0;
}
