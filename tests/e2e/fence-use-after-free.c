// SPDX-License-Identifier: MIT
/*
 * fence-use-after-free. The pattern of completion handlers that drop the job's reference to its
 * fence before they are done with it: the put releases the fence (nobody else held one), and the
 * signal that follows writes freed memory.
 * E2E_RELATED: fence_init,fence_release
 */
#include "e2e_fence.h"

struct job {
	struct dma_fence *fence;
};

static void job_complete(struct job *job)
{
#ifndef FIXED
	dma_fence_put(job->fence);
	dma_fence_signal(job->fence);
#else
	dma_fence_signal(job->fence); /* the fix: signal, then drop the reference */
	dma_fence_put(job->fence);
#endif
	job->fence = NULL;
}

int main(void)
{
	struct e2e_timeline tl;
	struct job job;

	e2e_timeline_init(&tl);
	job.fence = e2e_fence_new(&tl);
	job_complete(&job);
	return 0;
}
