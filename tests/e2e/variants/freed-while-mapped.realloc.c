// SPDX-License-Identifier: MIT
/* freed-while-mapped through realloc(): growing a mapped ring moves it and frees the old one. */
#include "e2e.h"

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = e2e_device(&cfg);
	u8 *ring = malloc(4096), *bigger;
	dma_addr_t dma = dma_map_single(dev, ring, 4096, DMA_TO_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 1;
	BUGGY((void)0, dma_unmap_single(dev, dma, 4096, DMA_TO_DEVICE));
	bigger = realloc(ring, 1 << 20); /* large enough to move */
	BUGGY(dma_unmap_single(dev, dma, 4096, DMA_TO_DEVICE), (void)0);
	free(bigger);
	dmasim_device_destroy(dev);
	return 0;
}
