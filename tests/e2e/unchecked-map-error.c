// SPDX-License-Identifier: MIT
/*
 * unchecked-map-error. Modelled on "crypto: mxs-dcp - Check for DMA mapping errors" (B.1 #2):
 * the dma_map_single() result was never checked before the handle was given to the engine
 * ("device driver failed to check map error"). dmasan reports it at the first use (here the
 * device reading the buffer), not only at unmap as the kernel does.
 */
/* The finding names the driver function that mapped without checking, not the harness that
 * later used the handle:
 * E2E_FUNCTION: load_key
 * E2E_RELATED: use
 */
#include "e2e.h"

/* The driver: maps the key for the engine. */
static noinline dma_addr_t load_key(struct device *dev, u8 *key)
{
	dma_addr_t dma = dma_map_single(dev, key, 32, DMA_TO_DEVICE);

#ifdef FIXED
	if (dma_mapping_error(dev, dma))
		return DMA_MAPPING_ERROR;
#endif
	return dma;
}

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *key = kmalloc(32, GFP_KERNEL);
	u8 engine[32];
	dma_addr_t dma;

	memset(key, 0x42, 32);
	dma = load_key(dev, key);
#ifdef FIXED
	if (dma == DMA_MAPPING_ERROR) {
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
