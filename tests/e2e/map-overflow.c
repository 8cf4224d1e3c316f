// SPDX-License-Identifier: MIT
/*
 * map-overflow (a warning). The kernel's "DMA addr ... overflow" WARN: a device limited to
 * 32-bit DMA, with bounce buffering off (no SWIOTLB), was handed a buffer above 4 GiB; the map
 * fails. The fix keeps buffers for a limited device in ZONE_DMA32 (GFP_DMA32).
 * E2E_OPTIONS: fail_on=warning
 */
#include "e2e.h"

int main(void)
{
	struct dmasim_config cfg = { .bounce = DMASIM_BOUNCE_OFF };
	struct device *dev = e2e_device(&cfg);
	void *high = malloc(8192); /* ordinary heap memory sits above 4 GiB */
	void *buf = BUGGY(high, kmalloc(4096, GFP_KERNEL | GFP_DMA32));
	dma_addr_t dma = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE);

	if (!dma_mapping_error(dev, dma))
		dma_unmap_single(dev, dma, 4096, DMA_TO_DEVICE);
	BUGGY((void)0, kfree(buf));
	free(high);
	dmasim_device_destroy(dev);
	return 0;
}
