// SPDX-License-Identifier: MIT
/*
 * invalid-device: coherent memory allocated with a NULL device, as old drivers did before the
 * kernel stopped accepting it (a series of 2019 fixes passed each driver's real device). The
 * kernel has no device to take a mask or an IOMMU from; dmasan refuses the call and says so.
 * E2E_FUNCTION: main
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	dma_addr_t ring_dma;
	void *ring = dma_alloc_coherent(BUGGY(NULL, dev), 4096, &ring_dma, GFP_KERNEL);

	if (!ring) {
		dmasim_device_destroy(dev);
		return BUGGY(0, 3);
	}
	dma_free_coherent(dev, 4096, ring, ring_dma);
	dmasim_device_destroy(dev);
	return 0;
}
