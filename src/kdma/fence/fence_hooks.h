/* SPDX-License-Identifier: MIT */
/* The fence hook with its attachment check folded in (fence/ is outside the mapping stack). */
#ifndef DMASAN_KDMA_FENCE_HOOKS_H
#define DMASAN_KDMA_FENCE_HOOKS_H

#include <linux/dma-fence.h>
#include <linux/workqueue.h>

#include "base/base.h"
#include "mm/mm.h"

static inline void kdma_fence_event(const struct dma_fence *f, enum kdma_fence_event ev,
				    const struct kdma_fence_info *info)
{
	kdma_hooks_ensure();
	KDMA_HOOK(fence, f, ev, info);
}

/* Signal without the driver-call hook, under fence->lock (dma_fence.c). */
int kdma_fence_signal_locked(struct dma_fence *fence, ktime_t timestamp);

/* dma_fence_add_callback() for libkdma's own callers, which always handle -ENOENT: a rejection
 * is not told to the sanitizer (it would wait for the callback's owner to do the work). */
int kdma_fence_add_callback_handled(struct dma_fence *fence, struct dma_fence_cb *cb,
				    dma_fence_func_t func);

/*
 * The kernel's irq_work for the containers: run work soon on the fence worker thread, so that a
 * container is signalled (and its lock taken) outside the lock of the fence whose callback
 * queued it. At exit the queue is drained before the sanitizer looks at the live fences.
 */
void kdma_fence_irq_work_queue(struct work_struct *work);

#endif
