// SPDX-License-Identifier: MIT
/*
 * unchecked-map-error. Modelled on "crypto: mxs-dcp - Check for DMA mapping errors" (B.1 #2):
 * the dma_map_single() result was never checked before the handle was given to the engine
 * ("device driver failed to check map error"). dmasan reports it at the first use (here the
 * device reading the buffer), not only at unmap as the kernel does.
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *key = kmalloc(32, GFP_KERNEL);
	u8 engine[32];
	dma_addr_t dma;

	memset(key, 0x42, 32);
	dma = dma_map_single(dev, key, 32, DMA_TO_DEVICE);
#ifdef FIXED
	if (dma_mapping_error(dev, dma)) {
		kfree(key);
		return 1;
	}
#endif
	dmasim_dma_read(dev, dma, engine, sizeof(engine)); /* the engine fetches the key */
	dma_unmap_single(dev, dma, 32, DMA_TO_DEVICE);
	kfree(key);
	dmasim_device_destroy(dev);
	return 0;
}
