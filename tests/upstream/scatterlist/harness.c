// SPDX-License-Identifier: MIT
/* Wrappers for tools/testing/scatterlist/main.c: see harness.h. */
#include <stdlib.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>

#define HARNESS_ORDER 6 /* 64 pages: the test's MAX_PAGES */

int harness_sg_alloc_table_from_pages_segment(struct sg_table *sgt, struct page **pages,
					      unsigned int n_pages, unsigned int offset,
					      unsigned long size, unsigned int max_segment,
					      gfp_t gfp_mask);
int harness_sg_alloc_append_table_from_pages(struct sg_append_table *sgt_append,
					     struct page **pages, unsigned int n_pages,
					     unsigned int offset, unsigned long size,
					     unsigned int max_segment, unsigned int left_pages,
					     gfp_t gfp_mask);

static struct page *block;

static void block_free(void)
{
	__free_pages(block, HARNESS_ORDER);
}

/* The real page of the made-up pointer (1 + pfn) * PAGE_SIZE, in place. */
static void real_pages(struct page **pages, unsigned int n)
{
	if (!block) {
		block = alloc_pages(GFP_KERNEL, HARNESS_ORDER);
		if (!block) {
			fprintf(stderr, "harness: no block of %d pages\n", 1 << HARNESS_ORDER);
			exit(1);
		}
		atexit(block_free);
	}
	for (unsigned int i = 0; i < n; i++) {
		unsigned long pfn = (unsigned long)pages[i] / PAGE_SIZE - 1;

		if (pfn >= 1UL << HARNESS_ORDER) {
			fprintf(stderr, "harness: made-up pfn %lu beyond the block\n", pfn);
			exit(1);
		}
		pages[i] = nth_page(block, pfn);
	}
}

int harness_sg_alloc_table_from_pages_segment(struct sg_table *sgt, struct page **pages,
					      unsigned int n_pages, unsigned int offset,
					      unsigned long size, unsigned int max_segment,
					      gfp_t gfp_mask)
{
	real_pages(pages, n_pages);
	return sg_alloc_table_from_pages_segment(sgt, pages, n_pages, offset, size, max_segment,
						 gfp_mask);
}

int harness_sg_alloc_append_table_from_pages(struct sg_append_table *sgt_append,
					     struct page **pages, unsigned int n_pages,
					     unsigned int offset, unsigned long size,
					     unsigned int max_segment, unsigned int left_pages,
					     gfp_t gfp_mask)
{
	real_pages(pages, n_pages);
	return sg_alloc_append_table_from_pages(sgt_append, pages, n_pages, offset, size,
						max_segment, left_pages, gfp_mask);
}
