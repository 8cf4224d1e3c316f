/* SPDX-License-Identifier: MIT */
/*
 * <linux/mm.h> — pages and the page allocator.
 *
 * Model (src/kdma/mm/mm.c): a physical address is the virtual address; a struct page exists for
 * every page of the address space, in lazily created sections of 2^16 pages (SPARSEMEM without
 * VMEMMAP): `page + n` is valid inside one 256 MiB section; across sections use nth_page().
 * GFP_DMA / GFP_DMA32 allocate from regions mapped below 16 MiB / 4 GiB; everything else from
 * ordinary memory, which on a 64-bit host lies above 4 GiB.
 */
#ifndef _DMASAN_SHIM_LINUX_MM_H
#define _DMASAN_SHIM_LINUX_MM_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/mm_types.h>
#include <linux/page-flags.h>
#include <linux/bug.h>
/* what the kernel's <linux/mm.h> provides transitively and drivers rely on */
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/topology.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(addr) (((addr) + PAGE_SIZE - 1) & PAGE_MASK)
#define PAGE_ALIGN_DOWN(addr) ((addr) & PAGE_MASK)
#define PAGE_ALIGNED(addr) ((((unsigned long)(addr)) & (PAGE_SIZE - 1)) == 0)
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)

#define PFN_ALIGN(x) (((unsigned long)(x) + (PAGE_SIZE - 1)) & PAGE_MASK)
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))

/* Largest order the buddy allocator serves (kernel MAX_PAGE_ORDER, formerly MAX_ORDER). */
#define MAX_PAGE_ORDER 10
#define MAX_ORDER MAX_PAGE_ORDER
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES (1 << MAX_PAGE_ORDER)

#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE (-1)
#endif

/* Smallest order with (PAGE_SIZE << order) >= size; size 0 gives an undefined order as in the
 * kernel (here: 52). */
static inline int get_order(unsigned long size)
{
	if (size == 0)
		return 64 - PAGE_SHIFT;
	size = (size - 1) >> PAGE_SHIFT;
	return size ? 64 - __builtin_clzl(size) : 0;
}

/* Page allocator (exported, src/kdma/mm/mm.c). */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);

#define alloc_page(gfp) alloc_pages(gfp, 0)
#define alloc_pages_node(nid, gfp, order) alloc_pages(gfp, order)
#define __alloc_pages_node(nid, gfp, order) alloc_pages(gfp, order)
#define dev_alloc_pages(order) alloc_pages(GFP_ATOMIC | __GFP_NOWARN, order)
#define dev_alloc_page() dev_alloc_pages(0)
#define __free_page(page) __free_pages((page), 0)

/* Exactly `size` bytes of whole pages. The kernel returns the pages past `size` of the
 * power-of-two block to the allocator; here the block stays whole until free_pages_exact. */
static inline void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	return (void *)__get_free_pages(gfp, get_order(size));
}

static inline void free_pages_exact(void *virt, size_t size)
{
	free_pages((unsigned long)virt, get_order(size));
}
#define __get_free_page(gfp) __get_free_pages((gfp), 0)
#define free_page(addr) free_pages((addr), 0)

/* Address translation (identity physical model). */
void *page_address(const struct page *page);
struct page *virt_to_page(const void *addr);
struct page *pfn_to_page(unsigned long pfn);
unsigned long page_to_pfn(const struct page *page);
phys_addr_t page_to_phys(const struct page *page);
phys_addr_t virt_to_phys(const volatile void *addr);
void *phys_to_virt(phys_addr_t addr);
struct page *nth_page(struct page *page, unsigned long n);
bool virt_addr_valid(const volatile void *addr);
struct page *vmalloc_to_page(const void *addr);

#define lowmem_page_address page_address
#define page_to_virt(page) page_address(page)
#define virt_to_pfn(addr) (PHYS_PFN(virt_to_phys(addr)))
#define pfn_to_virt(pfn) phys_to_virt(PFN_PHYS(pfn))
#define phys_to_page(phys) pfn_to_page(PHYS_PFN(phys))
#define pfn_valid(pfn) ((pfn) < (1UL << (47 - PAGE_SHIFT)))
#define page_to_nid(page) 0
#define numa_mem_id() 0
#define numa_node_id() 0

/* Reference counts: alloc_pages() returns a page with one reference; the last put_page() frees
 * an allocated page. */
void get_page(struct page *page);
void put_page(struct page *page);
int page_ref_count(const struct page *page);
#define page_count(page) page_ref_count(page)

static inline void page_ref_add(struct page *page, int nr)
{
	__atomic_fetch_add(&page->_refcount.counter, nr, __ATOMIC_RELAXED);
}

static inline void page_ref_inc(struct page *page)
{
	page_ref_add(page, 1);
}

static inline void page_ref_sub(struct page *page, int nr)
{
	__atomic_fetch_sub(&page->_refcount.counter, nr, __ATOMIC_RELEASE);
}

static inline void page_ref_dec(struct page *page)
{
	page_ref_sub(page, 1);
}

static inline unsigned long page_private(const struct page *page)
{
	return page->private;
}

static inline void set_page_private(struct page *page, unsigned long private)
{
	page->private = private;
}

/* Never from emergency reserves here, so receive paths may always recycle. */
static inline bool page_is_pfmemalloc(const struct page *page __maybe_unused)
{
	return false;
}

bool is_vmalloc_addr(const void *x);
static inline bool is_vmalloc_or_module_addr(const void *x)
{
	return is_vmalloc_addr(x);
}

#endif
