// SPDX-License-Identifier: MIT
/* lib/scatterlist.c semantics: chains, counting, chunked tables, page-array tables, copies. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdlib.h>
#include <string.h>

#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

/* Two arrays chained: a[0..2] data, a[3] link → b[0..1] data (b[1] is the end). */
static struct scatterlist a[4], b[2];
static char bufs[5][100];

static void build_chain(void)
{
	int i;

	sg_init_table(a, 4);
	sg_init_table(b, 2);
	for (i = 0; i < 3; i++)
		sg_set_buf(&a[i], bufs[i], 10 * (i + 1));
	sg_set_buf(&b[0], bufs[3], 40);
	sg_set_buf(&b[1], bufs[4], 50);
	sg_chain(a, 4, b);
}

Test(sg, init_marks_the_end)
{
	struct scatterlist sg[3];

	sg_init_table(sg, 3);
	cr_assert(sg_is_last(&sg[2]));
	cr_assert_not(sg_is_last(&sg[1]));
	cr_assert_eq(sg_next(&sg[0]), &sg[1]);
	cr_assert_null(sg_next(&sg[2]));
	cr_assert_eq(sg_nents(sg), 3);
	cr_assert_eq(sg_last(sg, 3), &sg[2]);
}

Test(sg, chained_lists_walk_through_the_link)
{
	struct scatterlist *sg;
	unsigned int total = 0;
	int i, seen = 0;

	build_chain();
	cr_assert(sg_is_chain(&a[3]));
	cr_assert_eq(sg_chain_ptr(&a[3]), b);
	cr_assert_eq(sg_next(&a[2]), &b[0], "sg_next skips the chain entry");
	cr_assert_eq(sg_nents(a), 5);
	for_each_sg(a, sg, 5, i) {
		total += sg->length;
		seen++;
	}
	cr_assert_eq(seen, 5);
	cr_assert_eq(total, 10 + 20 + 30 + 40 + 50);
	cr_assert_eq(sg_last(a, 5), &b[1]);
	cr_assert_eq(sg_nents_for_len(a, 60), 3);
	cr_assert_eq(sg_nents_for_len(a, 61), 4);
	cr_assert_eq(sg_nents_for_len(a, 150), 5);
	cr_assert_eq(sg_nents_for_len(a, 151), -EINVAL);
	cr_assert_eq(sg_nents_for_len(a, 0), 0);
}

Test(sg, virt_phys_and_page)
{
	static char buf[8192] __attribute__((aligned(4096)));
	struct scatterlist sg;

	sg_init_one(&sg, buf + 100, 50);
	cr_assert_eq(sg_page(&sg), virt_to_page(buf));
	cr_assert_eq(sg.offset, 100);
	cr_assert_eq(sg.length, 50);
	cr_assert_eq(sg_virt(&sg), buf + 100);
	cr_assert_eq(sg_phys(&sg), virt_to_phys(buf + 100));
	cr_assert(sg_is_last(&sg));
	sg_unmark_end(&sg);
	cr_assert_not(sg_is_last(&sg));
	sg_mark_end(&sg);
	cr_assert(sg_is_last(&sg));
}

Test(sg, alloc_table_chains_beyond_one_page)
{
	const unsigned int n = 3 * SG_MAX_SINGLE_ALLOC + 7;
	struct sg_table t;
	struct scatterlist *sg;
	unsigned int i, count = 0, chains = 0;
	static char byte;

	cr_assert_eq(sg_alloc_table(&t, n, GFP_KERNEL), 0);
	cr_assert_eq(t.orig_nents, n);
	cr_assert_eq(t.nents, n);
	cr_assert_eq(sg_nents(t.sgl), (int)n);
	for_each_sgtable_sg(&t, sg, i) {
		sg_set_buf(sg, &byte, 1);
		count++;
	}
	cr_assert_eq(count, n);
	/* the first chunk is a full page whose last entry links on */
	cr_assert(sg_is_chain(&t.sgl[SG_MAX_SINGLE_ALLOC - 1]));
	for (sg = t.sgl; sg; sg = sg_next(sg)) {
		if (sg_is_chain(sg + 1))
			chains++;
		if (sg_is_last(sg))
			break;
	}
	cr_assert_eq(chains, 3);
	cr_assert(sg_is_last(sg_last(t.sgl, n)));
	sg_free_table(&t);
	cr_assert_null(t.sgl);
	cr_assert_eq(sg_alloc_table(&t, SG_MAX_SINGLE_ALLOC, GFP_KERNEL), 0);
	cr_assert_not(sg_is_chain(&t.sgl[SG_MAX_SINGLE_ALLOC - 1]), "exactly one page: no chain");
	cr_assert(sg_is_last(&t.sgl[SG_MAX_SINGLE_ALLOC - 1]));
	sg_free_table(&t);
}

