/* SPDX-License-Identifier: MIT */
/* Per-device and global coherent memory (kernel/dma/coherent.c). Stub. */
#include <errno.h>

#include "internal.h"

int dma_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr, dma_addr_t device_addr,
				size_t size)
{
	return -ENOMEM;
}

void dma_release_coherent_memory(struct device *dev)
{
}

bool dma_alloc_from_dev_coherent(struct device *dev, ssize_t size, dma_addr_t *dma_handle,
				 void **ret)
{
	return false;
}

bool dma_release_from_dev_coherent(struct device *dev, int order, void *vaddr)
{
	return false;
}

void kdma_release_dev_coherent(struct device *dev)
{
}

void *dma_alloc_from_global_coherent(struct device *dev, ssize_t size, dma_addr_t *dma_handle)
{
	return NULL;
}

bool dma_release_from_global_coherent(int order, void *vaddr)
{
	return false;
}
