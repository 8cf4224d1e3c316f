// SPDX-License-Identifier: MIT
/*
 * cpu-write-device-owned. Modelled on "net: ena: Fix DMA syncing in XDP path when SWIOTLB is on"
 * (B.1 #33b): the driver wrote an xdp_frame into the headroom of an RX page that was still
 * mapped; the unmap's sync then overwrote it. Fixed: take the buffer back first.
 */
#include "e2e.h"

struct frame_hdr {
	u32 len, flags;
};

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *page = kzalloc(4096, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, page, 4096, DMA_BIDIRECTIONAL);
	u8 pkt[64] = { 1, 2, 3 };
	struct frame_hdr *hdr = (struct frame_hdr *)page;

	if (dma_mapping_error(dev, dma))
		return 1;
	dmasim_dma_write(dev, dma + 256, pkt, sizeof(pkt)); /* a packet arrives after the headroom */
	BUGGY((void)0, dma_sync_single_for_cpu(dev, dma, 4096, DMA_BIDIRECTIONAL));
	hdr->len = sizeof(pkt); /* XDP builds its frame header in the headroom */
	hdr->flags = 1;
	BUGGY((void)0, dma_sync_single_for_device(dev, dma, 4096, DMA_BIDIRECTIONAL));
	dma_unmap_single(dev, dma, 4096, DMA_BIDIRECTIONAL);
	kfree(page);
	dmasim_device_destroy(dev);
	return 0;
}
