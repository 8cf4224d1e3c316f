// SPDX-License-Identifier: MIT
/*
 * fence-leak. The pattern of "last fence" lookups that return a reference the caller forgets:
 * dma_fence_get() in the helper, no dma_fence_put() after the wait. Each call leaks a fence (and
 * whatever its release would free: the job, its buffers).
 * E2E_RELATED: fence_init
 */
#include "e2e_fence.h"

static struct dma_fence *last_fence;

static struct dma_fence *ring_get_last_fence(void)
{
	return dma_fence_get(last_fence);
}

static void ring_idle(void)
{
	struct dma_fence *f = ring_get_last_fence();

	dma_fence_wait(f, false);
	BUGGY((void)0, dma_fence_put(f)); /* the fix: drop the lookup's reference */
}

int main(void)
{
	struct e2e_timeline tl;

	e2e_timeline_init(&tl);
	last_fence = e2e_fence_new(&tl);
	dma_fence_signal(last_fence);
	ring_idle();
	dma_fence_put(last_fence);
	return 0;
}
