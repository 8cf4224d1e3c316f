/* SPDX-License-Identifier: MIT */
/*
 * <linux/mm_types.h> — struct page.
 *
 * Physical addresses are modelled as virtual addresses (phys == virt by default), and a struct page
 * exists for every page of the address space, kept in lazily allocated sections the way
 * SPARSEMEM without VMEMMAP keeps them: `page + n` is valid within one section (2^16 pages,
 * 256 MiB); across sections use nth_page(), as kernel code must on such configurations.
 */
#ifndef _DMASAN_SHIM_LINUX_MM_TYPES_H
#define _DMASAN_SHIM_LINUX_MM_TYPES_H

#include <linux/types.h>

struct page {
	unsigned long flags;   /* PG_* bits (PG_reserved for memory declared as MMIO/resources) */
	unsigned long private; /* for the driver / allocator that owns the page */
	atomic_t _refcount;
	unsigned int kdma_order; /* allocation order recorded by alloc_pages() (head page) */
	unsigned long kdma_pfn;  /* the page frame number this descriptor describes */
};

#endif
