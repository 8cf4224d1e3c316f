// SPDX-License-Identifier: MIT
/*
 * dma_fence: one-shot completion points with the kernel's rules (drivers/dma-buf/dma-fence.c is
 * the model, written anew). Signalling sets the SIGNALED bit once, under fence->lock, then runs
 * the queued callbacks in the signalling thread with the lock held. A waiter queues a callback of
 * its own and sleeps on a condition variable that uses fence->lock's mutex, so the wake-up cannot
 * be lost between the check and the sleep.
 */
#include <errno.h>

#include <linux/dma-fence.h>
#include <linux/slab.h>

#include "fence/fence_hooks.h"

static atomic_ullong fence_context_counter = 1; /* 0 is the stub's */

u64 dma_fence_context_alloc(unsigned int num)
{
	WARN_ON(!num);
	return atomic_fetch_add(&fence_context_counter, num);
}

void dma_fence_init(struct dma_fence *fence, const struct dma_fence_ops *ops, spinlock_t *lock,
		    u64 context, u64 seqno)
{
	struct kdma_fence_info info = { .context = context, .seqno = seqno };

	BUG_ON(!fence);
	BUG_ON(!lock);
	BUG_ON(!ops || !ops->get_driver_name || !ops->get_timeline_name);
	kref_init(&fence->refcount);
	fence->ops = ops;
	INIT_LIST_HEAD(&fence->cb_list);
	fence->lock = lock;
	fence->context = context;
	fence->seqno = seqno;
	fence->flags = 0UL;
	fence->error = 0;
	fence->timestamp = 0;
	info.container = dma_fence_is_container(fence);
	info.driver = ops->get_driver_name(fence);
	info.timeline = ops->get_timeline_name(fence);
	kdma_fence_event(fence, KDMA_FENCE_INIT, &info);
}

struct dma_fence *dma_fence_get(struct dma_fence *fence)
{
	if (fence) {
		kdma_fence_event(fence, KDMA_FENCE_GET, NULL);
		kref_get(&fence->refcount);
	}
	return fence;
}

struct dma_fence *dma_fence_get_rcu(struct dma_fence *fence)
{
	if (!fence || !kref_get_unless_zero(&fence->refcount))
		return NULL;
	kdma_fence_event(fence, KDMA_FENCE_GET, NULL);
	return fence;
}

void dma_fence_put(struct dma_fence *fence)
{
	if (fence) {
		kdma_fence_event(fence, KDMA_FENCE_PUT, NULL);
		kref_put(&fence->refcount, dma_fence_release);
	}
}

void dma_fence_release(struct kref *kref)
{
	struct dma_fence *fence = container_of(kref, struct dma_fence, refcount);

	kdma_fence_event(fence, KDMA_FENCE_RELEASE, NULL);
	if (WARN(!list_empty(&fence->cb_list) &&
			 !test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags),
		 "Fence %s:%s:%llx:%llx released with pending signals!\n",
		 fence->ops->get_driver_name(fence), fence->ops->get_timeline_name(fence),
		 (unsigned long long)fence->context, (unsigned long long)fence->seqno)) {
		/* Whoever waits would wait forever: fail the fence instead, as the kernel does. */
		spin_lock(fence->lock);
		fence->error = -EDEADLK;
		kdma_fence_event(fence, KDMA_FENCE_SIGNAL_INTERNAL, NULL);
		kdma_fence_signal_locked(fence, ktime_get());
		spin_unlock(fence->lock);
	}
	if (fence->ops->release)
		fence->ops->release(fence);
	else
		dma_fence_free(fence);
}

/*
 * The grace period of dma_fence_free(): freed fences wait in a ring and are released when pushed
 * out, so a racing reader (or a driver's use after the last put, which the sanitizer reports)
 * touches still-allocated memory.
 */
#define FENCE_GRACE 256
static struct dma_fence *grace_ring[FENCE_GRACE];
static unsigned int grace_next;
static pthread_mutex_t grace_lock = PTHREAD_MUTEX_INITIALIZER;

void dma_fence_free(struct dma_fence *fence)
{
	struct dma_fence *old;

	pthread_mutex_lock(&grace_lock);
	old = grace_ring[grace_next];
	grace_ring[grace_next] = fence;
	grace_next = (grace_next + 1) % FENCE_GRACE;
	pthread_mutex_unlock(&grace_lock);
	kfree(old);
}

static __thread bool in_signalling;

bool dma_fence_begin_signalling(void)
{
	if (in_signalling)
		return true;
	in_signalling = true;
	kdma_fence_event(NULL, KDMA_FENCE_BEGIN_SIGNALLING, NULL);
	return false;
}

void dma_fence_end_signalling(bool cookie)
{
	if (cookie)
		return;
	in_signalling = false;
	kdma_fence_event(NULL, KDMA_FENCE_END_SIGNALLING, NULL);
}

