// SPDX-License-Identifier: MIT
/*
 * device-direction-violation. Modelled on Avnu igb_avb (B.2 #53): a buffer the hardware reads
 * was mapped DMA_FROM_DEVICE; with an IOMMU that is "DMAR ... PTE Read access is not set". Here
 * on the direct path, where nothing faults and only the direction says it is wrong.
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *desc = kzalloc(256, GFP_KERNEL);
	dma_addr_t dma;
	u8 fetched[64];

	memset(desc, 0x5a, 64); /* a command the device fetches */
	dma = dma_map_single(dev, desc, 256, BUGGY(DMA_FROM_DEVICE, DMA_TO_DEVICE));
	if (dma_mapping_error(dev, dma))
		return 1;
	dmasim_dma_read(dev, dma, fetched, sizeof(fetched));
	dma_unmap_single(dev, dma, 256, BUGGY(DMA_FROM_DEVICE, DMA_TO_DEVICE));
	kfree(desc);
	dmasim_device_destroy(dev);
	return 0;
}
