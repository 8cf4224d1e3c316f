// SPDX-License-Identifier: MIT
/*
 * lib/scatterlist.c: walking chained lists, allocating sg tables in chained chunks of
 * SG_MAX_SINGLE_ALLOC entries (a page each), building tables from page arrays with contiguous
 * pages merged, and copying between a list and a linear buffer.
 */
#include <limits.h>
#include <string.h>

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "base/base.h"

struct scatterlist *sg_next(struct scatterlist *sg)
{
	if (sg_is_last(sg))
		return NULL;
	sg++;
	if (sg_is_chain(sg))
		sg = sg_chain_ptr(sg);
	return sg;
}

int sg_nents(struct scatterlist *sg)
{
	int nents;

	for (nents = 0; sg; sg = sg_next(sg))
		nents++;
	return nents;
}

int sg_nents_for_len(struct scatterlist *sg, u64 len)
{
	u64 total = 0;
	int nents;

	if (!len)
		return 0;
	for (nents = 0; sg; sg = sg_next(sg)) {
		nents++;
		total += sg->length;
		if (total >= len)
			return nents;
	}
	return -EINVAL;
}

struct scatterlist *sg_last(struct scatterlist *sgl, unsigned int nents)
{
	struct scatterlist *sg, *ret = NULL;
	unsigned int i;

	for_each_sg(sgl, sg, nents, i)
		ret = sg;
	return ret;
}

void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	memset(sgl, 0, sizeof(*sgl) * nents);
	if (nents)
		sg_mark_end(&sgl[nents - 1]);
}

void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_set_page(sg, virt_to_page(buf), buflen, offset_in_page(buf));
}

void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_init_table(sg, 1);
	sg_set_buf(sg, buf, buflen);
}

void *sg_virt(struct scatterlist *sg)
{
	return (char *)page_address(sg_page(sg)) + sg->offset;
}

phys_addr_t sg_phys(struct scatterlist *sg)
{
	return page_to_phys(sg_page(sg)) + sg->offset;
}

/* Chunks of exactly SG_MAX_SINGLE_ALLOC entries are a page, like the kernel's sg_kmalloc. */
static struct scatterlist *sg_chunk_alloc(unsigned int nents, gfp_t gfp)
{
	if (nents == SG_MAX_SINGLE_ALLOC)
		return (struct scatterlist *)__get_free_page(gfp);
	return kmalloc_array(nents, sizeof(struct scatterlist), gfp);
}

static void sg_chunk_free(struct scatterlist *sg, unsigned int nents)
{
	if (nents == SG_MAX_SINGLE_ALLOC)
		free_page((unsigned long)sg);
	else
		kfree(sg);
}

void sg_free_table(struct sg_table *table)
{
	struct scatterlist *sgl, *next;

	if (!table || !table->sgl)
		return;
	sgl = table->sgl;
	while (table->orig_nents) {
		unsigned int alloc_size = table->orig_nents, sg_size;

		if (alloc_size > SG_MAX_SINGLE_ALLOC) {
			next = sg_chain_ptr(&sgl[SG_MAX_SINGLE_ALLOC - 1]);
			alloc_size = SG_MAX_SINGLE_ALLOC;
			sg_size = alloc_size - 1; /* the last entry is the chain link */
		} else {
			sg_size = alloc_size;
			next = NULL;
		}
		table->orig_nents -= sg_size;
		sg_chunk_free(sgl, alloc_size);
		sgl = next;
	}
	table->sgl = NULL;
	table->nents = 0;
}

int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp_mask)
{
	struct scatterlist *sg, *prv = NULL;
	unsigned int left = nents;

	memset(table, 0, sizeof(*table));
	if (nents == 0) {
		kdma_warn(NULL, "sg_alloc_table: nents is 0");
		return -EINVAL;
	}
	do {
		unsigned int sg_size, alloc_size = left;

		if (alloc_size > SG_MAX_SINGLE_ALLOC) {
			alloc_size = SG_MAX_SINGLE_ALLOC;
			sg_size = alloc_size - 1;
		} else {
			sg_size = alloc_size;
		}
		left -= sg_size;
		sg = sg_chunk_alloc(alloc_size, gfp_mask);
		if (!sg) {
			/* free what was built; the last chunk's link entry will not be used as a
			 * link, so count it, or sg_free_table would free that chunk as a smaller
			 * kmalloc array instead of a page (as lib/scatterlist.c does) */
			if (prv)
				table->nents = ++table->orig_nents;
			sg_free_table(table);
			return -ENOMEM;
		}
		sg_init_table(sg, alloc_size);
		table->nents = table->orig_nents += sg_size;
		if (prv)
			sg_chain(prv, SG_MAX_SINGLE_ALLOC, sg);
		else
			table->sgl = sg;
		if (!left)
			sg_mark_end(&sg[sg_size - 1]);
		prv = sg;
	} while (left);
	return 0;
}

