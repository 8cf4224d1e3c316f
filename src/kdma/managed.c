/* SPDX-License-Identifier: MIT */
/* devres-managed DMA allocations and pools (kernel/dma/mapping.c dmam_*, mm/dmapool.c). Stub. */
#include <linux/dmapool.h>

#include "internal.h"

void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		       unsigned long attrs)
{
	return NULL;
}

void *dmam_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp)
{
	return dmam_alloc_attrs(dev, size, dma_handle, gfp, 0);
}

void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle)
{
}

struct dma_pool *dmam_pool_create(const char *name, struct device *dev, size_t size, size_t align,
				  size_t allocation)
{
	return NULL;
}

void dmam_pool_destroy(struct dma_pool *pool)
{
}
