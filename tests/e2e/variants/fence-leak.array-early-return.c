// SPDX-License-Identifier: MIT
/*
 * fence-leak, of a fence array nobody waited for: a submit path folds a job's dependencies into
 * one array, then returns early (the context was banned after a GPU hang) without putting it.
 * The array never signalled (nobody asked for its signal), but that is not the bug: its fences
 * did. The leaked array, and the dependencies it holds, are reported as leaks. The fix puts the
 * array on the early return.
 * E2E_RELATED: fence_init
 * E2E_ONLY: yes
 */
#include <linux/dma-fence-array.h>

#include "../e2e_fence.h"

#define NDEPS 3

struct context {
	bool banned;
};

static int submit(struct context *ctx, struct dma_fence **deps)
{
	struct dma_fence **fences = kcalloc(NDEPS, sizeof(*fences), GFP_KERNEL);
	struct dma_fence_array *in_fence;

	if (!fences)
		return -ENOMEM;
	for (int i = 0; i < NDEPS; i++)
		fences[i] = dma_fence_get(deps[i]);
	in_fence = dma_fence_array_create(NDEPS, fences, dma_fence_context_alloc(1), 1, false);
	if (!in_fence)
		exit(77);
	if (ctx->banned) {
		BUGGY((void)0, dma_fence_put(&in_fence->base));
		return -EIO;
	}
	dma_fence_wait(&in_fence->base, false);
	dma_fence_put(&in_fence->base);
	return 0;
}

int main(void)
{
	struct context ctx = { .banned = true };
	struct dma_fence *deps[NDEPS];
	struct e2e_timeline tl;
	int ret;

	e2e_timeline_init(&tl);
	for (int i = 0; i < NDEPS; i++)
		deps[i] = e2e_fence_new(&tl);
	ret = submit(&ctx, deps);
	for (int i = 0; i < NDEPS; i++) {
		dma_fence_signal(deps[i]);
		dma_fence_put(deps[i]);
	}
	return ret == -EIO ? 0 : 3;
}
