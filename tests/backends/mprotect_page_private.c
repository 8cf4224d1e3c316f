// SPDX-License-Identifier: MIT
/*
 * Under cpu_access=mprotect every kmalloc object gets a page of its own, so a device-owned
 * receive buffer never shares its (protected) page with data the CPU keeps using. Exit 0 when
 * two small objects land on different pages and a receive buffer round-trips correctly.
 */
#include <stdint.h>

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = dmasim_device_create(&cfg);
	char *rx = kmalloc(64, GFP_KERNEL), *counters = kzalloc(64, GFP_KERNEL);
	dma_addr_t h;
	int i;

	if (((uintptr_t)rx >> 12) == ((uintptr_t)counters >> 12))
		return 3; /* shared page: every counter update would trap */
	h = dma_map_single(dev, rx, 64, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, h))
		return 1;
	for (i = 0; i < 1000; i++)
		counters[i % 64]++; /* must not trap (nothing to report either) */
	dmasim_dma_write(dev, h, "frame", 6);
	dma_unmap_single(dev, h, 64, DMA_FROM_DEVICE);
	if (rx[0] != 'f')
		return 2;
	kfree(rx);
	kfree(counters);
	dmasim_device_destroy(dev);
	return 0;
}
