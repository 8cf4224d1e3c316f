// SPDX-License-Identifier: MIT
/*
 * coherent-freed-wrongly. The inverse of spi-fsl-dspi (B.1 #13, coherent memory released with a
 * streaming call): an error path released a dma_alloc_coherent() descriptor ring with kfree().
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	dma_addr_t dma;
	void *ring = dma_alloc_coherent(dev, 4096, &dma, GFP_KERNEL);

	if (!ring)
		return 1;
	/* ... the second allocation of probe fails: unwind */
#ifndef FIXED
	kfree(ring);
#else
	dma_free_coherent(dev, 4096, ring, dma);
#endif
	dmasim_device_destroy(dev);
	return 0;
}
