// SPDX-License-Identifier: MIT
/*
 * invalid-unmap. Modelled on net: ps3_gelic_net (B.1 #1) and niu (#4): the map result was tested
 * the wrong way, so a failed mapping (DMA_MAPPING_ERROR) stayed in the descriptor and the
 * teardown path unmapped it. Here the ring marks empty slots with DMA_MAPPING_ERROR and the buggy
 * teardown unmaps every slot.
 */
#include "e2e.h"

#define RING 4

struct desc {
	void *buf;
	dma_addr_t dma;
};

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct desc ring[RING];
	int i;

	for (i = 0; i < RING; i++)
		ring[i] = (struct desc){ NULL, DMA_MAPPING_ERROR };
	for (i = 0; i < 2; i++) { /* only half the ring is filled */
		ring[i].buf = kmalloc(2048, GFP_KERNEL);
		ring[i].dma = dma_map_single(dev, ring[i].buf, 2048, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, ring[i].dma))
			return 1;
	}
	for (i = 0; i < RING; i++) {
		if (BUGGY(0, ring[i].dma == DMA_MAPPING_ERROR))
			continue;
		dma_unmap_single(dev, ring[i].dma, 2048, DMA_FROM_DEVICE);
		kfree(ring[i].buf);
	}
	dmasim_device_destroy(dev);
	return 0;
}
