// SPDX-License-Identifier: MIT
/*
 * dma_fence_chain with the kernel's rules (drivers/dma-buf/dma-fence-chain.c is the model,
 * written anew). A link signals when its fence and everything before it have: once signalling
 * is enabled it keeps one callback on the newest unsignalled fence of the chain and moves it back
 * (from the worker thread) each time that fence signals. Walking unlinks the signalled links, so
 * a long timeline shrinks to its unsignalled points. The kernel reads chain->prev under RCU; here
 * one lock guards every link's prev pointer, so a reference taken under it is never to a link
 * already being dropped.
 */
#include <errno.h>

#include <linux/dma-fence-chain.h>

#include "fence/fence_hooks.h"

static pthread_mutex_t prev_lock = PTHREAD_MUTEX_INITIALIZER;

static bool chain_enable_signaling(struct dma_fence *fence);

/* A reference to chain's previous link, or NULL. */
static struct dma_fence *chain_get_prev(struct dma_fence_chain *chain)
{
	struct dma_fence *prev;

	pthread_mutex_lock(&prev_lock);
	prev = dma_fence_get(chain->prev);
	pthread_mutex_unlock(&prev_lock);
	return prev;
}

struct dma_fence *dma_fence_chain_walk(struct dma_fence *fence)
{
	struct dma_fence_chain *chain = to_dma_fence_chain(fence), *prev_chain;
	struct dma_fence *prev, *replacement, *dropped;

	if (!chain) {
		dma_fence_put(fence);
		return NULL;
	}
	while ((prev = chain_get_prev(chain))) {
		prev_chain = to_dma_fence_chain(prev);
		if (prev_chain) {
			if (!dma_fence_is_signaled(prev_chain->fence))
				break;
			replacement = chain_get_prev(prev_chain);
		} else {
			if (!dma_fence_is_signaled(prev))
				break;
			replacement = NULL;
		}
		/* Unlink prev unless a concurrent walk already moved chain->prev on. */
		pthread_mutex_lock(&prev_lock);
		if (chain->prev == prev) {
			chain->prev = replacement;
			dropped = prev;
		} else {
			dropped = replacement;
		}
		pthread_mutex_unlock(&prev_lock);
		dma_fence_put(dropped);
		dma_fence_put(prev);
	}
	dma_fence_put(fence);
	return prev;
}

int dma_fence_chain_find_seqno(struct dma_fence **pfence, uint64_t seqno)
{
	struct dma_fence_chain *chain;

	if (!seqno)
		return 0;
	chain = to_dma_fence_chain(*pfence);
	if (!chain || chain->base.seqno < seqno)
		return -EINVAL;
	dma_fence_chain_for_each(*pfence, &chain->base) {
		struct dma_fence_chain *link = to_dma_fence_chain(*pfence);

		if ((*pfence)->context != chain->base.context || !link ||
		    link->prev_seqno < seqno)
			break;
	}
	dma_fence_put(&chain->base);
	return 0;
}

static const char *chain_driver_name(struct dma_fence *fence)
{
	return "dma_fence_chain";
}

static const char *chain_timeline_name(struct dma_fence *fence)
{
	return "unbound";
}

/* The fence the callback waited for signalled: re-arm on the next one, or signal the link. */
static void chain_work(struct work_struct *work)
{
	struct dma_fence_chain *chain = container_of(work, struct dma_fence_chain, work);

	if (!chain_enable_signaling(&chain->base))
		dma_fence_signal(&chain->base);
	dma_fence_put(&chain->base);
}

static void chain_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct dma_fence_chain *chain = container_of(cb, struct dma_fence_chain, cb);

	kdma_fence_irq_work_queue(&chain->work);
	dma_fence_put(f);
}

/*
 * Put the callback on the newest unsignalled fence of the chain; false if there is none. While
 * armed, the link holds a reference to itself (given to the worker when the callback runs) and
 * one to the fence the callback is on (dropped by the callback).
 */
static bool chain_enable_signaling(struct dma_fence *fence)
{
	struct dma_fence_chain *head = to_dma_fence_chain(fence);

	dma_fence_get(&head->base);
	dma_fence_chain_for_each(fence, &head->base) {
		struct dma_fence *f = dma_fence_chain_contained(fence);

		dma_fence_get(f);
		if (!kdma_fence_add_callback_handled(f, &head->cb, chain_cb)) {
			dma_fence_put(fence);
			return true;
		}
		dma_fence_put(f);
	}
	dma_fence_put(&head->base);
	return false;
}

static bool chain_signaled(struct dma_fence *fence)
{
	dma_fence_chain_for_each(fence, fence) {
		struct dma_fence *f = dma_fence_chain_contained(fence);

		if (!dma_fence_is_signaled(f)) {
			dma_fence_put(fence);
			return false;
		}
	}
	return true;
}

static void chain_release(struct dma_fence *fence)
{
	struct dma_fence_chain *chain = to_dma_fence_chain(fence);
	struct dma_fence *prev;

	/* Unlink the previous links this one alone holds, so a long chain is freed in a loop
	 * rather than by recursion. */
	while ((prev = chain->prev)) {
		struct dma_fence_chain *prev_chain = to_dma_fence_chain(prev);

		if (kref_read(&prev->refcount) > 1 || !prev_chain)
			break;
		pthread_mutex_lock(&prev_lock);
		chain->prev = prev_chain->prev;
		prev_chain->prev = NULL;
		pthread_mutex_unlock(&prev_lock);
		dma_fence_put(prev);
	}
	dma_fence_put(prev);
	dma_fence_put(chain->fence);
	dma_fence_free(fence);
}

const struct dma_fence_ops dma_fence_chain_ops = {
	.use_64bit_seqno = true,
	.get_driver_name = chain_driver_name,
	.get_timeline_name = chain_timeline_name,
	.enable_signaling = chain_enable_signaling,
	.signaled = chain_signaled,
	.release = chain_release,
};

void dma_fence_chain_init(struct dma_fence_chain *chain, struct dma_fence *prev,
			  struct dma_fence *fence, uint64_t seqno)
{
	struct dma_fence_chain *prev_chain = to_dma_fence_chain(prev);
	u64 context;

	spin_lock_init(&chain->lock);
	chain->prev = prev;
	chain->fence = fence;
	chain->prev_seqno = 0;
	INIT_LIST_HEAD(&chain->cb.node);
	INIT_WORK(&chain->work, chain_work);
	/* Continue prev's timeline when seqno moves it forward; otherwise start a new one. */
	if (prev_chain && __dma_fence_is_later(seqno, prev->seqno, prev->ops)) {
		context = prev->context;
		chain->prev_seqno = prev->seqno;
	} else {
		context = dma_fence_context_alloc(1);
		if (prev_chain)
			seqno = max(prev->seqno, seqno);
	}
	dma_fence_init(&chain->base, &dma_fence_chain_ops, &chain->lock, context, seqno);
	/* Links are chained through prev only; a link's fence must not be a link. */
	WARN_ON(fence && dma_fence_is_chain(fence));
}
