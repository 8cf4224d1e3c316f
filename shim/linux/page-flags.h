/* SPDX-License-Identifier: MIT */
/*
 * <linux/page-flags.h> — the struct page flag bits libkdma uses, with the kernel's accessors.
 * Bits are set atomically (several threads may free neighbouring pages at once).
 */
#ifndef _DMASAN_SHIM_LINUX_PAGE_FLAGS_H
#define _DMASAN_SHIM_LINUX_PAGE_FLAGS_H

#include <linux/mm_types.h>

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_active,
	PG_slab,      /* part of a kmalloc slab (page->private: the slab) */
	PG_reserved,  /* not ordinary RAM: MMIO, declared coherent memory */
	PG_private,
	PG_head,      /* first page of a higher-order allocation */
	/* libkdma's bookkeeping (no kernel counterpart) */
	PG_kdma_buddy,   /* head page of an allocation made by alloc_pages() */
	PG_kdma_large,   /* page of a kmalloc too large for a slab (page->private: head pfn) */
	PG_kdma_vmalloc, /* page of a vmalloc area (head page: page->private = number of pages) */
	PG_kdma_vmhead,  /* first page of a vmalloc area */
	__NR_PAGEFLAGS
};

static inline bool kdma_page_test_flag(const struct page *page, int bit)
{
	return (__atomic_load_n(&page->flags, __ATOMIC_ACQUIRE) >> bit) & 1;
}

static inline void kdma_page_set_flag(struct page *page, int bit)
{
	__atomic_fetch_or(&page->flags, 1UL << bit, __ATOMIC_RELEASE);
}

static inline void kdma_page_clear_flag(struct page *page, int bit)
{
	__atomic_fetch_and(&page->flags, ~(1UL << bit), __ATOMIC_RELEASE);
}

#define KDMA_PAGEFLAG(uname, lname)                                                           \
	static inline bool Page##uname(const struct page *page)                                \
	{                                                                                      \
		return kdma_page_test_flag(page, PG_##lname);                                  \
	}                                                                                      \
	static inline void SetPage##uname(struct page *page)                                   \
	{                                                                                      \
		kdma_page_set_flag(page, PG_##lname);                                          \
	}                                                                                      \
	static inline void ClearPage##uname(struct page *page)                                 \
	{                                                                                      \
		kdma_page_clear_flag(page, PG_##lname);                                        \
	}

KDMA_PAGEFLAG(Reserved, reserved)
KDMA_PAGEFLAG(Slab, slab)
KDMA_PAGEFLAG(Head, head)
KDMA_PAGEFLAG(Private, private)
KDMA_PAGEFLAG(Dirty, dirty)
KDMA_PAGEFLAG(Locked, locked)
/* libkdma: the page heads a live alloc_pages() allocation */
KDMA_PAGEFLAG(KdmaAllocated, kdma_buddy)

#define __SetPageReserved SetPageReserved
#define __ClearPageReserved ClearPageReserved

#endif
