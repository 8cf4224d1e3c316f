/* SPDX-License-Identifier: MIT */
/*
 * <linux/dma-fence.h> — cross-driver completion points, with the kernel's semantics: a fence is
 * created unsignalled with dma_fence_init() on a (context, seqno) timeline, signalled exactly once,
 * refcounted (dma_fence_get/put; the last put calls ops->release or frees it after a grace period),
 * and waited for on a condition variable. Callbacks run under fence->lock in the signalling thread.
 * get/put are functions here (inline in the kernel) so the sanitizer sees every reference.
 */
#ifndef _DMASAN_SHIM_LINUX_DMA_FENCE_H
#define _DMASAN_SHIM_LINUX_DMA_FENCE_H

#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

struct dma_fence;
struct dma_fence_cb;

struct dma_fence {
	spinlock_t *lock; /* the driver's; protects cb_list and the signalled transition */
	const struct dma_fence_ops *ops;
	struct list_head cb_list; /* callbacks still to run */
	ktime_t timestamp;        /* when it signalled (DMA_FENCE_FLAG_TIMESTAMP_BIT) */
	u64 context;
	u64 seqno;
	unsigned long flags;
	struct kref refcount;
	int error;
};

enum dma_fence_flag_bits {
	DMA_FENCE_FLAG_SIGNALED_BIT,
	DMA_FENCE_FLAG_TIMESTAMP_BIT,
	DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT,
	DMA_FENCE_FLAG_USER_BITS,
};

typedef void (*dma_fence_func_t)(struct dma_fence *fence, struct dma_fence_cb *cb);

struct dma_fence_cb {
	struct list_head node;
	dma_fence_func_t func;
};

struct dma_fence_ops {
	bool use_64bit_seqno;
	const char *(*get_driver_name)(struct dma_fence *fence);
	const char *(*get_timeline_name)(struct dma_fence *fence);
	/* Called once, under fence->lock, when someone first needs the signal; false: already
	 * signalled (the fence is then signalled at once). */
	bool (*enable_signaling)(struct dma_fence *fence);
	/* Polled by dma_fence_is_signaled(): true if the hardware passed the fence. */
	bool (*signaled)(struct dma_fence *fence);
	signed long (*wait)(struct dma_fence *fence, bool intr, signed long timeout);
	/* The last reference is gone; NULL means dma_fence_free(). */
	void (*release)(struct dma_fence *fence);
	void (*fence_value_str)(struct dma_fence *fence, char *str, int size);
	void (*timeline_value_str)(struct dma_fence *fence, char *str, int size);
};

void dma_fence_init(struct dma_fence *fence, const struct dma_fence_ops *ops, spinlock_t *lock,
		    u64 context, u64 seqno);
void dma_fence_release(struct kref *kref);
/* Frees a fence allocated with kmalloc after a grace period (the kernel's kfree_rcu): a reader
 * that raced with the last put still finds the memory. */
void dma_fence_free(struct dma_fence *fence);

struct dma_fence *dma_fence_get(struct dma_fence *fence);
void dma_fence_put(struct dma_fence *fence);
/* A reference unless the count already reached zero (the RCU lookup pattern); NULL then. */
struct dma_fence *dma_fence_get_rcu(struct dma_fence *fence);

/* Signalling critical section (the kernel's lockdep annotation): code between the two must not
 * wait for fences. Returns a cookie for end: true if already inside one. */
bool dma_fence_begin_signalling(void);
void dma_fence_end_signalling(bool cookie);

/* 0, or -EINVAL if the fence was signalled already. The _locked variants need fence->lock. */
int dma_fence_signal(struct dma_fence *fence);
int dma_fence_signal_locked(struct dma_fence *fence);
int dma_fence_signal_timestamp(struct dma_fence *fence, ktime_t timestamp);
int dma_fence_signal_timestamp_locked(struct dma_fence *fence, ktime_t timestamp);

