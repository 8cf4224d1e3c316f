// SPDX-License-Identifier: MIT
/*
 * invalid-pool: dma_pool_free into a pointer that is not a pool (the block's owner structure
 * was passed instead of its pool). Refused with a report, never a hang on a "lock" inside it.
 * E2E_EXITCODE: 1
 */
#include <linux/dmapool.h>

#include "e2e.h"

struct cmd {
	struct dma_pool *pool;
	void *blk;
	dma_addr_t dma;
	unsigned char scratch[128];
};

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct cmd *c = calloc(1, sizeof(*c));

	memset(c->scratch, 0xff, sizeof(c->scratch)); /* what a "lock" in there would read */
	c->pool = dma_pool_create("cmd", dev, 64, 8, 0);
	c->blk = dma_pool_alloc(c->pool, GFP_KERNEL, &c->dma);
	if (!c->blk)
		return 3;
	dma_pool_free(BUGGY((struct dma_pool *)c, c->pool), c->blk, c->dma);
	BUGGY(dma_pool_free(c->pool, c->blk, c->dma), (void)0);
	dma_pool_destroy(c->pool);
	dmasim_device_destroy(dev);
	free(c);
	return 0;
}
