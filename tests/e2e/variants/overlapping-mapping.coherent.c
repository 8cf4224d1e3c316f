// SPDX-License-Identifier: MIT
/* overlapping-mapping of coherent memory by a streaming mapping: bcm5974 (B.1 #23), a buffer
 * from usb_alloc_coherent was mapped again because URB_NO_TRANSFER_DMA_MAP was missing. */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	dma_addr_t coh;
	u8 *buf = dma_alloc_coherent(dev, 4096, &coh, GFP_KERNEL);

	if (!buf)
		return 1;
#ifndef FIXED
	dma_addr_t dma = dma_map_single(dev, buf, 512, DMA_FROM_DEVICE);

	if (!dma_mapping_error(dev, dma))
		dma_unmap_single(dev, dma, 512, DMA_FROM_DEVICE);
#endif
	dma_free_coherent(dev, 4096, buf, coh);
	dmasim_device_destroy(dev);
	return 0;
}
