// SPDX-License-Identifier: MIT
/*
 * A page stays protected while any line on it is device-owned: after dma_sync_single_for_cpu of
 * the first line of a receive buffer (a header peek), a load from the rest of the buffer, still
 * the device's, traps as cpu-read-device-owned. The FIXED twin syncs the whole buffer first.
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = dmasim_device_create(&cfg);
	volatile char *rx = kmalloc(4096, GFP_KERNEL);
	dma_addr_t h;
	char c;

	h = dma_map_single(dev, (void *)rx, 4096, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, h))
		return 1;
	dmasim_dma_write(dev, h, "header", 7);
	dmasim_dma_write(dev, h + 2048, "payload", 8);
#ifdef FIXED
	dma_sync_single_for_cpu(dev, h, 4096, DMA_FROM_DEVICE);
#else
	dma_sync_single_for_cpu(dev, h, 64, DMA_FROM_DEVICE);
#endif
	c = rx[0] == 'h';
	c &= rx[2048] == 'p'; /* buggy: the device still owns this line */
	dma_unmap_single(dev, h, 4096, DMA_FROM_DEVICE);
	kfree((void *)rx);
	dmasim_device_destroy(dev);
	return c ? 0 : 2; /* the device's data, not poison */
}
