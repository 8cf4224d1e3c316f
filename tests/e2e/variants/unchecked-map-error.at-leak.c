// SPDX-License-Identifier: MIT
/* unchecked-map-error of a handle that is never used again and leaks (the kernel reports it only
 * as part of the leak); the fixed twin checks and unmaps. */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(64, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, 64, DMA_TO_DEVICE);

#ifdef FIXED
	if (dma_mapping_error(dev, dma))
		return 1;
	dma_unmap_single(dev, dma, 64, DMA_TO_DEVICE);
#else
	(void)dma;
#endif
	dmasim_device_destroy(dev);
	kfree(buf);
	return 0;
}
