// SPDX-License-Identifier: MIT
/*
 * map-resource-ram. The kernel's M5 ("dma_map_resource called for RAM address"): a peer-to-peer
 * path handed an ordinary kmalloc buffer to dma_map_resource, which is only for MMIO (a peer
 * device's BAR). The fix maps the peer's BAR window.
 */
#include <linux/mm.h>

#include "e2e.h"

#define PEER_BAR 0xfebf0000ULL /* a peer device's doorbell page, not memory of this process */

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = e2e_device(&cfg);
	u8 *ram = kmalloc(4096, GFP_KERNEL);
	phys_addr_t target = BUGGY(virt_to_phys(ram), PEER_BAR);
	dma_addr_t dma = dma_map_resource(dev, target, 4096, DMA_BIDIRECTIONAL, 0);

	if (!dma_mapping_error(dev, dma))
		dma_unmap_resource(dev, dma, 4096, DMA_BIDIRECTIONAL, 0);
	kfree(ram);
	dmasim_device_destroy(dev);
	return 0;
}
