// SPDX-License-Identifier: MIT
/*
 * cpu-read-device-owned in a page shared by several mappings: a driver splits a page into two
 * receive buffers, each mapped on its own (two RX descriptors). When the first completes it
 * syncs and reads it, and also peeks at the second, which the device still owns. The fix reads
 * only what it synced (and checks it is the device's data).
 */
#include <linux/mm.h>

#include "e2e.h"

#define HALF (PAGE_SIZE / 2)

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	dma_addr_t dma[2];
	u8 frame[64], *va;
	int i, bad = 0;

	if (!page)
		return 1;
	va = page_address(page);
	for (i = 0; i < 2; i++) {
		dma[i] = dma_map_page(dev, page, i * HALF, HALF, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, dma[i]))
			return 1;
	}
	memset(frame, 0x5a, sizeof(frame));
	dmasim_dma_write(dev, dma[0], frame, sizeof(frame));
	dma_sync_single_for_cpu(dev, dma[0], HALF, DMA_FROM_DEVICE);
	for (i = 0; i < (int)sizeof(frame); i++)
		bad |= READ_ONCE(va[i]) != frame[i];
	BUGGY((void)READ_ONCE(va[HALF + 8]), (void)0); /* the second buffer: not completed */
	for (i = 0; i < 2; i++)
		dma_unmap_page(dev, dma[i], HALF, DMA_FROM_DEVICE);
	__free_pages(page, 0);
	dmasim_device_destroy(dev);
	return bad;
}
