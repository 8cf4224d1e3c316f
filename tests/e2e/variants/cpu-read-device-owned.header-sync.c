// SPDX-License-Identifier: MIT
/*
 * cpu-read-device-owned in a page partly synced back: an RX driver syncs only the frame's header
 * with dma_sync_single_range_for_cpu() to parse it, then reads payload bytes of the same page
 * that it never synced (stale on a non-coherent machine or with SWIOTLB). The fix syncs the
 * frame's length before reading the payload. The fixed twin checks it reads the device's data.
 */
#include "e2e.h"

#define BUF 2048
#define HDR 64
#define FRAME 1500

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *rx = kmalloc(BUF, GFP_KERNEL), frame[FRAME];
	dma_addr_t dma = dma_map_single(dev, rx, BUF, DMA_FROM_DEVICE);
	unsigned int i, sum = 0, want = 0;

	if (dma_mapping_error(dev, dma))
		return 1;
	for (i = 0; i < FRAME; i++) {
		frame[i] = (u8)(i * 5 + 3);
		want += frame[i];
	}
	dmasim_dma_write(dev, dma, frame, FRAME); /* the NIC receives a frame */
	dma_sync_single_range_for_cpu(dev, dma, 0, HDR, DMA_FROM_DEVICE);
	if (rx[0] != frame[0])
		return 1; /* the header is the device's */
	BUGGY((void)0, dma_sync_single_range_for_cpu(dev, dma, HDR, FRAME - HDR, DMA_FROM_DEVICE));
	for (i = 0; i < FRAME; i++)
		sum += READ_ONCE(rx[i]); /* the payload: bytes HDR.. */
	dma_unmap_single(dev, dma, BUF, DMA_FROM_DEVICE);
	kfree(rx);
	dmasim_device_destroy(dev);
	return BUGGY(0, sum != want);
}
