// SPDX-License-Identifier: MIT
/*
 * fence-leak, through a fence chain: dma_fence_chain_for_each() holds a reference to the link it
 * is on, and a loop left with return (or break) hands that reference to the caller. A timeline
 * lookup that returns the point it found with a dma_fence_get() of its own leaks the loop's
 * reference, and with it the link, the links before it and their fences. The fix returns the
 * loop's reference as it is.
 * E2E_RELATED: fence_init
 * E2E_ONLY: yes
 */
#include <linux/dma-fence-chain.h>

#include "../e2e_fence.h"

struct timeline {
	struct e2e_timeline tl;
	struct dma_fence *head; /* the newest point, a reference */
};

static void timeline_add_point(struct timeline *t, struct dma_fence *fence, u64 point)
{
	struct dma_fence_chain *link = dma_fence_chain_alloc();

	if (!link)
		exit(77);
	dma_fence_chain_init(link, t->head, fence, point); /* takes over both references */
	t->head = &link->base;
}

/* The link of point, with a reference, or NULL once everything up to it has signalled. */
static struct dma_fence *timeline_find_point(struct timeline *t, u64 point)
{
	struct dma_fence *iter;

	dma_fence_chain_for_each(iter, t->head) {
		if (iter->seqno == point)
			return BUGGY(dma_fence_get(iter), iter);
	}
	return NULL;
}

static struct dma_fence *jobs[3];

/* The hardware completes the jobs while the driver waits for point 2. */
static void *hardware(void *arg)
{
	for (int i = 0; i < 3; i++)
		dma_fence_signal(jobs[i]);
	return NULL;
}

int main(void)
{
	struct timeline t = { .head = NULL };
	struct dma_fence *p;
	pthread_t hw;

	e2e_timeline_init(&t.tl);
	for (int i = 0; i < 3; i++) {
		jobs[i] = e2e_fence_new(&t.tl);
		timeline_add_point(&t, jobs[i], i + 1);
	}
	p = timeline_find_point(&t, 2);
	if (!p || pthread_create(&hw, NULL, hardware, NULL))
		exit(77);
	dma_fence_wait(p, false);
	pthread_join(hw, NULL);
	dma_fence_put(p);
	dma_fence_put(t.head);
	return 0;
}
