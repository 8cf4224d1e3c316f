// SPDX-License-Identifier: MIT
/*
 * fence-callback-lost. The pattern of dependency tracking that ignores the return value of
 * dma_fence_add_callback(): when the dependency has already signalled, the call returns -ENOENT
 * and the callback never runs, so the job it would have queued (and freed) is stuck. The fix runs
 * the callback itself on -ENOENT, as the kernel documents.
 * E2E_RELATED: fence_init,fence_signal
 */
#include "e2e_fence.h"

struct job {
	struct dma_fence_cb cb;
	int id;
};

static int jobs_run;

static void dep_signalled(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct job *job = container_of(cb, struct job, cb);

	jobs_run++;
	kfree(job);
}

static void queue_after(struct dma_fence *dep, int id)
{
	struct job *job = kzalloc(sizeof(*job), GFP_KERNEL);
	int ret;

	job->id = id;
	ret = dma_fence_add_callback(dep, &job->cb, dep_signalled);
	BUGGY((void)ret, if (ret == -ENOENT) dep_signalled(dep, &job->cb));
}

int main(void)
{
	struct e2e_timeline tl;
	struct dma_fence *dep;

	e2e_timeline_init(&tl);
	dep = e2e_fence_new(&tl);
	queue_after(dep, 1);
	dma_fence_signal(dep);
	queue_after(dep, 2); /* the dependency is already done */
	dma_fence_put(dep);
	return jobs_run == 2 ? 0 : 3;
}
