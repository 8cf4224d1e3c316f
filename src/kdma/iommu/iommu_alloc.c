/* SPDX-License-Identifier: MIT */
/*
 * dma-iommu allocations.
 *
 * iommu_dma_alloc (dma_alloc_coherent & co): the kernel gathers scattered pages and gives the
 * CPU a contiguous view with vmap. Here physical addresses are virtual addresses, so there is no
 * second mapping to build: the buffer is one high-order block (the kernel's contiguous path, as
 * for DMA_ATTR_FORCE_CONTIGUOUS), zeroed, mapped into one IOVA range against the coherent mask.
 *
 * iommu_dma_alloc_noncontiguous needs no CPU view, so it gathers pages as the kernel does:
 * largest order first among the domain's page sizes (4 KiB, 2 MiB), falling back to smaller
 * orders, into an sg_table mapped into one IOVA range (sgl->dma_address = IOVA, one segment).
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/gfp.h>
#include <linux/mm.h>

#include "dma/dma.h"
#include "iommu/iommu_priv.h"

void *iommu_dma_alloc(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp,
		      unsigned long attrs)
{
	enum kdma_map_failure why;
	unsigned int order;
	struct page *page;
	phys_addr_t phys;

	if (!kdma_iommu_domain(dev) || !size || !handle)
		return NULL;
	size = iommu_iova_align(size);
	order = (unsigned int)get_order(size);
	/* The IOMMU reaches every page: no zone restriction. */
	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM | __GFP_COMP);
	page = kdma_alloc_pages(gfp | __GFP_ZERO, order);
	if (!page)
		return NULL;
	phys = page_to_phys(page);
	if (!dev->dma_coherent)
		kdma_arch_sync_for_device(phys, size, DMA_BIDIRECTIONAL); /* arch_dma_prep_coherent */
	*handle = kdma_iommu_map(dev, phys, size, kdma_iommu_prot(dev, DMA_BIDIRECTIONAL, attrs),
				 dev->coherent_dma_mask, &why);
	if (*handle == DMA_MAPPING_ERROR) {
		kdma_free_pages(page, order);
		return NULL;
	}
	return page_address(page);
}

void iommu_dma_free(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle,
		    unsigned long attrs)
{
	if (!kdma_iommu_domain(dev) || !cpu_addr)
		return;
	if (!kdma_coherent_addr_ok(dev, cpu_addr))
		return;
	size = iommu_iova_align(size);
	kdma_iommu_unmap(dev, handle, size);
	kdma_free_pages(virt_to_page(cpu_addr), (unsigned int)get_order(size));
}

/* The kernel's dma_sgt_handle, plus the blocks the pages came from (one free per block). */
#define IOMMU_SGT_MAGIC 0x696f6d6d75736774ULL /* "iommusgt" */

struct iommu_sgt_handle {
	struct sg_table sgt; /* first: callers get &sgt */
	u64 magic;           /* tells our tables from foreign ones at free */
	struct page **pages;
	unsigned int nr_blocks;
	struct {
		struct page *page;
		unsigned int order;
	} *blocks;
};

static void free_blocks(struct iommu_sgt_handle *sh)
{
	for (unsigned int i = 0; i < sh->nr_blocks; i++)
		kdma_free_pages(sh->blocks[i].page, sh->blocks[i].order);
	free(sh->blocks);
	free(sh->pages);
}

/* __iommu_dma_alloc_pages: count pages, largest allowed order first. */
static bool gather_pages(struct iommu_sgt_handle *sh, unsigned long count,
			 unsigned long order_mask, gfp_t gfp)
{
	unsigned long i = 0;

	sh->pages = calloc(count, sizeof(*sh->pages));
	sh->blocks = calloc(count, sizeof(*sh->blocks));
	if (!sh->pages || !sh->blocks)
		return false;
	order_mask &= (2UL << MAX_PAGE_ORDER) - 1;
	while (count) {
		struct page *page = NULL;
		unsigned long order_size = 0;

		order_mask &= (2UL << (63 - __builtin_clzl(count))) - 1;
		for (; order_mask; order_mask &= ~order_size) {
			unsigned int order = 63 - __builtin_clzl(order_mask);
			gfp_t flags = gfp;

			order_size = 1UL << order;
			if (order_mask > order_size)
				flags |= __GFP_NORETRY; /* higher orders are a convenience */
			page = kdma_alloc_pages(flags, order);
			if (page) {
				sh->blocks[sh->nr_blocks].page = page;
				sh->blocks[sh->nr_blocks++].order = order;
				break;
			}
		}
		if (!page)
			return false;
		count -= order_size;
		for (unsigned long j = 0; j < order_size; j++)
			sh->pages[i++] = nth_page(page, j);
	}
	return true;
}

