/* SPDX-License-Identifier: MIT */
/*
 * <linux/scatterlist.h> — scatterlists and sg tables, with the kernel's layout and page_link
 * encoding (bit 0: chain, bit 1: end), so chained lists and the iterators behave exactly alike.
 */
#ifndef _DMASAN_SHIM_LINUX_SCATTERLIST_H
#define _DMASAN_SHIM_LINUX_SCATTERLIST_H

#include <linux/types.h>
#include <linux/mm_types.h>
#include <linux/mm.h> /* as in the kernel: drivers get page helpers through dma-mapping.h */

struct scatterlist {
	unsigned long page_link;
	unsigned int offset;
	unsigned int length;
	dma_addr_t dma_address;
	unsigned int dma_length; /* CONFIG_NEED_SG_DMA_LENGTH: the IOMMU path merges segments */
	unsigned int dma_flags;
};

struct sg_table {
	struct scatterlist *sgl; /* the list */
	unsigned int nents;      /* number of mapped entries */
	unsigned int orig_nents; /* original size of list */
};

/* A table built by successive sg_alloc_append_table_from_pages() calls. */
struct sg_append_table {
	struct sg_table sgt;       /* the table */
	struct scatterlist *prv;   /* last populated entry */
	unsigned int total_nents;  /* entries allocated (more than used while pages are expected) */
};

#define SG_CHAIN 0x01UL
#define SG_END 0x02UL
#define SG_PAGE_LINK_MASK (SG_CHAIN | SG_END)
#define SG_MAX_SINGLE_ALLOC (4096 / sizeof(struct scatterlist))

#define sg_dma_address(sg) ((sg)->dma_address)
#define sg_dma_len(sg) ((sg)->dma_length)

static inline unsigned int __sg_flags(struct scatterlist *sg)
{
	return sg->page_link & SG_PAGE_LINK_MASK;
}

static inline bool sg_is_chain(struct scatterlist *sg)
{
	return __sg_flags(sg) & SG_CHAIN;
}

static inline bool sg_is_last(struct scatterlist *sg)
{
	return __sg_flags(sg) & SG_END;
}

static inline struct scatterlist *sg_chain_ptr(struct scatterlist *sg)
{
	return (struct scatterlist *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}

static inline struct page *sg_page(struct scatterlist *sg)
{
	return (struct page *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}

static inline void sg_assign_page(struct scatterlist *sg, struct page *page)
{
	unsigned long page_link = sg->page_link & (SG_CHAIN | SG_END);

	sg->page_link = page_link | (unsigned long)page;
}

static inline void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
			       unsigned int offset)
{
	sg_assign_page(sg, page);
	sg->offset = offset;
	sg->length = len;
}

static inline void sg_mark_end(struct scatterlist *sg)
{
	sg->page_link |= SG_END;
	sg->page_link &= ~SG_CHAIN;
}

static inline void sg_unmark_end(struct scatterlist *sg)
{
	sg->page_link &= ~SG_END;
}

static inline void sg_chain(struct scatterlist *prv, unsigned int prv_nents,
			    struct scatterlist *sgl)
{
	prv[prv_nents - 1].offset = 0;
	prv[prv_nents - 1].length = 0;
	prv[prv_nents - 1].page_link = ((unsigned long)sgl | SG_CHAIN) & ~SG_END;
}

/* Out-of-line (lib/scatterlist.c equivalents, src/kdma/mm/scatterlist.c) */
struct scatterlist *sg_next(struct scatterlist *sg);
int sg_nents(struct scatterlist *sg);
int sg_nents_for_len(struct scatterlist *sg, u64 len);
struct scatterlist *sg_last(struct scatterlist *s, unsigned int nents);
void sg_init_table(struct scatterlist *sgl, unsigned int nents);
void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen);
void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int buflen);
void *sg_virt(struct scatterlist *sg);
phys_addr_t sg_phys(struct scatterlist *sg);
int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp_mask);
void sg_free_table(struct sg_table *table);
int sg_alloc_table_from_pages(struct sg_table *sgt, struct page **pages, unsigned int n_pages,
			      unsigned int offset, unsigned long size, gfp_t gfp_mask);
int sg_alloc_table_from_pages_segment(struct sg_table *sgt, struct page **pages,
				      unsigned int n_pages, unsigned int offset,
				      unsigned long size, unsigned int max_segment,
				      gfp_t gfp_mask);
/* Append n_pages to sgt_append, merging with its last entry when contiguous; left_pages: how
 * many more pages later calls will add (0 ends the table). Free with sg_free_append_table(). */
int sg_alloc_append_table_from_pages(struct sg_append_table *sgt_append, struct page **pages,
				     unsigned int n_pages, unsigned int offset, unsigned long size,
				     unsigned int max_segment, unsigned int left_pages,
				     gfp_t gfp_mask);
void sg_free_append_table(struct sg_append_table *sgt_append);
size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents, const void *buf,
			   size_t buflen);
size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents, void *buf, size_t buflen);
size_t sg_pcopy_from_buffer(struct scatterlist *sgl, unsigned int nents, const void *buf,
			    size_t buflen, off_t skip);
size_t sg_pcopy_to_buffer(struct scatterlist *sgl, unsigned int nents, void *buf, size_t buflen,
			  off_t skip);
size_t sg_zero_buffer(struct scatterlist *sgl, unsigned int nents, size_t buflen, off_t skip);

#define for_each_sg(sglist, sg, nr, __i)                                                      \
	for (__i = 0, sg = (sglist); __i < (nr); __i++, sg = sg_next(sg))

#define for_each_sgtable_sg(sgt, sg, i) for_each_sg((sgt)->sgl, sg, (sgt)->orig_nents, i)
#define for_each_sgtable_dma_sg(sgt, sg, i) for_each_sg((sgt)->sgl, sg, (sgt)->nents, i)

#endif
