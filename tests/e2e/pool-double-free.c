// SPDX-License-Identifier: MIT
/*
 * pool-double-free. "dma_pool_free %s, dma %pad already free": the pool analogue of the double
 * unmaps of bnxt_en and mt76 (B.1 #42, #43): the completion handler freed the block and the
 * timeout path freed it again.
 * E2E_RELATED: alloc,free
 */
#include <linux/dmapool.h>

#include "e2e.h"

struct cmd {
	void *blk;
	dma_addr_t dma;
};

static void cmd_done(struct dma_pool *pool, struct cmd *c)
{
	if (!c->blk)
		return;
	dma_pool_free(pool, c->blk, c->dma);
	BUGGY((void)0, c->blk = NULL);
}

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct dma_pool *pool = dma_pool_create("cmd", dev, 64, 8, 0);
	struct cmd c;

	c.blk = dma_pool_alloc(pool, GFP_KERNEL, &c.dma);
	if (!c.blk)
		return 1;
	cmd_done(pool, &c); /* completion */
	cmd_done(pool, &c); /* timeout */
	dma_pool_destroy(pool);
	dmasim_device_destroy(dev);
	return 0;
}
