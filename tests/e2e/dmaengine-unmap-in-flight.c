// SPDX-License-Identifier: MIT
/*
 * dmaengine-unmap-in-flight. The pattern of receive timeouts that give the buffer back while the
 * DMA is still armed: the UART's RX transfer waits for bytes from the line; the driver's timeout
 * path unmaps and frees the buffer, and the controller writes the next bytes into memory that is
 * no longer the driver's. The fix stops the channel (dmaengine_terminate_sync) first.
 * E2E_RELATED: prep,submit
 */
#include "e2e_dmaengine.h"

struct uart_rx {
	char *buf;
	dma_addr_t dma;
	size_t len;
};

static void rx_start(struct e2e_dma *e, struct uart_rx *rx)
{
	struct device *dmadev = dmaengine_get_dma_device(e->rx);
	struct dma_async_tx_descriptor *desc;

	rx->buf = kzalloc(rx->len, GFP_KERNEL);
	rx->dma = dma_map_single(dmadev, rx->buf, rx->len, DMA_FROM_DEVICE);
	if (dma_mapping_error(dmadev, rx->dma))
		exit(1);
	desc = dmaengine_prep_slave_single(e->rx, rx->dma, rx->len, DMA_DEV_TO_MEM,
					   DMA_PREP_INTERRUPT);
	dmaengine_submit(desc);
	dma_async_issue_pending(e->rx);
}

static void rx_timeout(struct e2e_dma *e, struct uart_rx *rx)
{
	BUGGY((void)0, dmaengine_terminate_sync(e->rx)); /* the fix */
	dma_unmap_single(dmaengine_get_dma_device(e->rx), rx->dma, rx->len, DMA_FROM_DEVICE);
	kfree(rx->buf);
}

int main(void)
{
	struct uart_rx rx = { .len = 256 };
	struct e2e_dma e;

	e2e_dma_setup(&e);
	rx_start(&e, &rx);
	rx_timeout(&e, &rx); /* nothing arrived on the line */
	dmaengine_terminate_sync(e.rx);
	e2e_dma_teardown(&e);
	return 0;
}
