/* SPDX-License-Identifier: MIT */
/* A simulated DMA controller with "tx" and "rx" channels, and a client device (a UART or SPI
 * controller) that uses them. */
#ifndef DMASAN_E2E_DMAENGINE_H
#define DMASAN_E2E_DMAENGINE_H

#include <linux/dmaengine.h>

#include "e2e.h"

struct e2e_dma {
	struct dmasim_dmac *dmac;
	struct device *client;
	struct dma_chan *tx, *rx;
};

static inline void e2e_dma_setup(struct e2e_dma *e)
{
	static const char *const names[] = { "tx", "rx" };
	struct dmasim_config ccfg = { .name = "uart0", .driver = "e2e-uart" };
	struct dmasim_config dcfg = { .name = "dmac0", .driver = "e2e-dmac" };

	e->dmac = dmasim_dmac_create(&dcfg, names, 2);
	e->client = e2e_device(&ccfg);
	if (!e->dmac)
		exit(77);
	e->tx = dma_request_chan(e->client, "tx");
	e->rx = dma_request_chan(e->client, "rx");
	if (IS_ERR(e->tx) || IS_ERR(e->rx))
		exit(77);
}

static inline void e2e_dma_teardown(struct e2e_dma *e)
{
	dma_release_channel(e->tx);
	dma_release_channel(e->rx);
	dmasim_device_destroy(e->client);
	dmasim_dmac_destroy(e->dmac);
}

#endif
