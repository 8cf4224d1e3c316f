// SPDX-License-Identifier: MIT
/*
 * dmaengine-wrong-mapping. The pattern behind the kernel's dmaengine_get_dma_device(): a client
 * (SPI, UART, MMC host) maps its buffers for its own struct device, but the DMA controller is the
 * one that accesses memory. Behind an IOMMU, or with different DMA masks or offsets, the handle
 * means nothing to the controller; the fix maps for the controller's device.
 * E2E_FACTS: mapped_for_device=uart0
 */
#include "e2e_dmaengine.h"

int main(void)
{
	struct e2e_dma e;
	struct device *mapdev;
	struct dma_async_tx_descriptor *desc;
	char *buf, out[64];
	dma_addr_t dma;

	e2e_dma_setup(&e);
	mapdev = BUGGY(e.client, dmaengine_get_dma_device(e.tx)); /* the fix */
	buf = kmalloc(64, GFP_KERNEL);
	memset(buf, 0x55, 64);
	dma = dma_map_single(mapdev, buf, 64, DMA_TO_DEVICE);
	if (dma_mapping_error(mapdev, dma))
		return 1;
	desc = dmaengine_prep_slave_single(e.tx, dma, 64, DMA_MEM_TO_DEV, 0);
	dma_sync_wait(e.tx, dmaengine_submit(desc));
	dmasim_dmac_fifo_pop(e.dmac, "tx", out, sizeof(out));
	dma_unmap_single(mapdev, dma, 64, DMA_TO_DEVICE);
	kfree(buf);
	e2e_dma_teardown(&e);
	return 0;
}
