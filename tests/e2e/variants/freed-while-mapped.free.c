// SPDX-License-Identifier: MIT
/* freed-while-mapped through free(): a userspace port of a driver keeps malloc()ed RX buffers
 * and frees one before unmapping it. */
#include "e2e.h"

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = e2e_device(&cfg);
	u8 *buf = aligned_alloc(128, 4096);
	dma_addr_t dma = dma_map_single(dev, buf + 512, 1024, DMA_FROM_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 1;
	BUGGY(free(buf), (void)0);
	dma_unmap_single(dev, dma, 1024, DMA_FROM_DEVICE);
	BUGGY((void)0, free(buf));
	dmasim_device_destroy(dev);
	return 0;
}
