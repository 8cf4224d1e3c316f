// SPDX-License-Identifier: MIT
/*
 * pool-corruption. The kernel's DMAPOOL_DEBUG "%s, %p (corrupted)": a block was written after
 * dma_pool_free (a use after free of a completed command), found when the pool hands the block
 * out again and its poison is damaged.
 */
#include <linux/dmapool.h>

#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct dma_pool *pool = dma_pool_create("cmd", dev, 64, 8, 0);
	dma_addr_t dma;
	u8 *blk = dma_pool_alloc(pool, GFP_KERNEL, &dma);

	if (!blk)
		return 1;
	dma_pool_free(pool, blk, dma);
	BUGGY(blk[8] = 0x55, (void)0); /* late status update of the completed command */
	blk = dma_pool_alloc(pool, GFP_KERNEL, &dma);
	if (blk)
		dma_pool_free(pool, blk, dma);
	dma_pool_destroy(pool);
	dmasim_device_destroy(dev);
	return 0;
}
