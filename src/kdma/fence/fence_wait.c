// SPDX-License-Identifier: MIT
/*
 * Waiting for a fence: the waiter queues a callback that sets its flag and broadcasts its
 * condition variable, and sleeps with fence->lock's mutex (which the signaller holds while it
 * runs the callbacks), so a signal between the check and the sleep is never missed.
 */
#include <errno.h>

#include <linux/dma-fence.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "fence/fence_hooks.h"

struct fence_waiter {
	struct dma_fence_cb base;
	pthread_cond_t cond;
	bool woken;
};

static void waiter_wake(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct fence_waiter *w = container_of(cb, struct fence_waiter, base);

	w->woken = true;
	pthread_cond_broadcast(&w->cond);
}

static struct timespec deadline_after(signed long timeout)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(timeout / HZ);
	ts.tv_nsec += (long)(timeout % HZ) * (NSEC_PER_SEC / HZ);
	if (ts.tv_nsec >= NSEC_PER_SEC) {
		ts.tv_sec++;
		ts.tv_nsec -= NSEC_PER_SEC;
	}
	return ts;
}

/* Signals are not delivered to simulated kernel threads: intr never ends a wait early. */
signed long dma_fence_default_wait(struct dma_fence *fence, bool intr, signed long timeout)
{
	struct fence_waiter w = { .woken = false };
	bool forever = timeout == MAX_SCHEDULE_TIMEOUT;
	unsigned long start = jiffies;
	signed long ret = timeout ? timeout : 1;
	pthread_condattr_t attr;
	struct timespec dl;

	spin_lock(fence->lock);
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		goto out;
	if (!timeout) {
		ret = 0;
		goto out;
	}
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w.cond, &attr);
	pthread_condattr_destroy(&attr);
	w.base.func = waiter_wake;
	list_add(&w.base.node, &fence->cb_list);
	if (!forever)
		dl = deadline_after(timeout);
	while (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags)) {
		if (forever) {
			pthread_cond_wait(&w.cond, &fence->lock->m);
		} else if (pthread_cond_timedwait(&w.cond, &fence->lock->m, &dl) == ETIMEDOUT &&
			   !test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags)) {
			ret = 0;
			break;
		}
	}
	if (!list_empty(&w.base.node))
		list_del(&w.base.node);
	pthread_cond_destroy(&w.cond);
	if (ret && !forever) {
		unsigned long used = jiffies - start;

		ret = used < (unsigned long)timeout ? timeout - (signed long)used : 1;
	}
out:
	spin_unlock(fence->lock);
	return ret;
}

signed long dma_fence_wait_timeout(struct dma_fence *fence, bool intr, signed long timeout)
{
	if (WARN_ON(timeout < 0) || WARN_ON(!fence))
		return -EINVAL;
	kdma_fence_event(fence, KDMA_FENCE_WAIT, NULL);
	dma_fence_enable_sw_signaling(fence);
	if (fence->ops->wait)
		return fence->ops->wait(fence, intr, timeout);
	return dma_fence_default_wait(fence, intr, timeout);
}

/* ---- stubs: fences that are signalled from the start ---- */

static const char *stub_name(struct dma_fence *fence)
{
	return "stub";
}

static const struct dma_fence_ops stub_ops = {
	.get_driver_name = stub_name,
	.get_timeline_name = stub_name,
};

static struct dma_fence stub_fence;
static DEFINE_SPINLOCK(stub_lock);
static pthread_once_t stub_once = PTHREAD_ONCE_INIT;

/* The shared stub lives forever: it is made without events, so the sanitizer never tracks it. */
static void stub_init(void)
{
	kref_init(&stub_fence.refcount);
	stub_fence.ops = &stub_ops;
	stub_fence.lock = &stub_lock;
	INIT_LIST_HEAD(&stub_fence.cb_list);
	kdma_fence_signal_locked(&stub_fence, ktime_get());
}

struct dma_fence *dma_fence_get_stub(void)
{
	pthread_once(&stub_once, stub_init);
	kref_get(&stub_fence.refcount);
	return &stub_fence;
}

struct dma_fence *dma_fence_allocate_private_stub(ktime_t timestamp)
{
	struct dma_fence *fence = kzalloc(sizeof(*fence), GFP_KERNEL);

	if (!fence)
		return NULL;
	dma_fence_init(fence, &stub_ops, &stub_lock, dma_fence_context_alloc(1), 0);
	set_bit(DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT, &fence->flags);
	kdma_fence_event(fence, KDMA_FENCE_SIGNAL_INTERNAL, NULL);
	spin_lock(&stub_lock);
	kdma_fence_signal_locked(fence, timestamp);
	spin_unlock(&stub_lock);
	return fence;
}
