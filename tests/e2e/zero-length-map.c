// SPDX-License-Identifier: MIT
/*
 * zero-length-map. Modelled on "serial: qcom-geni: fix mapping of empty DMA buffer" (B.1 #48):
 * the TX path mapped the circular buffer even when it held no data.
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	char *xmit = kmalloc(4096, GFP_KERNEL);
	size_t pending = 0; /* nothing to send */
	dma_addr_t dma;

	if (BUGGY(1, pending > 0)) {
		dma = dma_map_single(dev, xmit, pending, DMA_TO_DEVICE);
		if (!dma_mapping_error(dev, dma))
			dma_unmap_single(dev, dma, pending, DMA_TO_DEVICE);
	}
	kfree(xmit);
	dmasim_device_destroy(dev);
	return 0;
}
