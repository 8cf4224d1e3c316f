// SPDX-License-Identifier: MIT
/*
 * The worker thread of the fence containers (the kernel's irq_work): one ordered workqueue per
 * process, made on first use; a child of fork() has no worker thread, so it makes its own. At
 * exit the queue is drained, so a container's last signal and the reference its work held are
 * done before the sanitizer counts live fences.
 */
#include <unistd.h>

#include <linux/workqueue.h>

#include "fence/fence_hooks.h"

static struct workqueue_struct *irq_wq;
static pid_t irq_wq_pid;
static pthread_mutex_t irq_wq_lock = PTHREAD_MUTEX_INITIALIZER;

/* This process's queue (the lock is taken only to make one). */
static struct workqueue_struct *irq_wq_get(void)
{
	pid_t pid = getpid();
	struct workqueue_struct *wq;

	if (__atomic_load_n(&irq_wq_pid, __ATOMIC_ACQUIRE) == pid)
		return irq_wq;
	pthread_mutex_lock(&irq_wq_lock);
	if (irq_wq_pid != pid) {
		/* A parent's queue (and its thread) is left alone: it is not this process's. */
		wq = kdma_alloc_workqueue("dma_fence_irq_work");
		if (wq) {
			irq_wq = wq;
			__atomic_store_n(&irq_wq_pid, pid, __ATOMIC_RELEASE);
		}
	}
	wq = irq_wq_pid == pid ? irq_wq : NULL;
	pthread_mutex_unlock(&irq_wq_lock);
	return wq;
}

void kdma_fence_irq_work_queue(struct work_struct *work)
{
	queue_work(irq_wq_get(), work); /* warns on NULL: out of memory */
}

__attribute__((destructor)) static void irq_wq_drain(void)
{
	if (__atomic_load_n(&irq_wq_pid, __ATOMIC_ACQUIRE) == getpid())
		flush_workqueue(irq_wq);
}
