// SPDX-License-Identifier: MIT
/*
 * cpu-read-device-owned in a page mapped with DMA_ATTR_SKIP_CPU_SYNC, page_pool style: the pool
 * maps the page once without cache maintenance and the driver syncs each received frame itself.
 * The bug reads the frame before that sync; the fix syncs the frame first (and checks it reads
 * the device's data).
 */
#include <linux/mm.h>

#include "e2e.h"

#define HEADROOM 256
#define FRAME 1024

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	u8 frame[FRAME], *va;
	dma_addr_t dma;
	unsigned int i, bad = 0;

	if (!page)
		return 1;
	va = page_address(page);
	dma = dma_map_page_attrs(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
	if (dma_mapping_error(dev, dma))
		return 1;
	for (i = 0; i < FRAME; i++)
		frame[i] = (u8)(i * 3 + 1);
	/* the pool hands the page to the NIC, which receives a frame after the headroom */
	dma_sync_single_range_for_device(dev, dma, HEADROOM, FRAME, DMA_FROM_DEVICE);
	dmasim_dma_write(dev, dma + HEADROOM, frame, FRAME);
	BUGGY((void)0, dma_sync_single_range_for_cpu(dev, dma, HEADROOM, FRAME, DMA_FROM_DEVICE));
	for (i = 0; i < FRAME; i++)
		bad |= READ_ONCE(va[HEADROOM + i]) != frame[i];
	dma_unmap_page_attrs(dev, dma, PAGE_SIZE, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
	__free_pages(page, 0);
	dmasim_device_destroy(dev);
	return BUGGY(0, bad);
}
