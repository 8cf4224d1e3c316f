// SPDX-License-Identifier: MIT
/* The memory model: identity physical addresses, struct page sections, zones, the buddy
 * allocator, page reference counts. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "kdma/mm/memmodel.h"

static void read_stderr(char *out, size_t size)
{
	FILE *f = cr_get_redirected_stderr();
	size_t n = fread(out, 1, size - 1, f);

	out[n] = '\0';
}

Test(mm, identity_phys_and_page_roundtrip)
{
	static char buf[3 * 4096] __attribute__((aligned(4096)));
	char *p = buf + 5000;
	struct page *page = virt_to_page(p);

	cr_assert_eq(virt_to_phys(p), (phys_addr_t)(uintptr_t)p);
	cr_assert_eq(phys_to_virt(virt_to_phys(p)), p);
	cr_assert_eq(page_to_pfn(page), (uintptr_t)p >> PAGE_SHIFT);
	cr_assert_eq(page_address(page), (void *)((uintptr_t)p & PAGE_MASK));
	cr_assert_eq(page_to_phys(page), (uintptr_t)p & PAGE_MASK);
	cr_assert_eq(pfn_to_page(page_to_pfn(page)), page, "O(1) lookup returns the same descriptor");
	cr_assert_eq(offset_in_page(p), 5000 % 4096);
	cr_assert_eq(virt_to_page(p + 4096), page + 1, "same section: page + 1 is the next page");
}

Test(mm, nth_page_crosses_sections)
{
	unsigned long last = (5UL << KDMA_SECTION_SHIFT) - 1; /* last pfn of section 4 */
	struct page *a = pfn_to_page(last);
	struct page *b = nth_page(a, 1);

	cr_assert_eq(page_to_pfn(b), last + 1);
	cr_assert_eq(b, pfn_to_page(last + 1));
	cr_assert_eq(page_to_pfn(nth_page(b, 100)), last + 101);
}

Test(mm, get_order_matches_kernel)
{
	cr_assert_eq(get_order(1), 0);
	cr_assert_eq(get_order(4096), 0);
	cr_assert_eq(get_order(4097), 1);
	cr_assert_eq(get_order(8192), 1);
	cr_assert_eq(get_order(4UL << 20), 10);
	cr_assert_eq(PAGE_ALIGN(4097UL), 8192UL);
}

Test(mm, normal_pages_are_above_4g_aligned_and_zeroed)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	unsigned char *p;
	size_t i;

	cr_assert_not_null(page);
	p = page_address(page);
	cr_assert_eq(offset_in_page(p), 0);
	cr_assert_gt(page_to_phys(page), 0xffffffffULL, "heap memory sits above 4 GiB");
	cr_assert_eq(page->kdma_order, 2);
	cr_assert_eq(page_ref_count(page), 1);
	for (i = 0; i < 4 * PAGE_SIZE; i++)
		cr_assert_eq(p[i], 0);
	memset(p, 0xaa, 4 * PAGE_SIZE);
	__free_pages(page, 2);
}

Test(mm, dma32_and_dma_zones)
{
	struct page *p32 = alloc_pages(GFP_KERNEL | GFP_DMA32, 3);
	struct page *p16 = alloc_pages(GFP_KERNEL | GFP_DMA, 0);

	cr_assert_not_null(p32);
	cr_assert_leq(page_to_phys(p32) + (PAGE_SIZE << 3) - 1, 0xffffffffULL);
	cr_assert_eq(page_to_pfn(p32) & 7, 0, "buddy blocks are naturally aligned");
	cr_assert_eq(kdma_zone_of(page_to_phys(p32)), KDMA_ZONE_DMA32);
	cr_assert_not_null(p16);
	/* ZONE_DMA below 16 MiB when the range is free, else served from DMA32 */
	cr_assert_leq(page_to_phys(p16), 0xffffffffULL);
	if (kdma_zone_of(page_to_phys(p16)) == KDMA_ZONE_DMA)
		cr_assert_lt(page_to_phys(p16), 16ULL << 20);
	memset(page_address(p32), 1, PAGE_SIZE << 3);
	__free_pages(p32, 3);
	__free_pages(p16, 0);
}

