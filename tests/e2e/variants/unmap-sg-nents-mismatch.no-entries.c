// SPDX-License-Identifier: MIT
/*
 * unmap-sg-nents-mismatch with no entries: the count kept for the unmap is the "not mapped"
 * marker -1 (set by an error path that ran after the map). Nothing is unmapped, by the kernel
 * either: the mapping leaks silently there.
 */
#include <linux/scatterlist.h>

#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	struct scatterlist sg[2];
	int nents = 2, kept;

	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], buf, 1024);
	sg_set_buf(&sg[1], buf + 2048, 1024);
	if (!dma_map_sg(dev, sg, nents, DMA_TO_DEVICE))
		return 3;
	kept = BUGGY(-1, nents);
	dma_unmap_sg(dev, sg, kept, DMA_TO_DEVICE);
	BUGGY(dma_unmap_sg(dev, sg, nents, DMA_TO_DEVICE), (void)0);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
