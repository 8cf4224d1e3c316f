/* SPDX-License-Identifier: MIT */
/* dma_pool: small coherent blocks carved from page-sized chunks (mm/dmapool.c). Stub. */
#include <linux/dmapool.h>

#include "internal.h"

struct dma_pool *dma_pool_create_node(const char *name, struct device *dev, size_t size,
				      size_t align, size_t boundary, int node)
{
	return NULL;
}

struct dma_pool *dma_pool_create(const char *name, struct device *dev, size_t size, size_t align,
				 size_t boundary)
{
	return dma_pool_create_node(name, dev, size, align, boundary, -1);
}

void dma_pool_destroy(struct dma_pool *pool)
{
}

void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle)
{
	return NULL;
}

void *dma_pool_zalloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle)
{
	return NULL;
}

void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t addr)
{
}
