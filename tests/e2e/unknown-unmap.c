// SPDX-License-Identifier: MIT
/*
 * unknown-unmap. Modelled on the Freescale FEC "enet: fix DMA map/unmap mismatch" (B.2 #51):
 * the driver unmapped an address it never mapped ("tries to free DMA memory it has not
 * allocated"). Here the cleanup unmaps from a descriptor's buffer address plus the header
 * offset the driver had skipped, instead of the handle dma_map_single returned.
 */
#include "e2e.h"

#define HDR 64

int main(void)
{
	struct device *dev = e2e_device(NULL);
	char *buf = kmalloc(2048, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, 2048, DMA_TO_DEVICE);
	dma_addr_t payload = dma + HDR; /* what the descriptor holds */

	if (dma_mapping_error(dev, dma))
		return 1;
	dma_unmap_single(dev, BUGGY(payload, payload - HDR), 2048, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
