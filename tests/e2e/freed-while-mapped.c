// SPDX-License-Identifier: MIT
/*
 * freed-while-mapped. Modelled on litex_m2sdr (B.2 #58), where buffers were released while the
 * device could still DMA into them, and on the moxart teardown (B.1 #22): the stop path freed
 * the RX buffers and unmapped them afterwards (or never).
 * E2E_RELATED: map
 */
#include "e2e.h"

#define NRX 4

int main(void)
{
	struct device *dev = e2e_device(NULL);
	void *rx[NRX];
	dma_addr_t dma[NRX];
	int i;

	for (i = 0; i < NRX; i++) {
		rx[i] = kmalloc(2048, GFP_KERNEL);
		dma[i] = dma_map_single(dev, rx[i], 2048, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, dma[i]))
			return 1;
	}
	for (i = 0; i < NRX; i++) { /* stop */
#ifndef FIXED
		kfree(rx[i]);
		dma_unmap_single(dev, dma[i], 2048, DMA_FROM_DEVICE);
#else
		dma_unmap_single(dev, dma[i], 2048, DMA_FROM_DEVICE);
		kfree(rx[i]);
#endif
	}
	dmasim_device_destroy(dev);
	return 0;
}
