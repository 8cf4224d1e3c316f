/* SPDX-License-Identifier: MIT */
/*
 * <linux/dma-fence-array.h> — one fence standing for several: it signals when all of its fences
 * have signalled (or the first of them, with signal_on_any), with the first error any of them
 * carried. Signalling is lazy, as in the kernel: the array watches its fences only once someone
 * needs its signal (a wait, a callback, dma_fence_enable_sw_signaling); dma_fence_is_signaled()
 * also looks at the fences directly. The signal itself is sent from a worker thread (the kernel's
 * irq_work), so the array's lock is never taken under a component's.
 */
#ifndef _DMASAN_SHIM_LINUX_DMA_FENCE_ARRAY_H
#define _DMASAN_SHIM_LINUX_DMA_FENCE_ARRAY_H

#include <linux/atomic.h>
#include <linux/dma-fence.h>
#include <linux/workqueue.h>

struct dma_fence_array;

/* One per component fence, allocated behind the array. */
struct dma_fence_array_cb {
	struct dma_fence_cb cb;
	struct dma_fence_array *array;
};

struct dma_fence_array {
	struct dma_fence base;
	spinlock_t lock;
	unsigned int num_fences;
	atomic_t num_pending; /* fences still to signal before the array does */
	struct dma_fence **fences;
	struct work_struct work; /* signals the array outside the component's lock */
};

static inline struct dma_fence_array *to_dma_fence_array(struct dma_fence *fence)
{
	if (!fence || !dma_fence_is_array(fence))
		return NULL;
	return container_of(fence, struct dma_fence_array, base);
}

/*
 * A new array over fences[0..num_fences), on (context, seqno). It takes over the caller's
 * reference to each fence and the fences array itself (kmalloc'd): both are released with the
 * array, so the caller must not put them. NULL if out of memory, or (warned) with no fences;
 * the caller then still owns them. Arrays must not contain containers (flatten them first);
 * that is warned about.
 */
struct dma_fence_array *dma_fence_array_create(int num_fences, struct dma_fence **fences,
					       u64 context, unsigned int seqno, bool signal_on_any);

/* Whether fence, or every fence of the array fence, is on context. */
bool dma_fence_match_context(struct dma_fence *fence, u64 context);

/* The first fence of an array, or head itself if it is not an array (no references taken). */
struct dma_fence *dma_fence_array_first(struct dma_fence *head);
struct dma_fence *dma_fence_array_next(struct dma_fence *head, unsigned int index);

#define dma_fence_array_for_each(fence, index, head)                                          \
	for (index = 0, fence = dma_fence_array_first(head); fence;                          \
	     ++(index), fence = dma_fence_array_next(head, index))

#endif
