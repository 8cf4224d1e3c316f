// SPDX-License-Identifier: MIT
/*
 * fence-wait-in-signalling. The deadlock the kernel's dma_fence_begin_signalling() annotation was
 * made for: a scheduler's job-run path (a fence signalling critical section, since the job's
 * fence cannot signal until it runs) waits for a dependency fence. If that dependency needs the
 * same thread (or a lock held here) to signal, nothing ever signals. The fix waits for
 * dependencies before entering the section (schedulers add them as callbacks instead).
 * E2E_RELATED: signalling
 */
#include "e2e_fence.h"

struct job {
	struct dma_fence *dep, *fence;
};

static void run_job(struct job *job)
{
	bool cookie;

	BUGGY((void)0, dma_fence_wait(job->dep, false)); /* the fix: wait first */
	cookie = dma_fence_begin_signalling();
	BUGGY(dma_fence_wait(job->dep, false), (void)0);
	dma_fence_signal(job->fence);
	dma_fence_end_signalling(cookie);
}

int main(void)
{
	struct e2e_timeline tl;
	struct job job;

	e2e_timeline_init(&tl);
	job.dep = e2e_fence_new(&tl);
	job.fence = e2e_fence_new(&tl);
	dma_fence_signal(job.dep); /* here it signalled already, so the program does not hang */
	run_job(&job);
	dma_fence_put(job.dep);
	dma_fence_put(job.fence);
	return 0;
}
