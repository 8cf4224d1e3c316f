/* SPDX-License-Identifier: MIT */
/*
 * dma-iommu scatterlists (iommu_dma_map_sg in drivers/iommu/dma-iommu.c): the whole list is
 * laid out in one IOVA range, granule-aligned element by element, with padding so that no
 * element crosses the device's segment boundary; then __finalise_sg merges adjacent elements
 * into as few DMA segments as the boundary and max_segment_size allow. The layout pass works in place on the list and is undone
 * by the finalise (or invalidate) pass, exactly as in the kernel, so drivers see the same fields.
 *
 * One deviation: the kernel maps segment-boundary padding to the physical memory following the
 * previous element. Here padding pages are present but map no memory and grant no access, so a
 * device touching them faults instead of reading whatever follows the buffer in this process.
 */
#include <errno.h>

#include "dma/dma.h"
#include "iommu/iommu_priv.h"

#ifndef SG_DMA_SWIOTLB
#define SG_DMA_SWIOTLB (1u << 1) /* the kernel's flag: this list was mapped element by element */
#endif

static bool sg_dma_is_swiotlb(const struct scatterlist *sg)
{
	return sg->dma_flags & SG_DMA_SWIOTLB;
}

static void iommu_dma_unmap_sg_swiotlb(struct device *dev, struct scatterlist *sg, int nents,
				       enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *s;
	int i;

	for_each_sg(sg, s, nents, i)
		iommu_dma_unmap_phys(dev, sg_dma_address(s), sg_dma_len(s), dir, attrs);
}

/* Untrusted devices, or a kmalloc element that needs bouncing: map element by element. */
static bool dev_use_sg_swiotlb(struct device *dev, struct scatterlist *sg, int nents,
			       enum dma_data_direction dir)
{
	struct scatterlist *s;
	int i;

	if (kdma_of(dev)->untrusted)
		return true;
	for_each_sg(sg, s, nents, i)
		if (kdma_kmalloc_needs_bounce(dev, s->length, dir))
			return true;
	return false;
}

static int iommu_dma_map_sg_swiotlb(struct device *dev, struct scatterlist *sg, int nents,
				    enum dma_data_direction dir, unsigned long attrs,
				    unsigned int *flags)
{
	struct scatterlist *s;
	int i;

	for_each_sg(sg, s, nents, i) {
		sg_dma_address(s) = iommu_dma_map_phys(dev, sg_phys(s), s->length, dir, attrs, flags,
						       NULL);
		if (sg_dma_address(s) == DMA_MAPPING_ERROR)
			goto out_unmap;
		sg_dma_len(s) = s->length;
	}
	sg->dma_flags |= SG_DMA_SWIOTLB;
	if (flags)
		*flags &= ~KDMA_MAP_FAILED;
	return nents;

out_unmap:
	iommu_dma_unmap_sg_swiotlb(dev, sg, i, dir, attrs | DMA_ATTR_SKIP_CPU_SYNC);
	return -EIO;
}

/* Build the DMA view in place: merge what may be merged, restore the CPU fields. */
static int finalise_sg(struct device *dev, struct scatterlist *sg, int nents, dma_addr_t dma_addr)
{
	unsigned long seg_mask = dma_get_seg_boundary(dev);
	unsigned int cur_len = 0, max_len = dma_get_max_seg_size(dev);
	struct scatterlist *s, *cur = sg;
	int i, count = 0;

	for_each_sg(sg, s, nents, i) {
		/* The layout pass stashed the offset in the granule and the length here. */
		unsigned int s_iova_off = (unsigned int)sg_dma_address(s);
		unsigned int s_length = sg_dma_len(s);
		unsigned int s_iova_len = s->length;

		sg_dma_address(s) = DMA_MAPPING_ERROR;
		sg_dma_len(s) = 0;
		s->offset += s_iova_off;
		s->length = s_length;

		/* Append to the current segment if this one starts on a granule, is not at a
		 * segment boundary, and the result stays within max_segment_size. */
		if (cur_len && !s_iova_off && (dma_addr & seg_mask) &&
		    (max_len - cur_len >= s_length)) {
			cur_len += s_length;
		} else {
			if (i > 0)
				cur = sg_next(cur);
			cur_len = s_length;
			count++;
			sg_dma_address(cur) = dma_addr + s_iova_off;
		}
		sg_dma_len(cur) = cur_len;
		dma_addr += s_iova_len;
		/* Not ending on a granule: nothing may follow it in the same segment. */
		if (s_length + s_iova_off < s_iova_len)
			cur_len = 0;
	}
	return count;
}

/* Undo the layout pass after a failure. */
static void invalidate_sg(struct scatterlist *sg, int nents)
{
	struct scatterlist *s;
	int i;

	for_each_sg(sg, s, nents, i) {
		if (sg_dma_address(s) != DMA_MAPPING_ERROR)
			s->offset += (unsigned int)sg_dma_address(s);
		if (sg_dma_len(s))
			s->length = sg_dma_len(s);
		sg_dma_address(s) = DMA_MAPPING_ERROR;
		sg_dma_len(s) = 0;
	}
}

/* Map the laid-out list at iova: each element's aligned pages, then its padding (if any) as
 * present-but-empty pages. Returns 0 or -errno (nothing left mapped). */
