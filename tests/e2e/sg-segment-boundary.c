// SPDX-License-Identifier: MIT
/*
 * sg-segment-boundary. The kernel's G2 ("mapping sg segment across boundary"): the controller
 * cannot cross a 64 KiB boundary in one descriptor (dma_set_seg_boundary), as in mmci_sdmmc
 * (B.1 #47, internal DMA constraints not propagated), but the driver put one segment across it.
 * The fix splits the buffer at the boundary.
 */
#include <linux/scatterlist.h>

#include "e2e.h"

#define BOUNDARY 0x10000UL

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64), .bounce = DMASIM_BOUNCE_OFF };
	struct device *dev = e2e_device(&cfg);
	struct scatterlist sg[2];
	u8 *mem = kmalloc(4 * BOUNDARY, GFP_KERNEL);
	uintptr_t edge = ((uintptr_t)mem + 2 * BOUNDARY - 1) & ~(BOUNDARY - 1);
	u8 *start = (u8 *)(edge - 4096); /* 8 KiB straddling a 64 KiB boundary */
	int nents = BUGGY(1, 2), n;

	dma_set_seg_boundary(dev, BOUNDARY - 1);
	sg_init_table(sg, nents);
	if (nents == 1) {
		sg_set_buf(&sg[0], start, 8192);
	} else {
		sg_set_buf(&sg[0], start, 4096);
		sg_set_buf(&sg[1], start + 4096, 4096);
	}
	n = dma_map_sg(dev, sg, nents, DMA_TO_DEVICE);
	if (n > 0)
		dma_unmap_sg(dev, sg, nents, DMA_TO_DEVICE);
	kfree(mem);
	dmasim_device_destroy(dev);
	return 0;
}