int kdma_fence_signal_locked(struct dma_fence *fence, ktime_t timestamp)
{
	struct dma_fence_cb *cur, *tmp;
	struct list_head cb_list;

	if (test_and_set_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		return -EINVAL;
	/* The callbacks may free their nodes: detach the list before running them. */
	INIT_LIST_HEAD(&cb_list);
	list_splice_init(&fence->cb_list, &cb_list);
	fence->timestamp = timestamp;
	set_bit(DMA_FENCE_FLAG_TIMESTAMP_BIT, &fence->flags);
	list_for_each_entry_safe(cur, tmp, &cb_list, node) {
		INIT_LIST_HEAD(&cur->node);
		cur->func(fence, cur);
	}
	return 0;
}

int dma_fence_signal_timestamp_locked(struct dma_fence *fence, ktime_t timestamp)
{
	if (!fence)
		return -EINVAL;
	kdma_fence_event(fence, KDMA_FENCE_SIGNAL, NULL);
	return kdma_fence_signal_locked(fence, timestamp);
}

int dma_fence_signal_locked(struct dma_fence *fence)
{
	return dma_fence_signal_timestamp_locked(fence, ktime_get());
}

int dma_fence_signal_timestamp(struct dma_fence *fence, ktime_t timestamp)
{
	bool cookie;
	int ret;

	if (!fence)
		return -EINVAL;
	kdma_fence_event(fence, KDMA_FENCE_SIGNAL, NULL);
	cookie = dma_fence_begin_signalling();
	spin_lock(fence->lock);
	ret = kdma_fence_signal_locked(fence, timestamp);
	spin_unlock(fence->lock);
	dma_fence_end_signalling(cookie);
	return ret;
}

int dma_fence_signal(struct dma_fence *fence)
{
	return dma_fence_signal_timestamp(fence, ktime_get());
}

/* ops->signaled said the hardware is past the fence: signal it on the driver's behalf. */
static bool poll_signaled(struct dma_fence *fence, bool locked)
{
	if (!fence->ops->signaled || !fence->ops->signaled(fence))
		return false;
	kdma_fence_event(fence, KDMA_FENCE_SIGNAL_INTERNAL, NULL);
	if (!locked)
		spin_lock(fence->lock);
	kdma_fence_signal_locked(fence, ktime_get());
	if (!locked)
		spin_unlock(fence->lock);
	return true;
}

bool dma_fence_is_signaled_locked(struct dma_fence *fence)
{
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		return true;
	return poll_signaled(fence, true);
}

bool dma_fence_is_signaled(struct dma_fence *fence)
{
	if (WARN_ON(!fence))
		return true; /* nothing to wait for */
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		return true;
	return poll_signaled(fence, false);
}

/* Under fence->lock: ask the driver once to start signalling; false if already signalled. */
static bool enable_signaling_locked(struct dma_fence *fence)
{
	bool was_set = test_and_set_bit(DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT, &fence->flags);

	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		return false;
	if (!was_set && fence->ops->enable_signaling && !fence->ops->enable_signaling(fence)) {
		kdma_fence_event(fence, KDMA_FENCE_SIGNAL_INTERNAL, NULL);
		kdma_fence_signal_locked(fence, ktime_get());
		return false;
	}
	return true;
}

void dma_fence_enable_sw_signaling(struct dma_fence *fence)
{
	if (WARN_ON(!fence))
		return;
	spin_lock(fence->lock);
	enable_signaling_locked(fence);
	spin_unlock(fence->lock);
}

static int add_callback(struct dma_fence *fence, struct dma_fence_cb *cb, dma_fence_func_t func,
			bool tell_rejected)
{
	struct kdma_fence_info info = { .cb = cb };
	int ret = 0;

	if (WARN_ON(!fence || !cb || !func))
		return -EINVAL;
	kdma_fence_event(fence, KDMA_FENCE_ADD_CALLBACK, &info);
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags)) {
		ret = -ENOENT;
	} else {
		spin_lock(fence->lock);
		if (enable_signaling_locked(fence)) {
			cb->func = func;
			list_add_tail(&cb->node, &fence->cb_list);
		} else {
			ret = -ENOENT;
		}
		spin_unlock(fence->lock);
	}
	if (ret) {
		INIT_LIST_HEAD(&cb->node);
		if (tell_rejected)
			kdma_fence_event(fence, KDMA_FENCE_CALLBACK_REJECTED, &info);
	}
	return ret;
}

int dma_fence_add_callback(struct dma_fence *fence, struct dma_fence_cb *cb, dma_fence_func_t func)
{
	return add_callback(fence, cb, func, true);
}

int kdma_fence_add_callback_handled(struct dma_fence *fence, struct dma_fence_cb *cb,
				    dma_fence_func_t func)
{
	return add_callback(fence, cb, func, false);
}

bool dma_fence_remove_callback(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct kdma_fence_info info = { .cb = cb };
	bool ret;

	if (WARN_ON(!fence || !cb))
		return false;
	spin_lock(fence->lock);
	ret = !list_empty(&cb->node);
	if (ret)
		list_del_init(&cb->node);
	spin_unlock(fence->lock);
	info.ret = ret;
	kdma_fence_event(fence, KDMA_FENCE_REMOVE_CALLBACK, &info);
	return ret;
}

int dma_fence_get_status_locked(struct dma_fence *fence)
{
	if (dma_fence_is_signaled_locked(fence))
		return fence->error ?: 1;
	return 0;
}

int dma_fence_get_status(struct dma_fence *fence)
{
	int status;

	if (WARN_ON(!fence))
		return -EINVAL;
	spin_lock(fence->lock);
	status = dma_fence_get_status_locked(fence);
	spin_unlock(fence->lock);
	return status;
}

ktime_t dma_fence_timestamp(struct dma_fence *fence)
{
	if (WARN_ON(!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags)))
		return ktime_get();
	while (!test_bit(DMA_FENCE_FLAG_TIMESTAMP_BIT, &fence->flags))
		; /* the signaller sets it right after the signalled bit */
	return fence->timestamp;
}
