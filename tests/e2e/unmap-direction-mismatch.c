// SPDX-License-Identifier: MIT
/*
 * unmap-direction-mismatch. Modelled on ccree (B.1 #15): after moving to fine-grained map
 * directions, one path mapped DMA_TO_DEVICE but still unmapped DMA_BIDIRECTIONAL ("I changed
 * one but forgot the other").
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *iv = kmalloc(16, GFP_KERNEL);
	dma_addr_t dma;

	memset(iv, 0x11, 16);
	dma = dma_map_single(dev, iv, 16, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, dma))
		return 1;
	dma_unmap_single(dev, dma, 16, BUGGY(DMA_BIDIRECTIONAL, DMA_TO_DEVICE));
	kfree(iv);
	dmasim_device_destroy(dev);
	return 0;
}