Test(sg, alloc_table_failure_frees_the_built_chunks, .init = cr_redirect_stderr)
{
	struct page **held = calloc(1 << 17, sizeof(*held));
	struct page *spare;
	struct sg_table t;
	size_t n = 0, i;
	char out[256];

	/* exhaust the zone GFP_DMA allocates from, then give back exactly one page */
	while (n < (1 << 17) && (held[n] = alloc_pages(GFP_DMA | __GFP_NOWARN, MAX_PAGE_ORDER)))
		n++;
	cr_assert_gt(n, 0);
	n--;
	__free_pages(held[n], MAX_PAGE_ORDER);
	for (i = 0; i < MAX_ORDER_NR_PAGES - 1; i++)
		cr_assert_not_null(held[n++] = alloc_pages(GFP_DMA, 0));
	while (n < (1 << 17) && (held[n] = alloc_pages(GFP_DMA | __GFP_NOWARN, 0)))
		n++; /* a zone whose size is not a multiple of 4 MiB has smaller blocks left */
	cr_assert_not_null(held[n - 1]);
	n--;
	__free_pages(held[n], held[n]->kdma_order);
	/* chunk 1 (a page) succeeds, chunk 2 fails: everything built is released cleanly */
	cr_assert_eq(sg_alloc_table(&t, 3 * SG_MAX_SINGLE_ALLOC, GFP_DMA | __GFP_NOWARN), -ENOMEM);
	cr_assert_null(t.sgl);
	spare = alloc_pages(GFP_DMA | __GFP_NOWARN, 0);
	cr_assert_not_null(spare, "the first chunk's page went back to the zone");
	__free_pages(spare, 0);
	for (i = 0; i < n; i++)
		__free_pages(held[i], held[i]->kdma_order);
	free(held);
	fflush(stderr);
	i = fread(out, 1, sizeof(out) - 1, cr_get_redirected_stderr());
	out[i] = '\0';
	/* (a start-up note of the zones, e.g. under Valgrind, may say "no free range") */
	cr_assert_null(strstr(out, "free_pages"), "no bad-free message: %s", out);
}

Test(sg, from_pages_merges_contiguous_runs)
{
	struct page *block = alloc_pages(GFP_KERNEL, 2); /* 4 contiguous pages */
	struct page *other = alloc_page(GFP_KERNEL);
	struct page *pages[6];
	struct sg_table t;
	struct scatterlist *sg;
	int i;

	cr_assert_not_null(block);
	pages[0] = nth_page(block, 0);
	pages[1] = nth_page(block, 1);
	pages[2] = nth_page(block, 2);
	pages[3] = other;
	pages[4] = nth_page(block, 3);
	pages[5] = nth_page(block, 3);
	/* 100 bytes into the first page, 5 pages + 10 bytes long: last page partly used */
	cr_assert_eq(sg_alloc_table_from_pages(&t, pages, 6, 100, 5 * PAGE_SIZE - 90, GFP_KERNEL), 0);
	cr_assert_eq(t.orig_nents, 4, "runs: [0-2] [other] [3] [3]");
	sg = t.sgl;
	cr_assert_eq(sg_page(sg), pages[0]);
	cr_assert_eq(sg->offset, 100);
	cr_assert_eq(sg->length, 3 * PAGE_SIZE - 100);
	sg = sg_next(sg);
	cr_assert_eq(sg_page(sg), other);
	cr_assert_eq(sg->offset, 0);
	cr_assert_eq(sg->length, PAGE_SIZE);
	sg = sg_next(sg);
	cr_assert_eq(sg->length, PAGE_SIZE);
	sg = sg_next(sg);
	cr_assert_eq(sg->length, 10);
	cr_assert(sg_is_last(sg));
	sg_free_table(&t);

	/* max_segment splits a contiguous run */
	for (i = 0; i < 4; i++)
		pages[i] = nth_page(block, i);
	cr_assert_eq(sg_alloc_table_from_pages_segment(&t, pages, 4, 0, 4 * PAGE_SIZE, 2 * PAGE_SIZE,
						       GFP_KERNEL), 0);
	cr_assert_eq(t.orig_nents, 2);
	cr_assert_eq(t.sgl[0].length, 2 * PAGE_SIZE);
	cr_assert_eq(t.sgl[1].length, 2 * PAGE_SIZE);
	sg_free_table(&t);
	cr_assert_eq(sg_alloc_table_from_pages_segment(&t, pages, 4, 0, 4 * PAGE_SIZE, 100,
						       GFP_KERNEL), -EINVAL);
	__free_pages(block, 2);
	__free_page(other);
}