Test(mm, buddy_splits_exhausts_and_merges)
{
	struct page **blocks = calloc(4096, sizeof(*blocks));
	struct page **small = calloc(1024, sizeof(*small));
	size_t nblocks = 0, i;

	/* take every max-order block of ZONE_DMA32 */
	while (nblocks < 4096 && (blocks[nblocks] = alloc_pages(GFP_DMA32 | __GFP_NOWARN, MAX_PAGE_ORDER)))
		nblocks++;
	cr_assert_gt(nblocks, 0);
	cr_assert_null(alloc_pages(GFP_DMA32 | __GFP_NOWARN, 0), "zone exhausted");
	/* one block back: exactly 1024 single pages fit */
	__free_pages(blocks[--nblocks], MAX_PAGE_ORDER);
	for (i = 0; i < 1024; i++)
		cr_assert_not_null(small[i] = alloc_pages(GFP_DMA32, 0));
	cr_assert_null(alloc_pages(GFP_DMA32 | __GFP_NOWARN, 0));
	cr_assert_null(alloc_pages(GFP_DMA32 | __GFP_NOWARN, 1));
	/* free in a scattered order; buddies must merge back into one max-order block */
	for (i = 0; i < 1024; i += 2)
		__free_pages(small[i], 0);
	cr_assert_null(alloc_pages(GFP_DMA32 | __GFP_NOWARN, 1), "no two free buddies yet");
	for (i = 1; i < 1024; i += 2)
		__free_pages(small[i], 0);
	cr_assert_not_null(blocks[nblocks] = alloc_pages(GFP_DMA32, MAX_PAGE_ORDER));
	nblocks++;
	for (i = 0; i < nblocks; i++)
		__free_pages(blocks[i], MAX_PAGE_ORDER);
	free(blocks);
	free(small);
}

Test(mm, normal_zone_grows_beyond_one_arena)
{
	struct page *blocks[40];
	size_t i, j;

	/* 40 max-order blocks = 160 MiB: more than one 64 MiB arena */
	for (i = 0; i < 40; i++) {
		blocks[i] = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
		cr_assert_not_null(blocks[i]);
		cr_assert_gt(page_to_phys(blocks[i]), 0xffffffffULL);
		cr_assert_eq(page_to_pfn(blocks[i]) & (MAX_ORDER_NR_PAGES - 1), 0);
		for (j = 0; j < i; j++)
			cr_assert_neq(blocks[i], blocks[j]);
	}
	for (i = 0; i < 40; i++)
		__free_pages(blocks[i], MAX_PAGE_ORDER);
}

Test(mm, order_above_max_fails)
{
	cr_assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1));
	cr_assert_null(alloc_pages(GFP_DMA32 | __GFP_NOWARN, MAX_PAGE_ORDER + 1));
}

Test(mm, refcount_last_put_frees)
{
	struct page *page = alloc_page(GFP_KERNEL);

	cr_assert_not_null(page);
	get_page(page);
	cr_assert_eq(page_count(page), 2);
	put_page(page);
	cr_assert(PageKdmaAllocated(page));
	put_page(page);
	cr_assert_not(PageKdmaAllocated(page), "the last reference released the page");
}

Test(mm, bad_frees_warn_and_survive, .init = cr_redirect_stderr)
{
	static char not_allocated[2 * 4096];
	unsigned long addr = __get_free_pages(GFP_KERNEL, 1);
	char out[4096];

	cr_assert_neq(addr, 0);
	free_pages(addr, 0); /* wrong order: warned, the real order is used */
	free_pages(addr, 1); /* double free: warned, ignored */
	__free_pages(virt_to_page(not_allocated), 0);
	free_pages(addr + 1, 0);
	fflush(stderr);
	read_stderr(out, sizeof(out));
	cr_assert(strstr(out, "__free_pages: order 0 does not match the allocation's order 1"), "%s", out);
	cr_assert(strstr(out, "was not returned by alloc_pages() or is already free"), "%s", out);
	cr_assert(strstr(out, "free_pages: 0x"), "%s", out);
}

Test(mm, get_zeroed_page_and_virt_addr_valid)
{
	unsigned long addr = get_zeroed_page(GFP_KERNEL);
	void *v = vmalloc(PAGE_SIZE);

	cr_assert_neq(addr, 0);
	cr_assert_eq(((char *)addr)[100], 0);
	cr_assert(virt_addr_valid((void *)addr));
	cr_assert_not(virt_addr_valid(v), "vmalloc memory is not in the linear map");
	vfree(v);
	free_page(addr);
}
