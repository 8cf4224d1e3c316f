// SPDX-License-Identifier: MIT
/*
 * pool-bad-free. Modelled on "qla2xxx: Fix a dma_pool_free() call" (B.1 #10): a block was freed
 * with arguments that do not belong together (here the handle of another block), the kernel's
 * "dma_pool_free %s, %p/%pad (bad dma)".
 */
#include <linux/dmapool.h>

#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct dma_pool *pool = dma_pool_create("sense", dev, 128, 8, 0);
	dma_addr_t a_dma, b_dma;
	void *a = dma_pool_alloc(pool, GFP_KERNEL, &a_dma);
	void *b = dma_pool_alloc(pool, GFP_KERNEL, &b_dma);

	if (!a || !b)
		return 1;
	dma_pool_free(pool, a, BUGGY(b_dma, a_dma));
	dma_pool_free(pool, b, b_dma);
	BUGGY(dma_pool_free(pool, a, a_dma), (void)0); /* the buggy driver cleans up once more */
	dma_pool_destroy(pool);
	dmasim_device_destroy(dev);
	return 0;
}
