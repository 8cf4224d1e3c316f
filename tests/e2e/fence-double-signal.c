// SPDX-License-Identifier: MIT
/*
 * fence-double-signal. The pattern of GPU job timeouts: the reset path fails every job still on
 * the pending list, but the interrupt handler that completed a job signalled its fence without
 * taking the job off the list, so the reset signals that fence a second time (the kernel returns
 * -EINVAL and says nothing; a waiter that already ran sees the error appear afterwards).
 * E2E_RELATED: fence_init,fence_signal
 */
#include <linux/list.h>

#include "e2e_fence.h"

struct job {
	struct list_head node;
	struct dma_fence *fence;
};

static LIST_HEAD(pending);

static void irq_job_done(struct job *job)
{
	dma_fence_signal(job->fence);
	BUGGY((void)0, list_del_init(&job->node)); /* the fix: completed jobs leave the list */
}

static void reset_ring(void)
{
	struct job *job, *tmp;

	list_for_each_entry_safe(job, tmp, &pending, node) {
		dma_fence_set_error(job->fence, -ETIMEDOUT);
		dma_fence_signal(job->fence);
		list_del_init(&job->node);
	}
}

int main(void)
{
	struct e2e_timeline tl;
	struct job jobs[2];

	e2e_timeline_init(&tl);
	for (int i = 0; i < 2; i++) {
		jobs[i].fence = e2e_fence_new(&tl);
		list_add_tail(&jobs[i].node, &pending);
	}
	irq_job_done(&jobs[0]);
	reset_ring();
	for (int i = 0; i < 2; i++)
		dma_fence_put(jobs[i].fence);
	return 0;
}
