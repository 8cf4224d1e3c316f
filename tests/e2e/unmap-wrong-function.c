// SPDX-License-Identifier: MIT
/*
 * unmap-wrong-function. Modelled on "spi: spi-fsl-dspi: Free DMA memory with matching function"
 * (B.1 #13): a dma_alloc_coherent() buffer was released with dma_unmap_single() ("mapped as
 * coherent, unmapped as single").
 * E2E_FACTS: mapped_as=coherent unmapped_as=single
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	dma_addr_t dma;
	void *tx = dma_alloc_coherent(dev, 4096, &dma, GFP_KERNEL);

	if (!tx)
		return 1;
#ifndef FIXED
	dma_unmap_single(dev, dma, 4096, DMA_BIDIRECTIONAL);
#else
	dma_free_coherent(dev, 4096, tx, dma);
#endif
	dmasim_device_destroy(dev);
	return 0;
}
