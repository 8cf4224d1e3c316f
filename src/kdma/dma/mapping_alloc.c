// SPDX-License-Identifier: MIT
/*
 * DMA allocations (kernel/dma/mapping.c): coherent (dma_alloc_attrs and its wrappers),
 * non-coherent pages, non-contiguous tables and dma_get_sgtable. Dispatch order: per-device
 * coherent memory (final, and invisible to the debug hooks as in the kernel) → direct → IOMMU →
 * the device's dma_map_ops.
 */
#include <errno.h>

#include "base/vg.h"
#include "dma/dmacore.h"

/* ------------------------------------------------------------------ coherent ---- */

/*
 * Under memcheck a coherent allocation is a heap block, defined (the memory is zeroed), and
 * dma_free_attrs frees it, so a use after dma_free_coherent is an invalid access with both
 * stacks. Described: allocations from libkdma's own allocators (per-device region, direct with
 * the global and atomic pools, IOMMU) with a CPU address; not the page cookie of
 * DMA_ATTR_NO_KERNEL_MAPPING, and not a driver's dma_map_ops, whose allocator is its own to
 * describe. No-ops natively.
 */
static bool coherent_described(struct device *dev, unsigned long attrs)
{
	return !(attrs & DMA_ATTR_NO_KERNEL_MAPPING) &&
	       (kdma_alloc_direct(dev, get_dma_ops(dev)) || use_dma_iommu(dev));
}

static bool alloc_args_ok(struct device *dev, size_t size, const void *dma_handle, gfp_t gfp,
			  const char *fn)
{
	if (!dma_handle) {
		kdma_warn(dev, "%s: NULL dma_handle", fn);
		return false;
	}
	if (!size) {
		kdma_warn(dev, "%s: zero-size allocation", fn);
		return false;
	}
	if (gfp & __GFP_COMP) {
		kdma_warn(dev, "%s: __GFP_COMP is not allowed for DMA allocations", fn);
		return false;
	}
	if (!dev->coherent_dma_mask)
		kdma_warn(dev, "%s: the device has no coherent DMA mask", fn);
	return true;
}

static void *alloc_attrs_dispatch(struct device *dev, size_t size, dma_addr_t *dma_handle,
				  gfp_t gfp, unsigned long attrs)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);

	/* The implementation picks the zone from the coherent mask. */
	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
	if (kdma_alloc_direct(dev, ops))
		return dma_direct_alloc(dev, size, dma_handle, gfp, attrs);
	if (use_dma_iommu(dev))
		return iommu_dma_alloc(dev, size, dma_handle, gfp, attrs);
	if (ops->alloc)
		return ops->alloc(dev, size, dma_handle, gfp, attrs);
	return NULL;
}

void *kdma_alloc_attrs_nohook(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
			      unsigned long attrs)
{
	void *cpu_addr;

	if (dma_alloc_from_dev_coherent(dev, size, dma_handle, &cpu_addr))
		return cpu_addr;
	return alloc_attrs_dispatch(dev, size, dma_handle, gfp, attrs);
}

static void free_attrs_dispatch(struct device *dev, size_t size, void *cpu_addr,
				dma_addr_t dma_handle, unsigned long attrs)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);

	if (kdma_alloc_direct(dev, ops))
		dma_direct_free(dev, size, cpu_addr, dma_handle, attrs);
	else if (use_dma_iommu(dev))
		iommu_dma_free(dev, size, cpu_addr, dma_handle, attrs);
	else if (ops->free)
		ops->free(dev, size, cpu_addr, dma_handle, attrs);
}

void kdma_free_attrs_nohook(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle,
			    unsigned long attrs)
{
	if (dma_release_from_dev_coherent(dev, get_order(size), cpu_addr) || !cpu_addr)
		return;
	free_attrs_dispatch(dev, size, cpu_addr, dma_handle, attrs);
}

