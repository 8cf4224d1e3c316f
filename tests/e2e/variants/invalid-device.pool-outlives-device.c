// SPDX-License-Identifier: MIT
/*
 * invalid-device: a remove path that unbinds the device before destroying the driver's dma_pool
 * (the pool keeps a pointer to the device, which the kernel's dma_pool_destroy then touches).
 * The report is at the dma_pool_destroy call; its blocks, all freed here, raise nothing else.
 * E2E_FUNCTION: main
 */
#include <linux/dmapool.h>

#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct dma_pool *pool = dma_pool_create("cmd", dev, 64, 8, 0);
	dma_addr_t dma;
	void *blk = dma_pool_alloc(pool, GFP_KERNEL, &dma);

	if (!blk)
		return 3;
	dma_pool_free(pool, blk, dma);
	BUGGY((void)0, dma_pool_destroy(pool));
	dmasim_device_destroy(dev);
	BUGGY(dma_pool_destroy(pool), (void)0);
	return 0;
}
