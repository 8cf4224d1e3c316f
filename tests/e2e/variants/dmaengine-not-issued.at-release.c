// SPDX-License-Identifier: MIT
/*
 * dmaengine-not-issued, at channel release: an SPI transfer is submitted without
 * dma_async_issue_pending() and the driver waits for its completion callback with a timeout,
 * gives up and releases the channel. The fix issues the transfer.
 * E2E_RELATED: prep,submit
 */
#include <linux/completion.h>

#include "../e2e_dmaengine.h"

static void spi_dma_done(void *arg)
{
	complete(arg);
}

int main(void)
{
	struct dma_async_tx_descriptor *desc;
	struct completion done;
	struct device *dmadev;
	struct e2e_dma e;
	dma_addr_t dma;
	char *buf;
	int ret = 0;

	e2e_dma_setup(&e);
	init_completion(&done);
	dmadev = dmaengine_get_dma_device(e.tx);
	buf = kzalloc(128, GFP_KERNEL);
	dma = dma_map_single(dmadev, buf, 128, DMA_TO_DEVICE);
	if (dma_mapping_error(dmadev, dma))
		return 1;
	desc = dmaengine_prep_slave_single(e.tx, dma, 128, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT);
	desc->callback = spi_dma_done;
	desc->callback_param = &done;
	dmaengine_submit(desc);
	BUGGY((void)0, dma_async_issue_pending(e.tx)); /* the fix */
	/* The buggy build would wait forever: it takes the timeout path at once. */
	if (BUGGY(0, wait_for_completion_timeout(&done, MAX_JIFFY_OFFSET)) == 0)
		ret = -ETIMEDOUT;
	dma_unmap_single(dmadev, dma, 128, DMA_TO_DEVICE);
	kfree(buf);
	e2e_dma_teardown(&e); /* releases the channels */
	return ret ? 1 : 0;
}