void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t flag,
		      unsigned long attrs)
{
	void *cpu_addr;

	if (!kdma_api_dev_ok(dev, __func__) || !alloc_args_ok(dev, size, dma_handle, flag, __func__))
		return NULL;
	/* Per-device coherent memory: final, and not seen by the debug hooks (kernel behaviour). */
	if (dma_alloc_from_dev_coherent(dev, size, dma_handle, &cpu_addr)) {
		if (cpu_addr)
			vg_heap_block_alloc(cpu_addr, size, true);
		return cpu_addr;
	}
	cpu_addr = alloc_attrs_dispatch(dev, size, dma_handle, flag, attrs);
	if (cpu_addr && coherent_described(dev, attrs))
		vg_heap_block_alloc(cpu_addr, size, true);
	KDMA_HOOK(alloc, dev, KDMA_TYPE_COHERENT, size, cpu_addr,
		  cpu_addr ? *dma_handle : DMA_MAPPING_ERROR, DMA_BIDIRECTIONAL, attrs);
	return cpu_addr;
}

void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle,
		    unsigned long attrs)
{
	bool in_region;

	if (!kdma_api_dev_ok(dev, __func__) || !cpu_addr)
		return;
	in_region = kdma_dev_coherent_contains(dev, kdma_virt_to_phys(cpu_addr), 1);
	if (!in_region)
		KDMA_HOOK(free, dev, KDMA_TYPE_COHERENT, size, cpu_addr, dma_handle,
			  DMA_BIDIRECTIONAL);
	/* after the hook (the sanitizer may still look at the buffer), before the memory can be
	 * handed out again */
	if (in_region || coherent_described(dev, attrs))
		vg_heap_block_free(cpu_addr);
	if (!dma_release_from_dev_coherent(dev, get_order(size), cpu_addr))
		free_attrs_dispatch(dev, size, cpu_addr, dma_handle, attrs);
}

void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp)
{
	return dma_alloc_attrs(dev, size, dma_handle, gfp,
			       gfp & __GFP_NOWARN ? DMA_ATTR_NO_WARN : 0);
}

void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle)
{
	dma_free_attrs(dev, size, cpu_addr, dma_handle, 0);
}

void *dma_alloc_wc(struct device *dev, size_t size, dma_addr_t *dma_addr, gfp_t gfp)
{
	unsigned long attrs = DMA_ATTR_WRITE_COMBINE;

	if (gfp & __GFP_NOWARN)
		attrs |= DMA_ATTR_NO_WARN;
	return dma_alloc_attrs(dev, size, dma_addr, gfp, attrs);
}

void dma_free_wc(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_addr)
{
	dma_free_attrs(dev, size, cpu_addr, dma_addr, DMA_ATTR_WRITE_COMBINE);
}

/* ------------------------------------------------------------- non-coherent pages ---- */

/* dma_common_alloc_pages: IOMMU devices get ordinary pages mapped through the IOMMU. */
static struct page *iommu_alloc_pages(struct device *dev, size_t size, dma_addr_t *dma_handle,
				      enum dma_data_direction dir, gfp_t gfp)
{
	enum kdma_map_failure why = KDMA_FAIL_NONE;
	unsigned int flags = 0;
	struct page *page = kdma_alloc_pages(gfp | __GFP_ZERO, get_order(size));

	if (!page)
		return NULL;
	*dma_handle = iommu_dma_map_phys(dev, page_to_phys(page), size, dir,
					 DMA_ATTR_SKIP_CPU_SYNC, &flags, &why);
	if (*dma_handle == DMA_MAPPING_ERROR) {
		kdma_free_pages(page, get_order(size));
		return NULL;
	}
	return page;
}

struct page *kdma_dma_alloc_pages(struct device *dev, size_t size, dma_addr_t *dma_handle,
				  enum dma_data_direction dir, gfp_t gfp)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);

	if (!dev->coherent_dma_mask) {
		kdma_warn(dev, "dma_alloc_pages: the device has no coherent DMA mask");
		return NULL;
	}
	if (gfp & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM | __GFP_COMP)) {
		kdma_warn(dev, "dma_alloc_pages: zone flags and __GFP_COMP are not allowed "
			  "(the DMA API picks the zone from the mask)");
		return NULL;
	}
	if (!dma_handle || !size) {
		kdma_warn(dev, "dma_alloc_pages: %s", dma_handle ? "zero size" : "NULL dma_handle");
		return NULL;
	}
	size = PAGE_ALIGN(size);
	if (kdma_alloc_direct(dev, ops))
		return dma_direct_alloc_pages(dev, size, dma_handle, dir, gfp);
	if (use_dma_iommu(dev))
		return iommu_alloc_pages(dev, size, dma_handle, dir, gfp);
	if (ops->alloc_pages_op)
		return ops->alloc_pages_op(dev, size, dma_handle, dir, gfp);
	return NULL;
}

