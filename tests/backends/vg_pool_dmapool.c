// SPDX-License-Identifier: MIT
/*
 * Use after dma_pool_free under memcheck. A descriptor comes from a dma_pool, the device
 * completes it, and the buggy driver returns it to the pool before reading the completion
 * status and clearing the length (the fixed one reads and clears first). libkdma describes the
 * pool as a memcheck mempool, so both accesses are memcheck's "Invalid read/write" naming
 * dma_pool_free and dma_pool_alloc. Reusing the block and the chunk afterwards is silent.
 */
#include <stddef.h>

#include <linux/dmapool.h>

#include "e2e.h"

struct desc {
	u32 status;
	u32 len;
	u64 addr;
	u8 pad[48];
};

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct dma_pool *pool = dma_pool_create("vg-desc", dev, sizeof(struct desc), 64, 0);
	volatile struct desc *d;
	u32 done = 1, status;
	dma_addr_t h;

	if (!pool)
		return 1;
	d = dma_pool_zalloc(pool, GFP_KERNEL, &h);
	if (!d)
		return 1;
	d->len = 128;
	dmasim_dma_write(dev, h + offsetof(struct desc, status), &done, sizeof(done));
#ifdef FIXED
	status = d->status;
	d->len = 0;
	dma_pool_free(pool, (void *)d, h);
#else
	dma_pool_free(pool, (void *)d, h);
	status = d->status;
	d->len = 0;
#endif
	/* The block, and after the destroy its chunk, are handed out again: no invalid access. */
	d = dma_pool_alloc(pool, GFP_KERNEL, &h);
	d->len = 64;
	dma_pool_free(pool, (void *)d, h);
	dma_pool_destroy(pool);
	pool = dma_pool_create("vg-desc2", dev, sizeof(struct desc), 64, 0);
	d = dma_pool_zalloc(pool, GFP_KERNEL, &h);
	status += d->len;
	dma_pool_free(pool, (void *)d, h);
	dma_pool_destroy(pool);
	dmasim_device_destroy(dev);
	printf("status %#x\n", status);
	return 0;
}