signed long dma_fence_default_wait(struct dma_fence *fence, bool intr, signed long timeout);
/* 0 if cb was queued; -ENOENT if the fence is already signalled: cb will then never be called,
 * and the caller must do what the callback would have done. */
int dma_fence_add_callback(struct dma_fence *fence, struct dma_fence_cb *cb,
			   dma_fence_func_t func);
/* true if cb was still queued (and is now removed). */
bool dma_fence_remove_callback(struct dma_fence *fence, struct dma_fence_cb *cb);
void dma_fence_enable_sw_signaling(struct dma_fence *fence);

bool dma_fence_is_signaled_locked(struct dma_fence *fence);
bool dma_fence_is_signaled(struct dma_fence *fence);

/* Seqno order on one timeline (32-bit wrap-around unless ops->use_64bit_seqno). */
static inline bool __dma_fence_is_later(u64 f1, u64 f2, const struct dma_fence_ops *ops)
{
	if (ops->use_64bit_seqno)
		return f1 > f2;
	return (int)(lower_32_bits(f1) - lower_32_bits(f2)) > 0;
}

static inline bool dma_fence_is_later(struct dma_fence *f1, struct dma_fence *f2)
{
	if (WARN_ON(f1->context != f2->context))
		return false;
	return __dma_fence_is_later(f1->seqno, f2->seqno, f1->ops);
}

static inline bool dma_fence_is_later_or_same(struct dma_fence *f1, struct dma_fence *f2)
{
	return f1 == f2 || dma_fence_is_later(f1, f2);
}

/* The later of two fences of one context, or NULL if it signalled already. */
static inline struct dma_fence *dma_fence_later(struct dma_fence *f1, struct dma_fence *f2)
{
	if (WARN_ON(f1->context != f2->context))
		return NULL;
	if (dma_fence_is_later(f1, f2))
		return dma_fence_is_signaled(f1) ? NULL : f1;
	return dma_fence_is_signaled(f2) ? NULL : f2;
}

/* 0 while unsignalled, 1 once signalled, or the error set before signalling. */
int dma_fence_get_status_locked(struct dma_fence *fence);
int dma_fence_get_status(struct dma_fence *fence);

/* Only before signalling; error is a negative errno. */
static inline void dma_fence_set_error(struct dma_fence *fence, int error)
{
	WARN_ON(test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags));
	WARN_ON(error >= 0 || error < -MAX_ERRNO);
	fence->error = error;
}

ktime_t dma_fence_timestamp(struct dma_fence *fence);

/* Remaining jiffies (at least 1) once signalled, 0 on timeout, -EINVAL for a negative timeout. */
signed long dma_fence_wait_timeout(struct dma_fence *fence, bool intr, signed long timeout);

static inline signed long dma_fence_wait(struct dma_fence *fence, bool intr)
{
	signed long ret = dma_fence_wait_timeout(fence, intr, MAX_SCHEDULE_TIMEOUT);

	return ret < 0 ? ret : 0;
}

/* Containers (<linux/dma-fence-array.h>, <linux/dma-fence-chain.h>): fences whose signal follows
 * other fences. A container never holds another container except a chain's previous link. */
extern const struct dma_fence_ops dma_fence_array_ops;
extern const struct dma_fence_ops dma_fence_chain_ops;

static inline bool dma_fence_is_array(struct dma_fence *fence)
{
	return fence->ops == &dma_fence_array_ops;
}

static inline bool dma_fence_is_chain(struct dma_fence *fence)
{
	return fence->ops == &dma_fence_chain_ops;
}

static inline bool dma_fence_is_container(struct dma_fence *fence)
{
	return dma_fence_is_array(fence) || dma_fence_is_chain(fence);
}

/* An always-signalled fence (a reference to it). */
struct dma_fence *dma_fence_get_stub(void);
/* A new signalled fence of its own context with the given timestamp. */
struct dma_fence *dma_fence_allocate_private_stub(ktime_t timestamp);
/* num new, never reused fence contexts; returns the first. */
u64 dma_fence_context_alloc(unsigned int num);

#endif