static int map_laid_out_sg(struct iommu_domain *domain, dma_addr_t iova, struct scatterlist *sg,
			   int nents, int prot)
{
	dma_addr_t pos = iova;
	struct scatterlist *s;
	int i, ret = 0;

	for_each_sg(sg, s, nents, i) {
		size_t data = iommu_iova_align(sg_dma_len(s) + sg_dma_address(s));
		size_t pad = s->length - data;

		ret = io_pgtable_map_pages(domain->pgtbl, pos, sg_phys(s), data >> IOVA_SHIFT, prot);
		if (!ret && pad) {
			ret = io_pgtable_map_pages(domain->pgtbl, pos + data, 0, pad >> IOVA_SHIFT,
						   0);
			if (ret)
				pos += data; /* the data pages are ours to unmap */
		}
		if (ret) {
			io_pgtable_unmap_pages(domain->pgtbl, iova, (pos - iova) >> IOVA_SHIFT);
			return ret;
		}
		pos += s->length;
	}
	io_pgtable_iotlb_sync_map(domain->pgtbl, iova, pos - iova);
	return 0;
}

int iommu_dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
		     enum dma_data_direction dir, unsigned long attrs, unsigned int *flags)
{
	struct iommu_domain *domain = kdma_iommu_domain(dev);
	unsigned long mask = dma_get_seg_boundary(dev);
	struct scatterlist *s, *prev = NULL;
	size_t iova_len = 0;
	dma_addr_t iova;
	int i, ret;

	if (!domain || !sg || nents <= 0) {
		kdma_warn(dev, "%s: %s", __func__, !domain ? "device has no IOMMU domain" : "empty list");
		return -EINVAL;
	}
	sg->dma_flags &= ~SG_DMA_SWIOTLB;
	if (dev_use_sg_swiotlb(dev, sg, nents, dir))
		return iommu_dma_map_sg_swiotlb(dev, sg, nents, dir, attrs, flags);
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		iommu_dma_sync_sg_for_device(dev, sg, nents, dir);

	for_each_sg(sg, s, nents, i) {
		size_t s_iova_off = iommu_iova_offset(s->offset);
		size_t s_length = s->length;
		size_t pad_len = (mask - iova_len + 1) & mask;

		sg_dma_address(s) = s_iova_off;
		sg_dma_len(s) = (unsigned int)s_length;
		s->offset -= (unsigned int)s_iova_off;
		s_length = iommu_iova_align(s_length + s_iova_off);
		s->length = (unsigned int)s_length;
		/* The single IOVA range is size-aligned: if the boundary is smaller than the range,
		 * the range starts on a boundary, so padding by length alone keeps each element
		 * inside one boundary window. pad_len is 0 while iova_len is 0, so prev is set. */
		if (pad_len && pad_len < s_length - 1) {
			prev->length += (unsigned int)pad_len;
			iova_len += pad_len;
		}
		iova_len += s_length;
		prev = s;
	}
	if (!iova_len)
		return finalise_sg(dev, sg, nents, 0);

	iova = kdma_iommu_alloc_iova(domain, iova_len, dma_get_mask(dev));
	if (!iova) {
		ret = -ENOMEM;
		goto out_restore_sg;
	}
	ret = map_laid_out_sg(domain, iova, sg, nents, kdma_iommu_prot(dev, dir, attrs));
	if (ret) {
		kdma_iommu_free_iova_now(domain, iova, iova_len);
		ret = -ENOMEM;
		goto out_restore_sg;
	}
	if (flags)
		*flags |= KDMA_MAP_IOMMU;
	return finalise_sg(dev, sg, nents, iova);

out_restore_sg:
	invalidate_sg(sg, nents);
	if (flags)
		*flags |= KDMA_MAP_FAILED;
	return ret;
}

void iommu_dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs)
{
	dma_addr_t start = 0, end = 0;
	struct scatterlist *tmp;
	int i;

	if (!kdma_iommu_domain(dev) || !sg || nents <= 0)
		return;
	if (sg_dma_is_swiotlb(sg)) {
		iommu_dma_unmap_sg_swiotlb(dev, sg, nents, dir, attrs);
		return;
	}
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		iommu_dma_sync_sg_for_cpu(dev, sg, nents, dir);

	/* One contiguous IOVA range: from the first mapped segment to the end of the last. */
	for_each_sg(sg, tmp, nents, i) {
		if (sg_dma_len(tmp) == 0)
			break;
		if (!start)
			start = sg_dma_address(tmp);
		end = sg_dma_address(tmp) + sg_dma_len(tmp);
	}
	if (end)
		kdma_iommu_unmap(dev, start, end - start);
}

/* Per element through the single-mapping sync when bounced, else arch sync on the CPU pages. */
static void sync_sg(struct device *dev, struct scatterlist *sgl, int nelems,
		    enum dma_data_direction dir, bool for_cpu)
{
	struct scatterlist *sg;
	int i;

	if (!sgl || (!sg_dma_is_swiotlb(sgl) && dev->dma_coherent))
		return;
	for_each_sg(sgl, sg, nelems, i) {
		if (sg_dma_is_swiotlb(sgl) && for_cpu)
			iommu_dma_sync_single_for_cpu(dev, sg_dma_address(sg), sg->length, dir);
		else if (sg_dma_is_swiotlb(sgl))
			iommu_dma_sync_single_for_device(dev, sg_dma_address(sg), sg->length, dir);
		else if (for_cpu)
			kdma_arch_sync_for_cpu(sg_phys(sg), sg->length, dir);
		else
			kdma_arch_sync_for_device(sg_phys(sg), sg->length, dir);
	}
}

void iommu_dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl, int nelems,
			       enum dma_data_direction dir)
{
	sync_sg(dev, sgl, nelems, dir, true);
}

void iommu_dma_sync_sg_for_device(struct device *dev, struct scatterlist *sgl, int nelems,
				  enum dma_data_direction dir)
{
	sync_sg(dev, sgl, nelems, dir, false);
}
