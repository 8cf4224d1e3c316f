// SPDX-License-Identifier: MIT
/*
 * fence-use-after-free, through a fence array: dma_fence_array_create() takes over the
 * references in the fences it is given, and the array's release puts them. A driver that builds
 * its "all rings idle" fence from the rings' last fences without taking a reference for the
 * array, and then retires the rings' fences as usual, drops each fence twice: the array's
 * release puts fences already freed. The fix takes a reference for the array.
 * E2E_RELATED: fence_init,fence_release
 * E2E_ONLY: yes
 */
#include <linux/dma-fence-array.h>

#include "../e2e_fence.h"

#define NRINGS 2

struct ring {
	struct e2e_timeline tl;
	struct dma_fence *last; /* the ring's reference to its newest job's fence */
};

static struct dma_fence *rings_idle_fence(struct ring *rings)
{
	struct dma_fence **fences = kcalloc(NRINGS, sizeof(*fences), GFP_KERNEL);
	struct dma_fence_array *array;

	if (!fences)
		exit(77);
	for (int i = 0; i < NRINGS; i++)
		fences[i] = BUGGY(rings[i].last, dma_fence_get(rings[i].last));
	array = dma_fence_array_create(NRINGS, fences, dma_fence_context_alloc(1), 1, false);
	if (!array)
		exit(77);
	return &array->base;
}

static void ring_retire(struct ring *ring)
{
	dma_fence_put(ring->last);
	ring->last = NULL;
}

int main(void)
{
	struct ring rings[NRINGS];
	struct dma_fence *idle;

	for (int i = 0; i < NRINGS; i++) {
		e2e_timeline_init(&rings[i].tl);
		rings[i].last = e2e_fence_new(&rings[i].tl);
	}
	idle = rings_idle_fence(rings);
	for (int i = 0; i < NRINGS; i++)
		dma_fence_signal(rings[i].last); /* the jobs complete */
	dma_fence_wait(idle, false);
	for (int i = 0; i < NRINGS; i++)
		ring_retire(&rings[i]);
	dma_fence_put(idle);
	return 0;
}
