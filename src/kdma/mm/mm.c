// SPDX-License-Identifier: MIT
/*
 * The memory model: physical address == virtual address, and a struct page for every page of the
 * 48-bit address space, kept in sections created on first touch (SPARSEMEM without VMEMMAP).
 * The page allocator hands out pages of the zones of zone.c: ordinary memory lies far above
 * 4 GiB, so 32-bit devices cannot reach it, as on a real machine.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/vg.h"
#include "mm/memmodel.h"

static _Atomic(struct page *) mm_sections[KDMA_NR_SECTIONS];

static struct page *mm_section_create(unsigned long nr)
{
	size_t bytes = KDMA_PAGES_PER_SECTION * sizeof(struct page);
	struct page *sec, *expected = NULL;
	unsigned long i, base = nr << KDMA_SECTION_SHIFT;

	sec = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sec == MAP_FAILED) {
		kdma_warn(NULL, "cannot allocate struct page section %lu: out of memory", nr);
		abort(); /* a struct page must exist for any address: nothing sensible to return */
	}
	for (i = 0; i < KDMA_PAGES_PER_SECTION; i++)
		sec[i].kdma_pfn = base + i;
	/* Another thread may have installed the section first: keep theirs. */
	if (!atomic_compare_exchange_strong(&mm_sections[nr], &expected, sec)) {
		munmap(sec, bytes);
		return expected;
	}
	return sec;
}

struct page *kdma_pfn_to_page_existing(unsigned long pfn)
{
	unsigned long nr = pfn >> KDMA_SECTION_SHIFT;
	struct page *sec;

	if (nr >= KDMA_NR_SECTIONS)
		return NULL;
	sec = atomic_load_explicit(&mm_sections[nr], memory_order_acquire);
	return sec ? sec + (pfn & (KDMA_PAGES_PER_SECTION - 1)) : NULL;
}

struct page *pfn_to_page(unsigned long pfn)
{
	unsigned long nr = pfn >> KDMA_SECTION_SHIFT;
	struct page *sec;

	if (nr >= KDMA_NR_SECTIONS) {
		kdma_warn(NULL, "pfn_to_page: pfn %#lx is beyond the %d-bit physical address space",
			  pfn, KDMA_PHYS_BITS);
		return NULL;
	}
	sec = atomic_load_explicit(&mm_sections[nr], memory_order_acquire);
	if (!sec)
		sec = mm_section_create(nr);
	return sec + (pfn & (KDMA_PAGES_PER_SECTION - 1));
}

unsigned long page_to_pfn(const struct page *page)
{
	return page->kdma_pfn;
}

struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(kdma_virt_to_phys(addr) >> PAGE_SHIFT);
}

void *page_address(const struct page *page)
{
	return kdma_phys_to_virt((phys_addr_t)page->kdma_pfn << PAGE_SHIFT);
}

phys_addr_t page_to_phys(const struct page *page)
{
	return (phys_addr_t)page->kdma_pfn << PAGE_SHIFT;
}

phys_addr_t virt_to_phys(const volatile void *addr)
{
	return kdma_virt_to_phys((const void *)addr);
}

void *phys_to_virt(phys_addr_t addr)
{
	return kdma_phys_to_virt(addr);
}

struct page *nth_page(struct page *page, unsigned long n)
{
	return pfn_to_page(page->kdma_pfn + n);
}

/* The kernel's "linear map" is everything here except vmalloc areas. */
bool virt_addr_valid(const volatile void *addr)
{
	phys_addr_t phys = kdma_virt_to_phys((const void *)addr);

	return addr && phys <= kdma_max_phys() && !kdma_is_vmalloc_addr((const void *)addr);
}

phys_addr_t kdma_max_phys(void)
{
	return (1ULL << 47) - 1;
}

/* ------------------------------------------------------------------ page allocator -- */

static enum kdma_zone mm_gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return KDMA_ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return KDMA_ZONE_DMA32;
	return KDMA_ZONE_NORMAL;
}

struct page *kdma_alloc_pages(gfp_t gfp, unsigned int order)
{
	enum kdma_zone zone = mm_gfp_zone(gfp);
	size_t bytes = PAGE_SIZE << order;
	struct page *page;
	void *mem;

