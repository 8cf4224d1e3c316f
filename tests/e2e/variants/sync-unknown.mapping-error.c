// SPDX-License-Identifier: MIT
/*
 * sync-unknown of DMA_MAPPING_ERROR: the receive poll syncs every ring slot, including one whose
 * refill map failed and left the error value in the slot. A sync finds no mapping to sync (the
 * kernel's sync check), which is not the unmap check's invalid-unmap.
 * E2E_ONLY: yes
 */
#include "e2e.h"

#define SLOTS 2

int main(void)
{
	struct device *dev = e2e_device(NULL);
	dma_addr_t slot[SLOTS];
	u8 *buf[SLOTS];
	int i;

	for (i = 0; i < SLOTS; i++) {
		buf[i] = kmalloc(512, GFP_KERNEL);
		slot[i] = dma_map_single(dev, buf[i], 512, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, slot[i]))
			return 3;
	}
	dma_unmap_single(dev, slot[1], 512, DMA_FROM_DEVICE);
	slot[1] = DMA_MAPPING_ERROR; /* the refill of slot 1 failed */
	for (i = 0; i < SLOTS; i++)
		if (BUGGY(true, slot[i] != DMA_MAPPING_ERROR))
			dma_sync_single_for_cpu(dev, slot[i], 512, DMA_FROM_DEVICE);
	dma_unmap_single(dev, slot[0], 512, DMA_FROM_DEVICE);
	for (i = 0; i < SLOTS; i++)
		kfree(buf[i]);
	dmasim_device_destroy(dev);
	return 0;
}
