/* SPDX-License-Identifier: MIT */
/*
 * <linux/kthread.h> — kernel threads on pthreads. kthread_create() makes a stopped task,
 * wake_up_process() starts it, kthread_stop() asks it to stop (kthread_should_stop() turns true
 * in it), joins it and returns its result (-EINTR when it never ran).
 */
#ifndef _DMASAN_SHIM_LINUX_KTHREAD_H
#define _DMASAN_SHIM_LINUX_KTHREAD_H

#include <linux/err.h>
#include <linux/sched.h>

struct cpumask;

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
					   const char namefmt[], ...)
	__attribute__((format(printf, 4, 5)));
#define kthread_create(threadfn, data, namefmt, ...)                                          \
	kthread_create_on_node(threadfn, data, -1, namefmt, ##__VA_ARGS__)
#define kthread_run(threadfn, data, namefmt, ...)                                             \
	({                                                                                     \
		struct task_struct *__k = kthread_create(threadfn, data, namefmt, ##__VA_ARGS__); \
		if (!IS_ERR(__k))                                                              \
			wake_up_process(__k);                                                  \
		__k;                                                                           \
	})
int kthread_stop(struct task_struct *k);
bool kthread_should_stop(void);
/* CPU placement is the host scheduler's: binding is a stub (said once). */
void kthread_bind(struct task_struct *k, unsigned int cpu);
void kthread_bind_mask(struct task_struct *k, const struct cpumask *mask);

#endif
