// SPDX-License-Identifier: MIT
/* freed-while-mapped through munmap(): a hugepage-style buffer is unmapped from the process
 * while the device still has it mapped. */
#include <sys/mman.h>

#include "e2e.h"

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = e2e_device(&cfg);
	u8 *area = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	dma_addr_t dma = dma_map_single(dev, area + 8192, 4096, DMA_TO_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 1;
	BUGGY(munmap(area, 1 << 20), dma_unmap_single(dev, dma, 4096, DMA_TO_DEVICE));
	BUGGY(dma_unmap_single(dev, dma, 4096, DMA_TO_DEVICE), munmap(area, 1 << 20));
	dmasim_device_destroy(dev);
	return 0;
}
