// SPDX-License-Identifier: MIT
/*
 * dmaengine-terminate-no-sync. The pattern the kernel deprecated dmaengine_terminate_all() for:
 * a shutdown path stops the receive channel with dmaengine_terminate_async() (it may run in
 * atomic context) and frees the buffers right away, while the transfer, or its completion
 * callback, may still be running. The fix calls dmaengine_synchronize() before freeing.
 * E2E_RELATED: prep,terminate
 */
#include "e2e_dmaengine.h"

static int rx_done;

static void rx_callback(void *arg)
{
	rx_done++;
}

int main(void)
{
	struct device *dmadev;
	struct dma_async_tx_descriptor *desc;
	struct e2e_dma e;
	dma_addr_t dma;
	char *buf;

	e2e_dma_setup(&e);
	dmadev = dmaengine_get_dma_device(e.rx);
	buf = kzalloc(512, GFP_KERNEL);
	dma = dma_map_single(dmadev, buf, 512, DMA_FROM_DEVICE);
	if (dma_mapping_error(dmadev, dma))
		return 1;
	desc = dmaengine_prep_dma_cyclic(e.rx, dma, 512, 128, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT);
	desc->callback = rx_callback;
	dmaengine_submit(desc);
	dma_async_issue_pending(e.rx);

	/* port shutdown */
	dmaengine_terminate_async(e.rx);
	BUGGY((void)0, dmaengine_synchronize(e.rx)); /* the fix */
	dma_unmap_single(dmadev, dma, 512, DMA_FROM_DEVICE);
	kfree(buf);
	e2e_dma_teardown(&e);
	return 0;
}
