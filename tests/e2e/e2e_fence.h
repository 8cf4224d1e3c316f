/* SPDX-License-Identifier: MIT */
/* A fence timeline for the fence programs: one context, fences kmalloc'd, released by the core. */
#ifndef DMASAN_E2E_FENCE_H
#define DMASAN_E2E_FENCE_H

#include <linux/dma-fence.h>

#include "e2e.h"

struct e2e_timeline {
	spinlock_t lock;
	u64 context;
	u64 seqno;
};

static const char *e2e_fence_driver(struct dma_fence *f)
{
	return "e2e";
}

static const char *e2e_fence_timeline(struct dma_fence *f)
{
	return "ring0";
}

static const struct dma_fence_ops e2e_fence_ops = {
	.get_driver_name = e2e_fence_driver,
	.get_timeline_name = e2e_fence_timeline,
};

static inline void e2e_timeline_init(struct e2e_timeline *tl)
{
	spin_lock_init(&tl->lock);
	tl->context = dma_fence_context_alloc(1);
	tl->seqno = 0;
}

/* The next fence on the timeline, holding one reference. */
static inline struct dma_fence *e2e_fence_new(struct e2e_timeline *tl)
{
	struct dma_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		exit(77);
	dma_fence_init(f, &e2e_fence_ops, &tl->lock, tl->context, ++tl->seqno);
	return f;
}

#endif
