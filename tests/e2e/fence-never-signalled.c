// SPDX-License-Identifier: MIT
/*
 * fence-never-signalled. The pattern of teardown paths that free their jobs without failing
 * their fences: a consumer that holds the fence (a reservation object, another driver's
 * dependency) waits forever. The fix signals every unfinished fence with an error.
 * E2E_RELATED: fence_init
 */
#include "e2e_fence.h"

struct job {
	struct dma_fence *fence;
	bool done;
};

static void driver_teardown(struct job *jobs, int n)
{
	for (int i = 0; i < n; i++) {
		if (!jobs[i].done) {
			BUGGY((void)0, dma_fence_set_error(jobs[i].fence, -ECANCELED));
			BUGGY((void)0, dma_fence_signal(jobs[i].fence));
		}
		dma_fence_put(jobs[i].fence);
	}
}

int main(void)
{
	struct e2e_timeline tl;
	struct dma_fence *consumer;
	struct job jobs[2];

	e2e_timeline_init(&tl);
	for (int i = 0; i < 2; i++)
		jobs[i] = (struct job){ e2e_fence_new(&tl), false };
	consumer = dma_fence_get(jobs[1].fence); /* another driver depends on job 1 */
	dma_fence_signal(jobs[0].fence);
	jobs[0].done = true;
	driver_teardown(jobs, 2);
	/* The consumer drops its reference once the fence signalled (with or without an error). */
	if (dma_fence_is_signaled(consumer))
		dma_fence_put(consumer);
	return 0;
}