struct sg_table *iommu_dma_alloc_noncontiguous(struct device *dev, size_t size,
					       enum dma_data_direction dir, gfp_t gfp,
					       unsigned long attrs)
{
	struct iommu_domain *domain = kdma_iommu_domain(dev);
	unsigned long order_mask = IOMMU_PGSIZE_BITMAP >> PAGE_SHIFT;
	unsigned long count = PAGE_ALIGN(size) >> PAGE_SHIFT;
	struct iommu_sgt_handle *sh;
	struct scatterlist *sg;
	dma_addr_t iova;
	unsigned int i;

	if (!domain || !size)
		return NULL;
	size = iommu_iova_align(size);
	if (attrs & DMA_ATTR_ALLOC_SINGLE_PAGES)
		order_mask = 1;
	sh = calloc(1, sizeof(*sh));
	if (!sh)
		return NULL;
	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM | __GFP_COMP);
	if (!gather_pages(sh, count, order_mask, gfp | __GFP_NOWARN))
		goto out_free_pages;
	iova = kdma_iommu_alloc_iova(domain, size, dev->coherent_dma_mask);
	if (!iova)
		goto out_free_pages;
	if (sg_alloc_table_from_pages(&sh->sgt, sh->pages, (unsigned int)count, 0, size, 0))
		goto out_free_iova;
	if (!dev->dma_coherent)
		for_each_sg(sh->sgt.sgl, sg, sh->sgt.orig_nents, i)
			kdma_arch_sync_for_device(sg_phys(sg), sg->length, DMA_BIDIRECTIONAL);
	{
		int prot = kdma_iommu_prot(dev, dir, attrs);
		dma_addr_t pos = iova;

		for_each_sg(sh->sgt.sgl, sg, sh->sgt.orig_nents, i) {
			if (io_pgtable_map_pages(domain->pgtbl, pos, sg_phys(sg),
						 sg->length >> PAGE_SHIFT, prot)) {
				io_pgtable_unmap_pages(domain->pgtbl, iova, (pos - iova) >> PAGE_SHIFT);
				goto out_free_sg;
			}
			pos += sg->length;
		}
		io_pgtable_iotlb_sync_map(domain->pgtbl, iova, size);
	}
	sh->sgt.sgl->dma_address = iova;
	sh->sgt.sgl->dma_length = (unsigned int)size;
	sh->sgt.nents = 1;
	sh->magic = IOMMU_SGT_MAGIC;
	return &sh->sgt;

out_free_sg:
	sg_free_table(&sh->sgt);
out_free_iova:
	kdma_iommu_free_iova_now(domain, iova, size);
out_free_pages:
	free_blocks(sh);
	free(sh);
	return NULL;
}

void iommu_dma_free_noncontiguous(struct device *dev, size_t size, struct sg_table *sgt,
				  enum dma_data_direction dir)
{
	struct iommu_sgt_handle *sh = (struct iommu_sgt_handle *)sgt;

	if (!kdma_iommu_domain(dev) || !sgt)
		return;
	if (sh->magic != IOMMU_SGT_MAGIC) {
		kdma_warn(dev, "dma_free_noncontiguous: %p was not allocated by dma_alloc_noncontiguous",
			  (void *)sgt);
		return;
	}
	sh->magic = 0;
	kdma_iommu_unmap(dev, sgt->sgl->dma_address, iommu_iova_align(size));
	sg_free_table(&sh->sgt);
	free_blocks(sh);
	free(sh);
}
