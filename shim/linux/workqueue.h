/* SPDX-License-Identifier: MIT */
/*
 * <linux/workqueue.h> — work items run by a worker thread per workqueue (src/kdma/base/workqueue.c).
 * Ordered: one worker per queue runs its items one at a time, in queueing order (delayed items
 * when due). flush_work()/flush_workqueue() wait for completion, so tests stay deterministic
 * without sleeping. system_wq & co. are one shared queue.
 */
#ifndef _DMASAN_SHIM_LINUX_WORKQUEUE_H
#define _DMASAN_SHIM_LINUX_WORKQUEUE_H

#include <linux/types.h>
#include <linux/container_of.h>
#include <linux/jiffies.h>

struct work_struct;
struct workqueue_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	work_func_t func;
	struct list_head entry;
	struct workqueue_struct *wq;
	unsigned long due;  /* jiffies when a delayed item may run */
	bool pending;
};

struct delayed_work {
	struct work_struct work;
};

#define INIT_WORK(w, f)                                                                       \
	do {                                                                                   \
		(w)->func = (f);                                                               \
		(w)->entry.next = (w)->entry.prev = &(w)->entry;                               \
		(w)->wq = NULL;                                                                \
		(w)->due = 0;                                                                  \
		(w)->pending = false;                                                          \
	} while (0)
#define INIT_DELAYED_WORK(dw, f) INIT_WORK(&(dw)->work, f)
#define __WORK_INITIALIZER(n, f) { .func = (f), .entry = { &(n).entry, &(n).entry } }
#define DECLARE_WORK(n, f) struct work_struct n = __WORK_INITIALIZER(n, f)
#define DECLARE_DELAYED_WORK(n, f)                                                            \
	struct delayed_work n = { .work = __WORK_INITIALIZER((n).work, f) }
#define to_delayed_work(w) container_of(w, struct delayed_work, work)

#define WQ_UNBOUND (1 << 1)
#define WQ_FREEZABLE (1 << 2)
#define WQ_MEM_RECLAIM (1 << 3)
#define WQ_HIGHPRI (1 << 4)

struct workqueue_struct *kdma_alloc_workqueue(const char *name);
void kdma_destroy_workqueue(struct workqueue_struct *wq);
struct workqueue_struct *kdma_system_wq(void);
bool kdma_queue_work(struct workqueue_struct *wq, struct work_struct *work, unsigned long delay,
		     bool modify);
bool kdma_flush_work(struct work_struct *work);
bool kdma_cancel_work(struct work_struct *work, bool sync);
void kdma_flush_workqueue(struct workqueue_struct *wq);

#define destroy_workqueue(wq) kdma_destroy_workqueue(wq)
#define flush_workqueue(wq) kdma_flush_workqueue(wq)
#define alloc_workqueue(fmt, flags, max_active, ...) kdma_alloc_workqueue(fmt)
#define alloc_ordered_workqueue(fmt, flags, ...) kdma_alloc_workqueue(fmt)
#define create_singlethread_workqueue(name) kdma_alloc_workqueue(name)
#define create_workqueue(name) kdma_alloc_workqueue(name)
#define system_wq kdma_system_wq()
#define system_highpri_wq kdma_system_wq()
#define system_long_wq kdma_system_wq()
#define system_unbound_wq kdma_system_wq()
#define system_power_efficient_wq kdma_system_wq()

#define queue_work(wq, w) kdma_queue_work(wq, w, 0, false)
#define queue_work_on(cpu, wq, w) kdma_queue_work(wq, w, 0, false)
#define schedule_work(w) kdma_queue_work(kdma_system_wq(), w, 0, false)
#define queue_delayed_work(wq, dw, delay) kdma_queue_work(wq, &(dw)->work, delay, false)
#define mod_delayed_work(wq, dw, delay) kdma_queue_work(wq, &(dw)->work, delay, true)
#define schedule_delayed_work(dw, delay) queue_delayed_work(kdma_system_wq(), dw, delay)
#define flush_work(w) kdma_flush_work(w)
#define flush_delayed_work(dw) kdma_flush_work(&(dw)->work)
#define flush_scheduled_work() flush_workqueue(kdma_system_wq())
#define cancel_work(w) kdma_cancel_work(w, false)
#define cancel_work_sync(w) kdma_cancel_work(w, true)
#define cancel_delayed_work(dw) kdma_cancel_work(&(dw)->work, false)
#define cancel_delayed_work_sync(dw) kdma_cancel_work(&(dw)->work, true)
#define work_pending(w) (__atomic_load_n(&(w)->pending, __ATOMIC_ACQUIRE))
#define delayed_work_pending(dw) work_pending(&(dw)->work)
#define drain_workqueue(wq) flush_workqueue(wq)

#endif
