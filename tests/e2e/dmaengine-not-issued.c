// SPDX-License-Identifier: MIT
/*
 * dmaengine-not-issued. The pattern of client drivers that call dmaengine_submit() and then wait,
 * forgetting dma_async_issue_pending(): submit only queues the descriptor, so the transfer never
 * starts and the driver times out (often only on controllers whose issue_pending is what starts
 * the hardware, so it "worked" elsewhere).
 * E2E_RELATED: prep,submit
 */
#include "e2e_dmaengine.h"

static int uart_tx(struct e2e_dma *e, const char *msg, size_t len)
{
	struct device *dmadev = dmaengine_get_dma_device(e->tx);
	char *buf = kmemdup(msg, len, GFP_KERNEL);
	struct dma_async_tx_descriptor *desc;
	enum dma_status st = DMA_IN_PROGRESS;
	dma_cookie_t cookie;
	dma_addr_t dma;
	int tries;

	dma = dma_map_single(dmadev, buf, len, DMA_TO_DEVICE);
	if (dma_mapping_error(dmadev, dma))
		return -ENOMEM;
	desc = dmaengine_prep_slave_single(e->tx, dma, len, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT);
	cookie = dmaengine_submit(desc);
	BUGGY((void)0, dma_async_issue_pending(e->tx)); /* the fix */
	/* A bounded poll in the buggy build; the fixed one completes whatever the speed. */
	for (tries = 0; BUGGY(tries < 3, 1) && st != DMA_COMPLETE; tries++)
		st = dmaengine_tx_status(e->tx, cookie, NULL);
	if (st != DMA_COMPLETE)
		dmaengine_terminate_sync(e->tx);
	dma_unmap_single(dmadev, dma, len, DMA_TO_DEVICE);
	kfree(buf);
	return st == DMA_COMPLETE ? 0 : -ETIMEDOUT;
}

int main(void)
{
	struct e2e_dma e;
	char out[16];
	int ret;

	e2e_dma_setup(&e);
	ret = uart_tx(&e, "hello, uart\n", 12);
	if (!ret && dmasim_dmac_fifo_pop(e.dmac, "tx", out, sizeof(out)) != 12)
		ret = -EIO;
	e2e_dma_teardown(&e);
	return ret ? 1 : 0;
}
