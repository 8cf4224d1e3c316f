// SPDX-License-Identifier: MIT
/*
 * sync-direction-mismatch. Modelled on "virtio_ring: fix syncs DMA memory with different
 * direction" (B.1 #14): virtqueue_dma_sync_single_range_for_cpu ignored its dir argument and
 * synced a DMA_FROM_DEVICE mapping as DMA_BIDIRECTIONAL.
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	u8 pkt[128] = { 0x7 };
	dma_addr_t dma = dma_map_single(dev, buf, 4096, DMA_FROM_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 1;
	dmasim_dma_write(dev, dma + 256, pkt, sizeof(pkt));
	dma_sync_single_range_for_cpu(dev, dma, 256, sizeof(pkt),
				      BUGGY(DMA_BIDIRECTIONAL, DMA_FROM_DEVICE));
	dma_unmap_single(dev, dma, 4096, DMA_FROM_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
