// SPDX-License-Identifier: MIT
/*
 * fence-never-signalled, at release: a job is cancelled and its fence dropped while another
 * driver still has a callback queued on it (the kernel's "released with pending signals" WARN;
 * libkdma then fails the fence with -EDEADLK, as the kernel does). The fix signals the cancelled
 * job's fence with an error before dropping it.
 * E2E_RELATED: fence_init,fence_release
 */
#include "../e2e_fence.h"

static int woken;

static void consumer_wake(struct dma_fence *f, struct dma_fence_cb *cb)
{
	woken++;
}

int main(void)
{
	struct e2e_timeline tl;
	struct dma_fence_cb cb;
	struct dma_fence *f;

	e2e_timeline_init(&tl);
	f = e2e_fence_new(&tl);
	if (dma_fence_add_callback(f, &cb, consumer_wake))
		consumer_wake(f, &cb);
	/* job cancelled */
	BUGGY((void)0, dma_fence_set_error(f, -ECANCELED));
	BUGGY((void)0, dma_fence_signal(f)); /* the fix */
	dma_fence_put(f);
	return woken == 1 ? 0 : 2;
}
