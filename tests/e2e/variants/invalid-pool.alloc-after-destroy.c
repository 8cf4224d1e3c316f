// SPDX-License-Identifier: MIT
/*
 * invalid-pool: a block allocated from a pool that was already destroyed (a late command after
 * teardown). dma_pool_alloc fails with NULL instead of handing out memory nobody owns.
 * E2E_EXITCODE: 1
 */
#include <linux/dmapool.h>

#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct dma_pool *pool = dma_pool_create("cmd", dev, 64, 8, 0);
	dma_addr_t dma;
	void *blk;

	BUGGY(dma_pool_destroy(pool), (void)0); /* teardown ran first */
	blk = dma_pool_alloc(pool, GFP_KERNEL, &dma);
	if (BUGGY(blk != NULL, !blk))
		return 3;
	BUGGY((void)0, dma_pool_free(pool, blk, dma));
	BUGGY((void)0, dma_pool_destroy(pool));
	dmasim_device_destroy(dev);
	return 0;
}
