// SPDX-License-Identifier: MIT
/*
 * map-from-vmalloc. Modelled on "i2c: at91: use dma safe buffers" (B.1 #27) and bcm5974 (#23):
 * a vmalloc'ed buffer reached dma_map_single ("rejecting DMA map of vmalloc memory"); the map
 * fails as in the kernel. The fix uses kmalloc memory.
 */
#include <linux/vmalloc.h>

#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *msg = BUGGY(vmalloc(256), kmalloc(256, GFP_KERNEL));
	dma_addr_t dma;

	memset(msg, 0, 256);
	dma = dma_map_single(dev, msg, 256, DMA_TO_DEVICE);
	if (!dma_mapping_error(dev, dma))
		dma_unmap_single(dev, dma, 256, DMA_TO_DEVICE);
	BUGGY(vfree(msg), kfree(msg));
	dmasim_device_destroy(dev);
	return 0;
}
