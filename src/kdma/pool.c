/* SPDX-License-Identifier: MIT */
/* Atomic coherent pools (kernel/dma/pool.c). Stub. */
#include "internal.h"

struct page *dma_alloc_from_pool(struct device *dev, size_t size, void **cpu_addr, gfp_t gfp,
				 bool (*phys_addr_ok)(struct device *, phys_addr_t, size_t))
{
	return NULL;
}

bool dma_free_from_pool(struct device *dev, void *start, size_t size)
{
	return false;
}
