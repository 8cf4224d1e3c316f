/* SPDX-License-Identifier: MIT */
/* <linux/completion.h> — completions on a pthread mutex and condition variable. */
#ifndef _DMASAN_SHIM_LINUX_COMPLETION_H
#define _DMASAN_SHIM_LINUX_COMPLETION_H

#include <limits.h>

#include <linux/wait.h>

struct completion {
	unsigned int done;
	wait_queue_head_t wait;
};

#define COMPLETION_INITIALIZER(work)                                                          \
	{ 0, { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false } }
#define DECLARE_COMPLETION(work) struct completion work = COMPLETION_INITIALIZER(work)
#define DECLARE_COMPLETION_ONSTACK(work) DECLARE_COMPLETION(work)

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

static inline void reinit_completion(struct completion *x)
{
	x->done = 0;
}

static inline void complete(struct completion *x)
{
	pthread_mutex_lock(&x->wait.lock);
	if (x->done != UINT_MAX)
		x->done++;
	pthread_cond_broadcast(&x->wait.cond);
	pthread_mutex_unlock(&x->wait.lock);
}

static inline void complete_all(struct completion *x)
{
	pthread_mutex_lock(&x->wait.lock);
	x->done = UINT_MAX;
	pthread_cond_broadcast(&x->wait.cond);
	pthread_mutex_unlock(&x->wait.lock);
}

/* Consume one completion; with timeout (jiffies) returns 0 on timeout else jiffies left. */
static inline unsigned long kdma_wait_for_completion(struct completion *x, bool timed,
						     unsigned long timeout)
{
	unsigned long start = jiffies, used;
	struct timespec dl = kdma_wq_deadline(&x->wait, timeout);

	pthread_mutex_lock(&x->wait.lock);
	while (!x->done) {
		if (!kdma_wq_wait_until(&x->wait, timed ? &dl : NULL) && !x->done) {
			pthread_mutex_unlock(&x->wait.lock);
			return 0;
		}
	}
	if (x->done != UINT_MAX)
		x->done--;
	pthread_mutex_unlock(&x->wait.lock);
	used = jiffies - start;
	return !timed ? 1 : used < timeout ? timeout - used : 1;
}

static inline void wait_for_completion(struct completion *x)
{
	kdma_wait_for_completion(x, false, 0);
}

static inline unsigned long wait_for_completion_timeout(struct completion *x,
							unsigned long timeout)
{
	return kdma_wait_for_completion(x, true, timeout);
}

static inline int wait_for_completion_interruptible(struct completion *x)
{
	wait_for_completion(x);
	return 0;
}

#define wait_for_completion_killable wait_for_completion_interruptible
#define wait_for_completion_io wait_for_completion
#define wait_for_completion_interruptible_timeout(x, t) ((long)wait_for_completion_timeout(x, t))

static inline bool try_wait_for_completion(struct completion *x)
{
	bool ret = false;

	pthread_mutex_lock(&x->wait.lock);
	if (x->done) {
		if (x->done != UINT_MAX)
			x->done--;
		ret = true;
	}
	pthread_mutex_unlock(&x->wait.lock);
	return ret;
}

static inline bool completion_done(struct completion *x)
{
	bool ret;

	pthread_mutex_lock(&x->wait.lock);
	ret = x->done != 0;
	pthread_mutex_unlock(&x->wait.lock);
	return ret;
}

#endif
