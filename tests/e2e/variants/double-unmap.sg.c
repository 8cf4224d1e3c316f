// SPDX-License-Identifier: MIT
/* double-unmap of a scatterlist: an error path and the completion both unmap the request. */
#include <linux/scatterlist.h>

#include "e2e.h"
/* E2E_RELATED: map,unmap */

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct scatterlist sg[2];
	u8 *a = kmalloc(512, GFP_KERNEL), *b = kmalloc(512, GFP_KERNEL);

	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], a, 512);
	sg_set_buf(&sg[1], b, 512);
	if (dma_map_sg(dev, sg, 2, DMA_TO_DEVICE) <= 0)
		return 1;
	dma_unmap_sg(dev, sg, 2, DMA_TO_DEVICE);   /* error path */
	BUGGY(dma_unmap_sg(dev, sg, 2, DMA_TO_DEVICE), (void)0); /* completion */
	kfree(a);
	kfree(b);
	dmasim_device_destroy(dev);
	return 0;
}
