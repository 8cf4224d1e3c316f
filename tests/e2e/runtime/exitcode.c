// SPDX-License-Identifier: MIT
/* With halt_on_error=0 a program that reported an error and returned 0 exits with `exitcode`. */
#include "../e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(64, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, 64, DMA_TO_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 1;
	dma_unmap_single(dev, dma, 64, DMA_FROM_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
