/* SPDX-License-Identifier: MIT */
/* <linux/dmapool.h> — pools of small coherent DMA blocks (mm/dmapool.c). */
#ifndef _DMASAN_SHIM_LINUX_DMAPOOL_H
#define _DMASAN_SHIM_LINUX_DMAPOOL_H

#include <linux/types.h>
#include <linux/device.h> /* as in the kernel: brings kcalloc/kfree */

struct device;
struct dma_pool;

struct dma_pool *dma_pool_create(const char *name, struct device *dev, size_t size, size_t align,
				 size_t boundary);
struct dma_pool *dma_pool_create_node(const char *name, struct device *dev, size_t size,
				      size_t align, size_t boundary, int node);
void dma_pool_destroy(struct dma_pool *pool);
void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle);
void *dma_pool_zalloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle);
void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t addr);
struct dma_pool *dmam_pool_create(const char *name, struct device *dev, size_t size, size_t align,
				  size_t allocation);
void dmam_pool_destroy(struct dma_pool *pool);

#endif
