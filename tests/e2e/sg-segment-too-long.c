// SPDX-License-Identifier: MIT
/*
 * sg-segment-too-long. Modelled on "media: venus: core: Set dma maximum segment size" (B.1 #45)
 * and "usb: dwc3: set the dma max_seg_size" (#46): the driver built segments larger than the
 * default 64 KiB limit without raising it ("mapping sg segment longer than device claims to
 * support"). The fix calls dma_set_max_seg_size().
 */
#include <linux/scatterlist.h>

#include "e2e.h"

#define SEG (128 * 1024)

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct scatterlist sg[2];
	void *a = kmalloc(SEG, GFP_KERNEL), *b = kmalloc(SEG, GFP_KERNEL);
	int n;

	BUGGY((void)0, dma_set_max_seg_size(dev, 4 * 1024 * 1024));
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], a, SEG);
	sg_set_buf(&sg[1], b, SEG);
	n = dma_map_sg(dev, sg, 2, DMA_FROM_DEVICE);
	if (n > 0)
		dma_unmap_sg(dev, sg, 2, DMA_FROM_DEVICE);
	kfree(a);
	kfree(b);
	dmasim_device_destroy(dev);
	return 0;
}
