// SPDX-License-Identifier: MIT
/* halt_on_error=1: the first error ends the process; the second bug and the marker after it are
 * never reached. */
#include "../e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(64, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, 64, DMA_TO_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 1;
	dma_unmap_single(dev, dma, 32, DMA_TO_DEVICE);       /* first error */
	dma_unmap_single(dev, dma, 64, DMA_TO_DEVICE);       /* second: double-unmap */
	printf("REACHED-AFTER-ERRORS\n");
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
