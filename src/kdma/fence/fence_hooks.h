/* SPDX-License-Identifier: MIT */
/* The fence hook with its attachment check folded in (fence/ is outside the mapping stack). */
#ifndef DMASAN_KDMA_FENCE_HOOKS_H
#define DMASAN_KDMA_FENCE_HOOKS_H

#include <linux/dma-fence.h>

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

#endif