void kdma_dma_free_pages(struct device *dev, size_t size, struct page *page, dma_addr_t dma_handle,
			 enum dma_data_direction dir)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);

	size = PAGE_ALIGN(size);
	if (kdma_alloc_direct(dev, ops)) {
		dma_direct_free_pages(dev, size, page, dma_handle, dir);
	} else if (use_dma_iommu(dev)) {
		iommu_dma_unmap_phys(dev, dma_handle, size, dir, DMA_ATTR_SKIP_CPU_SYNC);
		kdma_free_pages(page, get_order(size));
	} else if (ops->free_pages) {
		ops->free_pages(dev, size, page, dma_handle, dir);
	}
}

struct page *dma_alloc_pages(struct device *dev, size_t size, dma_addr_t *dma_handle,
			     enum dma_data_direction dir, gfp_t gfp)
{
	struct page *page;

	if (!kdma_api_dev_ok(dev, __func__))
		return NULL;
	page = kdma_dma_alloc_pages(dev, size, dma_handle, dir, gfp);
	KDMA_HOOK(alloc, dev, KDMA_TYPE_NONCOHERENT, size, page ? page_address(page) : NULL,
		  page ? *dma_handle : DMA_MAPPING_ERROR, dir, 0);
	return page;
}

void dma_free_pages(struct device *dev, size_t size, struct page *page, dma_addr_t dma_handle,
		    enum dma_data_direction dir)
{
	if (!kdma_api_dev_ok(dev, __func__))
		return;
	if (!page) {
		kdma_warn(dev, "%s: NULL page", __func__);
		return;
	}
	KDMA_HOOK(free, dev, KDMA_TYPE_NONCOHERENT, size, page_address(page), dma_handle, dir);
	kdma_dma_free_pages(dev, size, page, dma_handle, dir);
}

void *dma_alloc_noncoherent(struct device *dev, size_t size, dma_addr_t *dma_handle,
			    enum dma_data_direction dir, gfp_t gfp)
{
	struct page *page = dma_alloc_pages(dev, size, dma_handle, dir, gfp);

	return page ? page_address(page) : NULL;
}

void dma_free_noncoherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle,
			  enum dma_data_direction dir)
{
	dma_free_pages(dev, size, vaddr ? virt_to_page(vaddr) : NULL, dma_handle, dir);
}

/* ------------------------------------------------------------ non-contiguous ---- */

/* Without an IOMMU a "non-contiguous" allocation is one contiguous block in a 1-entry table. */
static struct sg_table *alloc_single_sgt(struct device *dev, size_t size,
					 enum dma_data_direction dir, gfp_t gfp)
{
	struct sg_table *sgt = kdma_zalloc(sizeof(*sgt));
	struct page *page;

	if (!sgt)
		return NULL;
	if (sg_alloc_table(sgt, 1, gfp))
		goto free_sgt;
	page = kdma_dma_alloc_pages(dev, size, &sgt->sgl->dma_address, dir, gfp);
	if (!page)
		goto free_table;
	sg_set_page(sgt->sgl, page, PAGE_ALIGN(size), 0);
	sg_dma_len(sgt->sgl) = sgt->sgl->length;
	sgt->nents = 1;
	return sgt;

free_table:
	sg_free_table(sgt);
free_sgt:
	kdma_free(sgt);
	return NULL;
}