Test(sg, copy_to_and_from_a_chained_list)
{
	char src[150], dst[150];
	size_t i;

	memset(bufs, 0, sizeof(bufs));
	build_chain();
	for (i = 0; i < sizeof(src); i++)
		src[i] = (char)i;
	cr_assert_eq(sg_copy_from_buffer(a, 5, src, sizeof(src)), 150);
	cr_assert_eq(bufs[0][0], 0);
	cr_assert_eq(bufs[1][0], 10);
	cr_assert_eq(bufs[3][0], 60, "crossed the chain link");
	cr_assert_eq(bufs[4][49], (char)149);
	memset(dst, 0, sizeof(dst));
	cr_assert_eq(sg_copy_to_buffer(a, 5, dst, sizeof(dst)), 150);
	cr_assert_arr_eq(dst, src, sizeof(src));
	/* partial: skip 25 bytes, copy 20 (spans entries 1 and 2) */
	memset(dst, 0, sizeof(dst));
	cr_assert_eq(sg_pcopy_to_buffer(a, 5, dst, 20, 25), 20);
	cr_assert_arr_eq(dst, src + 25, 20);
	cr_assert_eq(sg_pcopy_from_buffer(a, 5, "XY", 2, 59), 2);
	cr_assert_eq(bufs[2][29], 'X');
	cr_assert_eq(bufs[3][0], 'Y');
	cr_assert_eq(sg_zero_buffer(a, 5, 15, 5), 15);
	cr_assert_eq(bufs[0][4], 4);
	cr_assert_eq(bufs[0][5], 0);
	cr_assert_eq(bufs[1][9], 0);
	cr_assert_eq(bufs[1][10], 20);
	/* a buffer larger than the list copies only what the list holds */
	cr_assert_eq(sg_copy_to_buffer(a, 5, dst, sizeof(dst)), 150);
	cr_assert_eq(sg_copy_to_buffer(a, 2, dst, sizeof(dst)), 30, "nents limits the walk");
}

/* Appends that outgrow the first chunk: a 2-entry chunk (one page expected after the first),
 * then 3 separate pages chain a new chunk of another size, which sg_free_append_table must
 * find through the link. */
Test(sg, append_merges_chains_and_ends, .init = cr_redirect_stderr)
{
	struct page *block = alloc_pages(GFP_KERNEL, 4), *pages[3];
	struct sg_append_table t = {};
	struct scatterlist *s;
	unsigned int n = 0;

	cr_assert_not_null(block);
	pages[0] = nth_page(block, 0);
	cr_assert_eq(sg_alloc_append_table_from_pages(&t, pages, 1, 0, PAGE_SIZE, UINT_MAX, 1,
						      GFP_KERNEL), 0);
	cr_assert_eq(t.total_nents, 2);
	pages[0] = nth_page(block, 1); /* contiguous: grows the entry */
	cr_assert_eq(sg_alloc_append_table_from_pages(&t, pages, 1, 0, PAGE_SIZE, UINT_MAX, 3,
						      GFP_KERNEL), 0);
	cr_assert_eq(t.sgt.nents, 1);
	cr_assert_eq(t.sgt.sgl[0].length, 2 * PAGE_SIZE);
	pages[0] = nth_page(block, 4);
	pages[1] = nth_page(block, 6);
	pages[2] = nth_page(block, 8);
	cr_assert_eq(sg_alloc_append_table_from_pages(&t, pages, 3, 0, 3 * PAGE_SIZE, UINT_MAX, 0,
						      GFP_KERNEL), 0);
	cr_assert_eq(t.sgt.nents, 4);
	cr_assert(sg_is_chain(&t.sgt.sgl[1]), "the first chunk's last entry became a link");
	for_each_sgtable_sg(&t.sgt, s, n)
		;
	cr_assert_eq(n, 4);
	cr_assert(sg_is_last(t.prv));
	cr_assert_eq(sg_alloc_append_table_from_pages(&t, pages, 1, 0, PAGE_SIZE, UINT_MAX, 0,
						      GFP_KERNEL), -EINVAL, "the table was ended");
	cr_assert_eq(sg_alloc_append_table_from_pages(&t, pages, 1, 0, PAGE_SIZE, 100, 0,
						      GFP_KERNEL), -EINVAL);
	sg_free_append_table(&t);
	cr_assert_null(t.sgt.sgl);
	__free_pages(block, 4);
}
