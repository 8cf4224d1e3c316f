// SPDX-License-Identifier: MIT
/*
 * freed-while-mapped through free() of a large block, which glibc gives back to the system
 * (munmap) at once: the receive mapping inside it outlives its memory. dmasan reports the free
 * and must not touch the memory at the unmap (no copy back, no check): the program goes on.
 * E2E_EXITCODE: 1
 */
#include <stdlib.h>

#include "e2e.h"

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = e2e_device(&cfg);
	u8 *buf = aligned_alloc(4096, 4 << 20);
	dma_addr_t dma;

	if (!buf)
		return 2;
	dma = dma_map_single(dev, buf, 1 << 20, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, dma))
		return 1;
	BUGGY(free(buf), (void)0);
	dma_unmap_single(dev, dma, 1 << 20, DMA_FROM_DEVICE);
	BUGGY((void)0, free(buf));
	dmasim_device_destroy(dev);
	return 0;
}