	if (order >= 8 * sizeof(long) - PAGE_SHIFT)
		return NULL;
	if (zone == KDMA_ZONE_NORMAL && order > MAX_PAGE_ORDER) {
		/* beyond the buddy allocator (CMA-sized coherent buffers): the C heap */
		mem = aligned_alloc(PAGE_SIZE, bytes);
		if (!mem)
			return NULL;
		page = virt_to_page(mem);
	} else {
		page = kdma_zone_alloc(zone, order);
		if (!page)
			return NULL;
		mem = page_address(page);
		/* memcheck: a freed kmalloc object, coherent buffer or dma_pool chunk was left
		 * NOACCESS by its allocator; pages handed out are addressable again, and defined as
		 * fresh anonymous memory always is (a no-op natively) */
		vg_mark_defined(mem, bytes);
	}
	if (gfp & __GFP_ZERO)
		memset(mem, 0, bytes);
	page->kdma_order = order;
	__atomic_store_n(&page->_refcount.counter, 1, __ATOMIC_RELAXED);
	kdma_page_set_flag(page, PG_kdma_buddy);
	return page;
}

bool kdma_pages_allocated(const void *p)
{
	struct page *page = kdma_virt_to_page_existing(p);

	return page && !offset_in_page(p) && kdma_page_test_flag(page, PG_kdma_buddy);
}

void kdma_free_pages(struct page *page, unsigned int order)
{
	if (!page)
		return;
	/* the last line of defence: a wild address must never reach free() or the buddy lists */
	if (!kdma_page_test_flag(page, PG_kdma_buddy)) {
		kdma_warn(NULL, "page %p (pfn %#lx) is not a live page allocation; not freed",
			  (void *)page, page->kdma_pfn);
		return;
	}
	kdma_page_clear_flag(page, PG_kdma_buddy);
	page->kdma_order = 0;
	if (!kdma_zone_free(page, order))
		free(page_address(page));
}

/* Checks shared by the exported frees: the page must be the head of a live allocation. */
static bool mm_check_free(const char *fn, struct page *page, unsigned int *order)
{
	if (!page)
		return false;
	if (!kdma_page_test_flag(page, PG_kdma_buddy)) {
		kdma_hooks_ensure();
		KDMA_HOOK(mem_free, page_address(page), 0, KDMA_FREE_PAGES); /* see kfree */
		kdma_warn(NULL, "%s: page %p (pfn %#lx) was not returned by alloc_pages() or is "
			  "already free; ignored", fn, (void *)page, page->kdma_pfn);
		return false;
	}
	if (page->kdma_order != *order) {
		kdma_warn(NULL, "%s: order %u does not match the allocation's order %u; freeing "
			  "order %u", fn, *order, page->kdma_order, page->kdma_order);
		*order = page->kdma_order;
	}
	return true;
}

static void mm_release(struct page *page, unsigned int order)
{
	kdma_hooks_ensure();
	KDMA_HOOK(mem_free, page_address(page), PAGE_SIZE << order, KDMA_FREE_PAGES);
	kdma_free_pages(page, order);
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	if (order > MAX_PAGE_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			kdma_warn(NULL, "alloc_pages: order %u exceeds MAX_PAGE_ORDER (%d)", order,
				  MAX_PAGE_ORDER);
		return NULL;
	}
	return kdma_alloc_pages(gfp, order);
}

void __free_pages(struct page *page, unsigned int order)
{
	if (!mm_check_free("__free_pages", page, &order))
		return;
	if (__atomic_sub_fetch(&page->_refcount.counter, 1, __ATOMIC_ACQ_REL) == 0)
		mm_release(page, order);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	struct page *page;

	if (!addr)
		return;
	page = kdma_virt_to_page_existing((void *)addr);
	if (!page || offset_in_page(addr)) {
		kdma_warn(NULL, "free_pages: %#lx is not the address of a page allocation; ignored",
			  addr);
		return;
	}
	__free_pages(page, order);
}

void get_page(struct page *page)
{
	__atomic_fetch_add(&page->_refcount.counter, 1, __ATOMIC_RELAXED);
}

/* The last reference of an allocated (head) page frees the allocation. */
void put_page(struct page *page)
{
	unsigned int order;

	if (__atomic_sub_fetch(&page->_refcount.counter, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (!kdma_page_test_flag(page, PG_kdma_buddy))
		return;
	order = page->kdma_order;
	mm_release(page, order);
}

int page_ref_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount.counter, __ATOMIC_RELAXED);
}
