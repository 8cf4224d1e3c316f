/* SPDX-License-Identifier: MIT */
/* Private interfaces between the memory-model files of libkdma (mm.c, zone.c, slab.c). */
#ifndef DMASAN_KDMA_MEMMODEL_H
#define DMASAN_KDMA_MEMMODEL_H

#include <linux/mm.h>

#include "mm/mm.h"

/* struct page sections: 2^16 pages (256 MiB) each, covering 48-bit addresses. */
#define KDMA_SECTION_SHIFT 16
#define KDMA_PAGES_PER_SECTION (1UL << KDMA_SECTION_SHIFT)
#define KDMA_PHYS_BITS 48
#define KDMA_NR_SECTIONS (1UL << (KDMA_PHYS_BITS - PAGE_SHIFT - KDMA_SECTION_SHIFT))

/* The descriptor of pfn, or NULL when its section was never created (lookups that must not
 * allocate: is_vmalloc_addr, kfree of a wild pointer). */
struct page *kdma_pfn_to_page_existing(unsigned long pfn);

static inline struct page *kdma_virt_to_page_existing(const void *p)
{
	return kdma_pfn_to_page_existing(kdma_virt_to_phys(p) >> PAGE_SHIFT);
}

/* Zones (zone.c): buddy allocators over regions mapped below 16 MiB (DMA), below 4 GiB (DMA32)
 * and high in the address space (NORMAL, growing by arenas). */
enum kdma_zone { KDMA_ZONE_DMA, KDMA_ZONE_DMA32, KDMA_ZONE_NORMAL };

/* First page of a free block of 2^order pages of zone (set up on first use), or NULL. */
struct page *kdma_zone_alloc(enum kdma_zone zone, unsigned int order);
/* Returns false when page is not in any zone (the caller frees it elsewhere). */
bool kdma_zone_free(struct page *page, unsigned int order);
/* The zone an address lies in. */
enum kdma_zone kdma_zone_of(phys_addr_t phys);

/* kfree with the hook's kind (kvfree of kmalloc memory reports KDMA_FREE_KVFREE). slab.c */
void kdma_kfree_kind(const void *p, enum kdma_free_kind kind);

#endif
