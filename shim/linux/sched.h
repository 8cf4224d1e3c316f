/* SPDX-License-Identifier: MIT */
/*
 * <linux/sched.h> — tasks are threads. `current` is the calling thread's task_struct (kthreads
 * from <linux/kthread.h> have theirs); cond_resched() and schedule() yield the CPU.
 */
#ifndef _DMASAN_SHIM_LINUX_SCHED_H
#define _DMASAN_SHIM_LINUX_SCHED_H

#include <sched.h>
#include <sys/types.h>

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/types.h>

#define TASK_COMM_LEN 16
#define TASK_RUNNING 0x0000
#define TASK_INTERRUPTIBLE 0x0001
#define TASK_UNINTERRUPTIBLE 0x0002
#define TASK_KILLABLE TASK_UNINTERRUPTIBLE
#define TASK_IDLE (TASK_UNINTERRUPTIBLE | 0x0400)
#define MAX_SCHEDULE_TIMEOUT ((long)(~0UL >> 1))

struct kdma_kthread;

struct task_struct {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	struct kdma_kthread *kdma_kthread; /* NULL: a thread not made by kthread_create */
};

struct task_struct *kdma_current(void);
#define current kdma_current()

static inline int need_resched(void)
{
	return 0;
}

static inline int cond_resched(void)
{
	sched_yield();
	return 0;
}

static inline void schedule(void)
{
	sched_yield();
}

/* Sleeps `timeout` jiffies (one per millisecond); nothing wakes it early here. */
long schedule_timeout(long timeout);
#define schedule_timeout_interruptible(t) schedule_timeout(t)
#define schedule_timeout_uninterruptible(t) schedule_timeout(t)
#define schedule_timeout_idle(t) schedule_timeout(t)

#define set_current_state(state) do {} while (0)
#define __set_current_state(state) do {} while (0)
#define signal_pending(task) 0
#define fatal_signal_pending(task) 0
#define task_pid_nr(task) ((task)->pid)

void get_task_struct(struct task_struct *t);
void put_task_struct(struct task_struct *t);
/* Starts a kthread created by kthread_create(); 1 if it was not running yet. */
int wake_up_process(struct task_struct *t);

#endif