struct sg_table *dma_alloc_noncontiguous(struct device *dev, size_t size,
					 enum dma_data_direction dir, gfp_t gfp,
					 unsigned long attrs)
{
	struct sg_table *sgt = NULL;

	if (!kdma_api_dev_ok(dev, __func__))
		return NULL;
	if (attrs & ~DMA_ATTR_ALLOC_SINGLE_PAGES)
		kdma_warn(dev, "%s: only DMA_ATTR_ALLOC_SINGLE_PAGES is allowed", __func__);
	else if (gfp & __GFP_COMP)
		kdma_warn(dev, "%s: __GFP_COMP is not allowed", __func__);
	else if (use_dma_iommu(dev))
		sgt = iommu_dma_alloc_noncontiguous(dev, size, dir, gfp, attrs);
	else
		sgt = alloc_single_sgt(dev, size, dir, gfp);
	/* The table identifies the allocation (cpu_addr of the hook), as it does for the free. */
	KDMA_HOOK(alloc, dev, KDMA_TYPE_NONCONTIGUOUS, size, sgt,
		  sgt ? sg_dma_address(sgt->sgl) : DMA_MAPPING_ERROR, dir, attrs);
	return sgt;
}

void dma_free_noncontiguous(struct device *dev, size_t size, struct sg_table *sgt,
			    enum dma_data_direction dir)
{
	if (!kdma_api_dev_ok(dev, __func__))
		return;
	if (!sgt || !sgt->sgl) {
		kdma_warn(dev, "%s: NULL sg_table", __func__);
		return;
	}
	KDMA_HOOK(free, dev, KDMA_TYPE_NONCONTIGUOUS, size, sgt, sg_dma_address(sgt->sgl), dir);
	if (use_dma_iommu(dev)) {
		iommu_dma_free_noncontiguous(dev, size, sgt, dir);
		return;
	}
	kdma_dma_free_pages(dev, size, sg_page(sgt->sgl), sg_dma_address(sgt->sgl), dir);
	sg_free_table(sgt);
	kdma_free(sgt);
}

/* Memory is mapped once (phys == virt), so a table is CPU-contiguous when its pages follow each
 * other; that is what a vmap would give. */
void *dma_vmap_noncontiguous(struct device *dev, size_t size, struct sg_table *sgt)
{
	struct scatterlist *sg;
	char *start, *next;
	unsigned int i;

	if (!sgt || !sgt->sgl) {
		kdma_warn(dev, "%s: NULL sg_table", __func__);
		return NULL;
	}
	start = next = page_address(sg_page(sgt->sgl));
	for_each_sgtable_sg(sgt, sg, i) {
		if ((char *)page_address(sg_page(sg)) + sg->offset != next) {
			kdma_warn(dev, "%s: the pages are not CPU-contiguous; cannot vmap", __func__);
			return NULL;
		}
		next += sg->offset + sg->length;
	}
	return start;
}

void dma_vunmap_noncontiguous(struct device *dev, void *vaddr)
{
	/* Nothing was mapped by dma_vmap_noncontiguous. */
}

/* ------------------------------------------------------------------ get_sgtable ---- */

int dma_get_sgtable_attrs(struct device *dev, struct sg_table *sgt, void *cpu_addr,
			  dma_addr_t dma_addr, size_t size, unsigned long attrs)
{
	const struct dma_map_ops *ops;
	struct page *page;
	int ret;

	if (!kdma_api_dev_ok(dev, __func__))
		return -EINVAL;
	if (!sgt || !cpu_addr) {
		kdma_warn(dev, "%s: NULL %s", __func__, sgt ? "cpu_addr" : "sg_table");
		return -EINVAL;
	}
	ops = get_dma_ops(dev);
	if (kdma_alloc_direct(dev, ops)) {
		phys_addr_t phys = kdma_dma_to_phys(dev, dma_addr);

		if (phys == (phys_addr_t)-1)
			return -ENXIO;
		page = phys_to_page(phys); /* the kernel goes from the handle */
	} else if (use_dma_iommu(dev)) {
		page = attrs & DMA_ATTR_NO_KERNEL_MAPPING ? cpu_addr : virt_to_page(cpu_addr);
	} else if (ops->get_sgtable) {
		return ops->get_sgtable(dev, sgt, cpu_addr, dma_addr, size, attrs);
	} else {
		return -ENXIO;
	}
	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (!ret)
		sg_set_page(sgt->sgl, page, PAGE_ALIGN(size), 0);
	return ret;
}

int dma_get_sgtable(struct device *dev, struct sg_table *sgt, void *cpu_addr, dma_addr_t dma_addr,
		    size_t size)
{
	return dma_get_sgtable_attrs(dev, sgt, cpu_addr, dma_addr, size, 0);
}
