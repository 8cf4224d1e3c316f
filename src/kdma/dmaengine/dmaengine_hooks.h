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

#endif
