/* SPDX-License-Identifier: MIT */
/*
 * <linux/wait.h> — wait queues on a pthread mutex + condition variable (CLOCK_MONOTONIC). The
 * condition is re-checked under the queue's lock, and wake_up() takes it, so a wake-up between
 * the check and the sleep is never lost.
 */
#ifndef _DMASAN_SHIM_LINUX_WAIT_H
#define _DMASAN_SHIM_LINUX_WAIT_H

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include <linux/types.h>
#include <linux/jiffies.h>

typedef struct wait_queue_head {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool cond_ready; /* cond initialised with CLOCK_MONOTONIC */
} wait_queue_head_t;

static inline void init_waitqueue_head(wait_queue_head_t *wq)
{
	pthread_condattr_t attr;

	pthread_mutex_init(&wq->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&wq->cond, &attr);
	pthread_condattr_destroy(&attr);
	wq->cond_ready = true;
}

#define DECLARE_WAIT_QUEUE_HEAD(name)                                                         \
	wait_queue_head_t name = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false }

static inline void wake_up_all(wait_queue_head_t *wq)
{
	pthread_mutex_lock(&wq->lock);
	pthread_cond_broadcast(&wq->cond);
	pthread_mutex_unlock(&wq->lock);
}

#define wake_up(wq) wake_up_all(wq)
#define wake_up_interruptible(wq) wake_up_all(wq)
#define wake_up_interruptible_all(wq) wake_up_all(wq)

/* Wait until *deadline (CLOCK_MONOTONIC, or CLOCK_REALTIME for statically initialised queues);
 * returns false on timeout. Called with wq->lock held. */
static inline bool kdma_wq_wait_until(wait_queue_head_t *wq, const struct timespec *deadline)
{
	if (!deadline) {
		pthread_cond_wait(&wq->cond, &wq->lock);
		return true;
	}
	return pthread_cond_timedwait(&wq->cond, &wq->lock, deadline) != ETIMEDOUT;
}

static inline struct timespec kdma_wq_deadline(const wait_queue_head_t *wq, unsigned long timeout)
{
	struct timespec ts;

	clock_gettime(wq->cond_ready ? CLOCK_MONOTONIC : CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)(timeout / HZ);
	ts.tv_nsec += (long)(timeout % HZ) * (1000000000L / HZ);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

#define wait_event(wq, condition)                                                             \
	do {                                                                                   \
		pthread_mutex_lock(&(wq).lock);                                                \
		while (!(condition))                                                           \
			kdma_wq_wait_until(&(wq), NULL);                                       \
		pthread_mutex_unlock(&(wq).lock);                                              \
	} while (0)

/* 0 if the condition was still false when timeout (jiffies) elapsed, else the jiffies left
 * (at least 1). */
#define wait_event_timeout(wq, condition, timeout)                                            \
	({                                                                                     \
		unsigned long __to = (timeout), __start = jiffies;                             \
		struct timespec __dl = kdma_wq_deadline(&(wq), __to);                          \
		long __ret = 1;                                                                \
		pthread_mutex_lock(&(wq).lock);                                                \
		while (!(condition)) {                                                         \
			if (!kdma_wq_wait_until(&(wq), &__dl)) {                               \
				__ret = (condition) ? 1 : 0;                                   \
				break;                                                         \
			}                                                                      \
		}                                                                              \
		pthread_mutex_unlock(&(wq).lock);                                              \
		if (__ret) {                                                                   \
			unsigned long __used = jiffies - __start;                              \
			__ret = __used < __to ? (long)(__to - __used) : 1;                     \
		}                                                                              \
		__ret;                                                                         \
	})

#define wait_event_interruptible(wq, condition) ({ wait_event(wq, condition); 0; })
#define wait_event_killable wait_event_interruptible
#define wait_event_interruptible_timeout wait_event_timeout

#endif
