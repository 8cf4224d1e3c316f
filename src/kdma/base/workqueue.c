// SPDX-License-Identifier: MIT
/*
 * Workqueues: one worker thread per queue (started on first use) runs the queue's items one at
 * a time in queueing order, delayed items once due. Every state change broadcasts the queue's
 * condition variable, which flush and cancel_sync wait on.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/list.h>
#include <linux/workqueue.h>

#include "mm/mm.h"

struct workqueue_struct {
	char name[32];
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
	struct list_head items;
	struct work_struct *running;
	pthread_t thread;
	bool started, stop;
};

static unsigned long wq_now(void)
{
	return jiffies;
}

/* The first item due at now, or NULL; *next_due gets the earliest due time of the rest. */
static struct work_struct *wq_first_due(struct workqueue_struct *wq, unsigned long now,
					unsigned long *next_due, bool *any)
{
	struct work_struct *w;

	*any = false;
	list_for_each_entry(w, &wq->items, entry) {
		if (time_after_eq(now, w->due))
			return w;
		if (!*any || time_before(w->due, *next_due))
			*next_due = w->due;
		*any = true;
	}
	return NULL;
}

static void wq_wait_until(struct workqueue_struct *wq, unsigned long due)
{
	struct timespec ts;
	unsigned long delta = due - wq_now();

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(delta / HZ);
	ts.tv_nsec += (long)(delta % HZ) * (1000000000L / HZ);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&wq->cond, &wq->lock, &ts);
}

static void *wq_worker(void *arg)
{
	struct workqueue_struct *wq = arg;
	unsigned long next_due = 0;
	struct work_struct *w;
	bool any;

	pthread_mutex_lock(&wq->lock);
	for (;;) {
		w = wq_first_due(wq, wq_now(), &next_due, &any);
		if (w) {
			list_del_init(&w->entry);
			__atomic_store_n(&w->pending, false, __ATOMIC_RELEASE);
			wq->running = w;
			pthread_mutex_unlock(&wq->lock);
			w->func(w);
			pthread_mutex_lock(&wq->lock);
			wq->running = NULL;
			pthread_cond_broadcast(&wq->cond);
		} else if (any) {
			wq_wait_until(wq, next_due);
		} else if (wq->stop) {
			break;
		} else {
			pthread_cond_wait(&wq->cond, &wq->lock);
		}
	}
	pthread_mutex_unlock(&wq->lock);
	return NULL;
}

struct workqueue_struct *kdma_alloc_workqueue(const char *name)
{
	struct workqueue_struct *wq = kdma_zalloc(sizeof(*wq));
	pthread_condattr_t attr;

	if (!wq)
		return NULL;
	snprintf(wq->name, sizeof(wq->name), "%s", name ? name : "wq");
	pthread_mutex_init(&wq->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&wq->cond, &attr);
	pthread_condattr_destroy(&attr);
	INIT_LIST_HEAD(&wq->items);
	return wq;
}

static struct workqueue_struct *system_wq_ptr;
static pthread_once_t system_wq_once = PTHREAD_ONCE_INIT;

static void system_wq_create(void)
{
	system_wq_ptr = kdma_alloc_workqueue("events");
}

struct workqueue_struct *kdma_system_wq(void)
{
	pthread_once(&system_wq_once, system_wq_create);
	return system_wq_ptr;
}

bool kdma_queue_work(struct workqueue_struct *wq, struct work_struct *work, unsigned long delay,
		     bool modify)
{
	bool was_pending;

	if (!wq || !work || !work->func) {
		kdma_warn(NULL, "queue_work: %s", !wq ? "NULL workqueue" : "uninitialised work item");
		return false;
	}
	pthread_mutex_lock(&wq->lock);
	if (!wq->started) {
		if (pthread_create(&wq->thread, NULL, wq_worker, wq) != 0) {
			pthread_mutex_unlock(&wq->lock);
			kdma_warn(NULL, "workqueue %s: cannot start its worker thread", wq->name);
			return false;
		}
		wq->started = true;
	}
	was_pending = work->pending;
	if (!was_pending) {
		work->wq = wq;
		work->due = wq_now() + delay;
		list_add_tail(&work->entry, &wq->items);
		__atomic_store_n(&work->pending, true, __ATOMIC_RELEASE);
	} else if (modify) {
		work->due = wq_now() + delay;
	}
	pthread_cond_broadcast(&wq->cond);
	pthread_mutex_unlock(&wq->lock);
	/* queue_*: true when newly queued; mod_delayed_work: true when it was pending */
	return modify ? was_pending : !was_pending;
}

bool kdma_flush_work(struct work_struct *work)
{
	struct workqueue_struct *wq = work ? work->wq : NULL;
	bool waited = false;

	if (!wq)
		return false;
	pthread_mutex_lock(&wq->lock);
	if (work->pending) {
		work->due = wq_now(); /* a pending delayed item runs now (flush_delayed_work) */
		pthread_cond_broadcast(&wq->cond);
	}
	while (work->pending || wq->running == work) {
		waited = true;
		pthread_cond_wait(&wq->cond, &wq->lock);
	}
	pthread_mutex_unlock(&wq->lock);
	return waited;
}

bool kdma_cancel_work(struct work_struct *work, bool sync)
{
	struct workqueue_struct *wq = work ? work->wq : NULL;
	bool was_pending;

	if (!wq)
		return false;
	pthread_mutex_lock(&wq->lock);
	was_pending = work->pending;
	if (was_pending) {
		list_del_init(&work->entry);
		__atomic_store_n(&work->pending, false, __ATOMIC_RELEASE);
	}
	while (sync && wq->running == work && !pthread_equal(pthread_self(), wq->thread))
		pthread_cond_wait(&wq->cond, &wq->lock);
	pthread_mutex_unlock(&wq->lock);
	return was_pending;
}

/* Wait for everything queued and due now (delayed items not yet due are timers: not waited). */
void kdma_flush_workqueue(struct workqueue_struct *wq)
{
	unsigned long now = wq_now(), next_due;
	bool any;

	if (!wq)
		return;
	pthread_mutex_lock(&wq->lock);
	while (wq->running || wq_first_due(wq, now, &next_due, &any))
		pthread_cond_wait(&wq->cond, &wq->lock);
	pthread_mutex_unlock(&wq->lock);
}

void kdma_destroy_workqueue(struct workqueue_struct *wq)
{
	struct work_struct *w;

	if (!wq)
		return;
	pthread_mutex_lock(&wq->lock);
	wq->stop = true;
	if (!list_empty(&wq->items))
		kdma_warn(NULL, "destroy_workqueue %s: work still pending; it runs now", wq->name);
	list_for_each_entry(w, &wq->items, entry)
		w->due = wq_now();
	pthread_cond_broadcast(&wq->cond);
	pthread_mutex_unlock(&wq->lock);
	if (wq->started)
		pthread_join(wq->thread, NULL);
	pthread_cond_destroy(&wq->cond);
	pthread_mutex_destroy(&wq->lock);
	kdma_free(wq);
}
