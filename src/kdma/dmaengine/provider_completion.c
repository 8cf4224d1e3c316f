// SPDX-License-Identifier: MIT
/*
 * When a controller driver of the kernel's finishes a descriptor, it completes the cookie and runs
 * the client's callback with the inline helpers of its own drivers/dma/dmaengine.h, which nothing
 * here sees. So the core puts a trampoline in front of the client's callback at submit: it tells
 * the sanitizer the descriptor is complete, then calls the client's. A client that learns of
 * completion from dmaengine_tx_status() (the provider may answer DMA_COMPLETE before it runs the
 * callback) has the sanitizer told there. The simulated controller reports completion itself.
 */
#include <linux/dmaengine.h>
#include <linux/list.h>
#include <linux/slab.h>

#include "dmaengine/dmaengine_hooks.h"

struct watched {
	struct list_head node;
	struct dma_chan *chan;
	struct dma_async_tx_descriptor *tx;
	dma_cookie_t cookie;
	bool reported;
	dma_async_tx_callback callback;
	dma_async_tx_callback_result callback_result;
	void *callback_param;
};

static LIST_HEAD(watched_list);
static pthread_mutex_t watched_lock = PTHREAD_MUTEX_INITIALIZER;

static void report_complete(struct watched *w)
{
	struct kdma_dmaengine_info info = { .desc = w->tx, .cookie = w->cookie };

	w->reported = true;
	kdma_dmaengine_event(w->chan, KDMA_DMAE_COMPLETE, &info);
}

static void trampoline(void *param, const struct dmaengine_result *result)
{
	struct watched *w = param;
	struct dmaengine_result ok = { .result = DMA_TRANS_NOERROR };

	pthread_mutex_lock(&watched_lock);
	list_del(&w->node);
	if (!w->reported)
		report_complete(w);
	pthread_mutex_unlock(&watched_lock);
	if (w->callback_result)
		w->callback_result(w->callback_param, result ? result : &ok);
	else if (w->callback)
		w->callback(w->callback_param);
	kfree(w);
}

dma_cookie_t kdma_dmae_submit(struct dma_async_tx_descriptor *tx)
{
	struct watched *w;
	dma_cookie_t cookie;

	if (kdma_sim_dmac_provider(tx->chan->device))
		return tx->tx_submit(tx);
	w = kzalloc(sizeof(*w), GFP_ATOMIC);
	if (!w)
		return tx->tx_submit(tx); /* unwatched: the sanitizer may see it in flight for ever */
	w->chan = tx->chan;
	w->tx = tx;
	w->callback = tx->callback;
	w->callback_result = tx->callback_result;
	w->callback_param = tx->callback_param;
	/* under the lock: the controller may finish it before tx_submit returns */
	pthread_mutex_lock(&watched_lock);
	tx->callback = NULL;
	tx->callback_result = trampoline;
	tx->callback_param = w;
	list_add_tail(&w->node, &watched_list);
	cookie = w->cookie = tx->tx_submit(tx);
	if (cookie < 0) {
		list_del(&w->node);
		tx->callback = w->callback;
		tx->callback_result = w->callback_result;
		tx->callback_param = w->callback_param;
		kfree(w);
	}
	pthread_mutex_unlock(&watched_lock);
	return cookie;
}

void kdma_dmae_report_done(struct dma_chan *chan)
{
	struct watched *w;

	pthread_mutex_lock(&watched_lock);
	list_for_each_entry(w, &watched_list, node) {
		if (w->chan == chan && !w->reported &&
		    dma_async_is_complete(w->cookie, chan->completed_cookie, chan->cookie) ==
			    DMA_COMPLETE)
			report_complete(w);
	}
	pthread_mutex_unlock(&watched_lock);
}

void kdma_dmae_forget(struct dma_chan *chan)
{
	struct watched *w, *tmp;

	pthread_mutex_lock(&watched_lock);
	list_for_each_entry_safe(w, tmp, &watched_list, node) {
		if (w->chan == chan) {
			list_del(&w->node);
			kfree(w);
		}
	}
	pthread_mutex_unlock(&watched_lock);
}
