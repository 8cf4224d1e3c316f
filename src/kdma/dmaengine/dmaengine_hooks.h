/* SPDX-License-Identifier: MIT */
/* The dmaengine hook, shared by the client API and the simulated controller. */
#ifndef DMASAN_KDMA_DMAENGINE_HOOKS_H
#define DMASAN_KDMA_DMAENGINE_HOOKS_H

#include <linux/dmaengine.h>

#include "base/base.h"
#include "mm/mm.h"

static inline void kdma_dmaengine_event(struct dma_chan *chan, enum kdma_dmaengine_event ev,
					const struct kdma_dmaengine_info *info)
{
	kdma_hooks_ensure();
	KDMA_HOOK(dmaengine, chan, chan->device->dev, ev, info);
}

/* Completion of descriptors of controllers other than the simulated one
 * (provider_completion.c): submit through the watch, report at DMA_COMPLETE, forget at
 * release. */
bool kdma_sim_dmac_provider(const struct dma_device *device);
dma_cookie_t kdma_dmae_submit(struct dma_async_tx_descriptor *tx);
void kdma_dmae_report_done(struct dma_chan *chan);
void kdma_dmae_forget(struct dma_chan *chan);

/* The next cookie of the channel (the kernel's drivers/dma/dmaengine.h: providers' tx_submit). */
static inline dma_cookie_t kdma_dma_cookie_assign(struct dma_async_tx_descriptor *tx)
{
	struct dma_chan *chan = tx->chan;
	dma_cookie_t cookie = chan->cookie + 1;

	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	tx->cookie = chan->cookie = cookie;
	return cookie;
}

#endif
