// SPDX-License-Identifier: MIT
/* unchecked-map-error reported at the first sync (net: axienet, B.1 #3: RX maps unchecked). */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(1536, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, 1536, DMA_FROM_DEVICE);

	BUGGY((void)0, if (dma_mapping_error(dev, dma)) return 1);
	dma_sync_single_for_cpu(dev, dma, 1536, DMA_FROM_DEVICE);
	dma_unmap_single(dev, dma, 1536, DMA_FROM_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
