// SPDX-License-Identifier: MIT
/*
 * sync-unknown. The kernel's S1 ("device driver tries to sync DMA memory it has not
 * allocated"): an RX refill path recycled a buffer after its mapping was torn down and synced
 * the stale handle for the device. The report names where it was mapped and unmapped.
 * E2E_RELATED: map,unmap
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(2048, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, 2048, DMA_FROM_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 1;
#ifndef FIXED
	dma_unmap_single(dev, dma, 2048, DMA_FROM_DEVICE); /* ring teardown */
	dma_sync_single_for_device(dev, dma, 2048, DMA_FROM_DEVICE); /* recycle */
#else
	dma_sync_single_for_device(dev, dma, 2048, DMA_FROM_DEVICE);
	dma_unmap_single(dev, dma, 2048, DMA_FROM_DEVICE);
#endif
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
