// SPDX-License-Identifier: MIT
/*
 * sync-out-of-range. The kernel's S2 ("device driver syncs DMA memory outside allocated
 * range", dead code in the kernel): like ftgmac100 (B.2 #49) mixing the received size and the
 * buffer size, the RX path synced the buffer's capacity (2048) of a mapping made with the MTU
 * length (1536).
 * E2E_FACTS: sync_offset+size=2048 size=1536
 */
#include "e2e.h"

#define MAPPED 1536
#define CAPACITY 2048

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(CAPACITY, GFP_KERNEL);
	u8 frame[64] = { 0xee };
	dma_addr_t dma = dma_map_single(dev, buf, MAPPED, DMA_FROM_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 1;
	dmasim_dma_write(dev, dma, frame, sizeof(frame));
	dma_sync_single_for_cpu(dev, dma, BUGGY(CAPACITY, MAPPED), DMA_FROM_DEVICE);
	dma_unmap_single(dev, dma, MAPPED, DMA_FROM_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
