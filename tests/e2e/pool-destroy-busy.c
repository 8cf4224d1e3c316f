// SPDX-License-Identifier: MIT
/*
 * pool-destroy-busy. "dma_pool_destroy %s busy": like the qla2xxx teardown (B.1 #10) releasing
 * its pools on rmmod, the driver destroyed a dma_pool while a command block was still allocated
 * (the kernel leaks the chunks).
 */
#include <linux/dmapool.h>

#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct dma_pool *pool = dma_pool_create("cmd", dev, 64, 8, 0);
	dma_addr_t dma;
	void *cmd = dma_pool_alloc(pool, GFP_KERNEL, &dma);

	if (!cmd)
		return 1;
	BUGGY((void)0, dma_pool_free(pool, cmd, dma));
	dma_pool_destroy(pool);
	dmasim_device_destroy(dev);
	return 0;
}
