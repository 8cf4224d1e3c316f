/* SPDX-License-Identifier: MIT */
/* The memory model as the rest of libkdma sees it (mm.c, slab.c, vmalloc.c); the private parts
 * of mm/ are in mm/memmodel.h. */
#ifndef DMASAN_KDMA_MM_MM_H
#define DMASAN_KDMA_MM_MM_H

#include "base/base.h"

/* Physical addresses are virtual addresses (identity), so ordinary heap memory sits above
 * 4 GiB as on real machines. Low zones exist as reserved regions mapped below 4 GiB (ZONE_DMA32)
 * and below 16 MiB (ZONE_DMA, when that range is free), served by a buddy allocator. */
static inline phys_addr_t kdma_virt_to_phys(const void *p)
{
	return (phys_addr_t)(uintptr_t)p;
}

static inline void *kdma_phys_to_virt(phys_addr_t p)
{
	return (void *)(uintptr_t)p;
}

/* Zone of a gfp mask: GFP_DMA → ZONE_DMA, GFP_DMA32 → ZONE_DMA32, else normal (page-aligned
 * anonymous memory). Returns the first page or NULL. Memory is zeroed if __GFP_ZERO. */
struct page *kdma_alloc_pages(gfp_t gfp, unsigned int order);
/* Frees only the head of a live allocation (anything else: a message, and nothing freed). */
void kdma_free_pages(struct page *page, unsigned int order);
/* Whether p is the start of a live kdma_alloc_pages allocation (what the DMA allocators hand
 * out), checked without creating page descriptors. */
bool kdma_pages_allocated(const void *p);
/* Highest physical address of "RAM" (for dma_get_required_mask): top of the user address space
 * model, i.e. 2^47 - 1 on x86-64. */
phys_addr_t kdma_max_phys(void);
bool kdma_is_vmalloc_addr(const void *p);
/* Memory returned by kmalloc and family: start and usable size of the object containing p,
 * or false. */
bool kdma_kmalloc_object(const void *p, const void **start, size_t *size);

/* The live kmalloc object containing p: size, start in *start; 0 if none. */
size_t kdma_kmalloc_span(const void *p, const void **start);

/* Allocation without hooks (libkdma's own bookkeeping; never reported as driver memory). */
void *kdma_zalloc(size_t size);
/* The same for types aligned above malloc's (align: a power of two, >= sizeof(void *)). */
void *kdma_zalloc_aligned(size_t size, size_t align);
void kdma_free(void *p);

#endif
