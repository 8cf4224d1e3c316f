// SPDX-License-Identifier: MIT
/*
 * device-access-cpu-owned. The copybreak pattern of NIC drivers: a small packet is synced for
 * the CPU and copied out, and the same buffer is given back to the hardware. Forgetting
 * dma_sync_single_for_device() re-arms a buffer the CPU still owns (on a non-coherent board its
 * dirty cache lines can later overwrite what the device writes).
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(2048, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, 2048, DMA_FROM_DEVICE);
	u8 pkt[128], copy[128];
	int i;

	if (dma_mapping_error(dev, dma))
		return 1;
	for (i = 0; i < 3; i++) {
		memset(pkt, i, sizeof(pkt));
		dmasim_dma_write(dev, dma, pkt, sizeof(pkt)); /* packet i */
		dma_sync_single_for_cpu(dev, dma, sizeof(pkt), DMA_FROM_DEVICE);
		memcpy(copy, buf, sizeof(copy));
		BUGGY((void)0, dma_sync_single_for_device(dev, dma, sizeof(pkt), DMA_FROM_DEVICE));
	}
	dma_unmap_single(dev, dma, 2048, DMA_FROM_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return copy[0] == 2 ? 0 : 2;
}
