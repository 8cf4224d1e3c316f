// SPDX-License-Identifier: MIT
/*
 * dma_pool_destroy of a busy pool under memcheck. The kernel leaks the chunks (the device may
 * still use the blocks), so memcheck must too: the block still in use stays accessible (no
 * "Invalid" access when the driver touches it after the destroy), free blocks stay NOACCESS,
 * and the leak check lists the block with its dma_pool_alloc stack. A second pool is created and
 * used afterwards: the first one's memcheck mempool must not be in the way. The buggy program
 * destroys the pool with a block in use; the fixed one frees the block first.
 */
#include <linux/dmapool.h>

#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct dma_pool *pool = dma_pool_create("vg-busy", dev, 64, 8, 0);
	struct dma_pool *again;
	dma_addr_t h, h2;
	volatile u8 *blk;
	void *other;
	u8 seen;

	if (!pool)
		return 1;
	blk = dma_pool_zalloc(pool, GFP_KERNEL, &h);
	other = dma_pool_alloc(pool, GFP_KERNEL, &h2);
	if (!blk || !other)
		return 1;
	dma_pool_free(pool, other, h2);
	blk[0] = 0x5a;
	seen = blk[0];
#ifdef FIXED
	dma_pool_free(pool, (void *)blk, h);
#endif
	dma_pool_destroy(pool);
#ifndef FIXED
	blk[1] = blk[0]; /* leaked memory, still the driver's: no invalid access */
#endif
	blk = NULL;

	again = dma_pool_create("vg-again", dev, 64, 8, 0);
	if (!again)
		return 1;
	other = dma_pool_alloc(again, GFP_KERNEL, &h2);
	if (!other)
		return 1;
	dma_pool_free(again, other, h2);
	dma_pool_destroy(again);
	dmasim_device_destroy(dev);
	printf("seen %#x\n", seen);
	return 0;
}