/* Whether pages[i] continues the segment that ends at pages[i - 1] (seg_len bytes so far). */
static bool sg_pages_continue(struct page **pages, unsigned int i, unsigned long seg_len,
			      unsigned int max_segment)
{
	return seg_len < max_segment && page_to_pfn(pages[i]) == page_to_pfn(pages[i - 1]) + 1;
}

int sg_alloc_table_from_pages_segment(struct sg_table *sgt, struct page **pages,
				      unsigned int n_pages, unsigned int offset,
				      unsigned long size, unsigned int max_segment,
				      gfp_t gfp_mask)
{
	unsigned int chunks, cur_page, i, j;
	unsigned long seg_len;
	struct scatterlist *s;
	int ret;

	max_segment &= PAGE_MASK;
	if (!max_segment || !n_pages || !pages) {
		kdma_warn(NULL, "sg_alloc_table_from_pages: %s",
			  !max_segment ? "max_segment is smaller than a page" : "no pages");
		return -EINVAL;
	}
	/* count the physically contiguous chunks */
	chunks = 1;
	for (i = 1, seg_len = 0; i < n_pages; i++) {
		seg_len += PAGE_SIZE;
		if (!sg_pages_continue(pages, i, seg_len, max_segment)) {
			chunks++;
			seg_len = 0;
		}
	}
	ret = sg_alloc_table(sgt, chunks, gfp_mask);
	if (ret)
		return ret;
	cur_page = 0;
	for_each_sg(sgt->sgl, s, sgt->orig_nents, i) {
		unsigned long chunk_size;

		for (j = cur_page + 1, seg_len = 0; j < n_pages; j++) {
			seg_len += PAGE_SIZE;
			if (!sg_pages_continue(pages, j, seg_len, max_segment))
				break;
		}
		chunk_size = ((unsigned long)(j - cur_page) << PAGE_SHIFT) - offset;
		sg_set_page(s, pages[cur_page], (unsigned int)(size < chunk_size ? size : chunk_size),
			    offset);
		size -= size < chunk_size ? size : chunk_size;
		offset = 0;
		cur_page = j;
	}
	return 0;
}

int sg_alloc_table_from_pages(struct sg_table *sgt, struct page **pages, unsigned int n_pages,
			      unsigned int offset, unsigned long size, gfp_t gfp_mask)
{
	return sg_alloc_table_from_pages_segment(sgt, pages, n_pages, offset, size, UINT_MAX, gfp_mask);
}

/* Free a chained list of nents entries whose chunks may have any size: a chunk ends at its
 * chain link, the last one at its nents-th entry. */
static void sg_free_chunks(struct scatterlist *sgl, unsigned int nents)
{
	while (sgl && nents) {
		struct scatterlist *next = NULL;
		unsigned int i;

		for (i = 0;; i++) {
			if (sg_is_chain(&sgl[i])) {
				next = sg_chain_ptr(&sgl[i]);
				break;
			}
			if (--nents == 0)
				break;
		}
		sg_chunk_free(sgl, i + 1);
		sgl = next;
	}
}

void sg_free_append_table(struct sg_append_table *t)
{
	if (!t)
		return;
	sg_free_chunks(t->sgt.sgl, t->total_nents);
	memset(t, 0, sizeof(*t));
}

/* The entry after cur for an append table. When cur's chunk has only its last entry left and
 * more than one entry is still expected, that entry becomes a link to a new chunk sized for the
 * entries expected (at most a page of them). */
static struct scatterlist *sg_append_next(struct sg_append_table *t, struct scatterlist *cur,
					  unsigned long needed, gfp_t gfp)
{
	struct scatterlist *next = NULL, *chunk;
	unsigned int size;

	if (cur) {
		next = sg_next(cur);
		if (!next) {
			kdma_warn(NULL, "sg_alloc_append_table_from_pages: the table was ended by "
				  "a call with left_pages 0");
			return ERR_PTR(-EINVAL);
		}
		if (!sg_is_last(next) || needed == 1)
			return next;
	}
	size = needed < SG_MAX_SINGLE_ALLOC ? (unsigned int)needed : SG_MAX_SINGLE_ALLOC;
	chunk = sg_chunk_alloc(size, gfp);
	if (!chunk)
		return ERR_PTR(-ENOMEM);
	sg_init_table(chunk, size);
	if (cur) {
		sg_chain(next, 1, chunk);
		t->total_nents += size - 1;
	} else {
		t->sgt.sgl = chunk;
		t->total_nents = size;
	}
	return chunk;
}

/* Whether pages[i] starts a new segment after seg_len bytes of the current one. */
static bool sg_append_breaks(struct page **pages, unsigned int i, unsigned int seg_len,
			     unsigned int max_segment)
{
	return seg_len >= max_segment || page_to_pfn(pages[i]) != page_to_pfn(pages[i - 1]) + 1;
}

