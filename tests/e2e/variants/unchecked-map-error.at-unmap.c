// SPDX-License-Identifier: MIT
/* unchecked-map-error reported at unmap (the kernel's only place): krping (B.2 #55) mapped and
 * unmapped without dma_mapping_error(). */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(128, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, 128, DMA_TO_DEVICE);

	BUGGY((void)0, if (dma_mapping_error(dev, dma)) return 1);
	dma_unmap_single(dev, dma, 128, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
