// SPDX-License-Identifier: MIT
/*
 * invalid-direction. The kernel BUG_ONs on a direction outside enum dma_data_direction
 * (valid_dma_direction()). Modelled on block drivers that derive the direction from the request
 * and map a request with no data phase as DMA_NONE.
 */
#include "e2e.h"

enum req_op { REQ_NONE, REQ_READ, REQ_WRITE };

static enum dma_data_direction req_dir(enum req_op op)
{
	return op == REQ_READ ? DMA_FROM_DEVICE : op == REQ_WRITE ? DMA_TO_DEVICE : DMA_NONE;
}

int main(void)
{
	struct device *dev = e2e_device(NULL);
	void *buf = kmalloc(512, GFP_KERNEL);
	enum req_op op = BUGGY(REQ_NONE, REQ_READ);
	dma_addr_t dma = dma_map_single(dev, buf, 512, req_dir(op));

	if (!dma_mapping_error(dev, dma))
		dma_unmap_single(dev, dma, 512, req_dir(op));
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
