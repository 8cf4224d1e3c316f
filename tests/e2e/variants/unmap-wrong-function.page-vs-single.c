// SPDX-License-Identifier: MIT
/* unmap-wrong-function between single and page, which the kernel lumps together: a buffer
 * mapped with dma_map_page() released with dma_unmap_single(). */
#include <linux/mm.h>

#include "e2e.h"
/* E2E_FACTS: mapped_as=page unmapped_as=single */

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	dma_addr_t dma = dma_map_page(dev, virt_to_page(buf), offset_in_page(buf), 256,
				      DMA_TO_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 1;
	BUGGY(dma_unmap_single, dma_unmap_page)(dev, dma, 256, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
