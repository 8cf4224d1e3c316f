// SPDX-License-Identifier: MIT
/*
 * unmap-size-mismatch. Modelled on "net: atlantic: Fix DMA mapping for PTP hwts ring" (B.1 #11):
 * the ring allocation added extra bytes (34816) and the generic free path unmapped the default
 * size (32768): "device driver frees DMA memory with different size".
 * E2E_FACTS: map_size=34816 unmap_size=32768 mapped_as=single direction=DMA_FROM_DEVICE
 */
#include "e2e.h"

#define RING_BYTES 32768
#define HWTS_EXTRA 2048

int main(void)
{
	struct device *dev = e2e_device(NULL);
	size_t len = RING_BYTES + HWTS_EXTRA;
	void *ring = kmalloc(len, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, ring, len, DMA_FROM_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 1;
	dma_unmap_single(dev, dma, BUGGY(RING_BYTES, len), DMA_FROM_DEVICE);
	kfree(ring);
	dmasim_device_destroy(dev);
	return 0;
}