int sg_alloc_append_table_from_pages(struct sg_append_table *t, struct page **pages,
				     unsigned int n_pages, unsigned int offset, unsigned long size,
				     unsigned int max_segment, unsigned int left_pages,
				     gfp_t gfp_mask)
{
	struct scatterlist *s = t ? t->prv : NULL;
	unsigned int chunks, cur_page, seg_len, i, prv_len = 0, added = 0;

	max_segment &= PAGE_MASK;
	if (!t || max_segment < PAGE_SIZE || (!t->prv && (!pages || !n_pages))) {
		kdma_warn(NULL, "sg_alloc_append_table_from_pages: %s",
			  !t ? "no table" : max_segment < PAGE_SIZE ?
			  "max_segment is smaller than a page" : "no pages");
		return -EINVAL;
	}
	if (t->prv) {
		unsigned long next_pfn = (page_to_pfn(sg_page(t->prv)) * PAGE_SIZE +
					  t->prv->offset + t->prv->length) / PAGE_SIZE;

		if (offset) {
			kdma_warn(NULL, "sg_alloc_append_table_from_pages: offset %u when appending",
				  offset);
			return -EINVAL;
		}
		/* contiguous pages grow the last entry */
		prv_len = t->prv->length;
		while (n_pages && page_to_pfn(pages[0]) == next_pfn &&
		       t->prv->length + PAGE_SIZE <= max_segment) {
			t->prv->length += PAGE_SIZE;
			next_pfn++;
			pages++;
			n_pages--;
		}
		if (!n_pages)
			goto out;
	}
	chunks = 1;
	for (i = 1, seg_len = 0; i < n_pages; i++) {
		seg_len += PAGE_SIZE;
		if (sg_append_breaks(pages, i, seg_len, max_segment)) {
			chunks++;
			seg_len = 0;
		}
	}
	for (cur_page = 0, i = 0; i < chunks; i++) {
		unsigned int j, chunk_size;

		for (j = cur_page + 1, seg_len = 0; j < n_pages; j++) {
			seg_len += PAGE_SIZE;
			if (sg_append_breaks(pages, j, seg_len, max_segment))
				break;
		}
		s = sg_append_next(t, s, chunks - i + left_pages, gfp_mask);
		if (IS_ERR(s)) {
			if (t->prv)
				t->prv->length = prv_len; /* as before the call */
			return (int)PTR_ERR(s);
		}
		chunk_size = ((j - cur_page) << PAGE_SHIFT) - offset;
		sg_set_page(s, pages[cur_page], (unsigned int)(size < chunk_size ? size : chunk_size),
			    offset);
		added++;
		size -= size < chunk_size ? size : chunk_size;
		offset = 0;
		cur_page = j;
	}
	t->sgt.nents += added;
	t->sgt.orig_nents = t->sgt.nents;
	t->prv = s;
out:
	if (!left_pages)
		sg_mark_end(s);
	return 0;
}

/* Copy between the list (after skipping skip bytes) and buf; returns the bytes copied. */
static size_t sg_copy_buffer(struct scatterlist *sgl, unsigned int nents, void *buf,
			     size_t buflen, off_t skip, bool to_buffer, bool zero)
{
	struct scatterlist *sg;
	size_t done = 0;
	unsigned int i;

	/* like the kernel's sg_miter, stop at the end of the list even if nents is larger */
	for (sg = sgl, i = 0; sg && i < nents; sg = sg_next(sg), i++) {
		size_t len = sg->length;
		char *p = sg_virt(sg);

		if (done >= buflen)
			break;
		if ((size_t)skip >= len) {
			skip -= (off_t)len;
			continue;
		}
		p += skip;
		len -= (size_t)skip;
		skip = 0;
		if (len > buflen - done)
			len = buflen - done;
		if (zero)
			memset(p, 0, len);
		else if (to_buffer)
			memcpy((char *)buf + done, p, len);
		else
			memcpy(p, (const char *)buf + done, len);
		done += len;
	}
	return done;
}

size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents, const void *buf,
			   size_t buflen)
{
	return sg_copy_buffer(sgl, nents, (void *)buf, buflen, 0, false, false);
}

size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents, void *buf, size_t buflen)
{
	return sg_copy_buffer(sgl, nents, buf, buflen, 0, true, false);
}

size_t sg_pcopy_from_buffer(struct scatterlist *sgl, unsigned int nents, const void *buf,
			    size_t buflen, off_t skip)
{
	return sg_copy_buffer(sgl, nents, (void *)buf, buflen, skip, false, false);
}

size_t sg_pcopy_to_buffer(struct scatterlist *sgl, unsigned int nents, void *buf, size_t buflen,
			  off_t skip)
{
	return sg_copy_buffer(sgl, nents, buf, buflen, skip, true, false);
}

size_t sg_zero_buffer(struct scatterlist *sgl, unsigned int nents, size_t buflen, off_t skip)
{
	return sg_copy_buffer(sgl, nents, NULL, buflen, skip, false, true);
}
