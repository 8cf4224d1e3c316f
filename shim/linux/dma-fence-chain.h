/* SPDX-License-Identifier: MIT */
/*
 * <linux/dma-fence-chain.h> — a timeline of fences (drm_syncobj's timeline points): each link
 * holds one fence and a reference to the previous link, and signals once its fence and every
 * earlier link have. Links keep their predecessor's context while their seqnos grow. Walking the
 * chain (dma_fence_chain_for_each) drops the links whose fences have signalled, and hands out a
 * reference to each link it visits: a loop left with break keeps one (the caller must put it).
 */
#ifndef _DMASAN_SHIM_LINUX_DMA_FENCE_CHAIN_H
#define _DMASAN_SHIM_LINUX_DMA_FENCE_CHAIN_H

#include <linux/dma-fence.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

struct dma_fence_chain {
	struct dma_fence base;
	struct dma_fence *prev; /* the previous link (or a plain fence), a reference; NULL at the
				 * start or once everything before signalled */
	u64 prev_seqno;         /* prev's seqno when it is a link of the same context, else 0 */
	struct dma_fence *fence; /* this link's fence, a reference */
	struct dma_fence_cb cb;  /* on the first unsignalled fence of the chain */
	struct work_struct work; /* re-arms cb outside the signalling fence's lock */
	spinlock_t lock;
};

static inline struct dma_fence_chain *to_dma_fence_chain(struct dma_fence *fence)
{
	if (!fence || !dma_fence_is_chain(fence))
		return NULL;
	return container_of(fence, struct dma_fence_chain, base);
}

/* The fence a link holds, or fence itself if it is not a link. */
static inline struct dma_fence *dma_fence_chain_contained(struct dma_fence *fence)
{
	struct dma_fence_chain *chain = to_dma_fence_chain(fence);

	return chain ? chain->fence : fence;
}

/* Memory for a link; dma_fence_chain_free() only for one never initialised. */
static inline struct dma_fence_chain *dma_fence_chain_alloc(void)
{
	return kmalloc(sizeof(struct dma_fence_chain), GFP_KERNEL);
}

static inline void dma_fence_chain_free(struct dma_fence_chain *chain)
{
	kfree(chain);
}

/*
 * Initialise a link after prev (may be NULL) holding fence, at seqno. Takes over the caller's
 * references to prev and fence. The link keeps prev's context if seqno is later than prev's,
 * otherwise it starts a new context (at the later of the two seqnos). fence must not be a link.
 */
void dma_fence_chain_init(struct dma_fence_chain *chain, struct dma_fence *prev,
			  struct dma_fence *fence, uint64_t seqno);

/*
 * One step back: drops the caller's reference to fence and returns a reference to its previous
 * link whose fence has not signalled yet (unlinking the signalled ones), or NULL at the end.
 */
struct dma_fence *dma_fence_chain_walk(struct dma_fence *fence);

/*
 * Replace *pfence (a link, referenced) with the link whose signal means seqno has passed: the
 * oldest link of the same context still at or after seqno, or NULL if every such point
 * signalled. 0, or -EINVAL if *pfence is not a link or is before seqno. seqno 0: no change.
 */
int dma_fence_chain_find_seqno(struct dma_fence **pfence, uint64_t seqno);

/* Walk from head back; iter holds a reference to the link it names (see above). */
#define dma_fence_chain_for_each(iter, head)                                                  \
	for (iter = dma_fence_get(head); iter; iter = dma_fence_chain_walk(iter))

#endif
