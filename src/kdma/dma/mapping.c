// SPDX-License-Identifier: MIT
/*
 * Streaming DMA API (kernel/dma/mapping.c): map/unmap/sync of single buffers, pages, resources and
 * scatterlists, dispatched in the kernel's order — direct path, IOMMU (dev->dma_iommu), then the
 * device's custom dma_map_ops. Each exported call fires its sanitizer hook exactly once, at the
 * place the kernel calls debug_dma_*() (unmaps before the real unmap, syncs before and after);
 * internal paths use the hook-free helpers below.
 *
 * Bad input never crashes: a message on stderr and the kernel's error value. When the device is
 * usable the hook still fires (with KDMA_MAP_FAILED / KDMA_FAIL_INVALID or the bad direction), so
 * the sanitizer reports the misuse the kernel would BUG or WARN on.
 */
#include <errno.h>

#include "dma/dmacore.h"

/* ------------------------------------------------------------------- map dispatch ---- */

static dma_addr_t map_phys_nohook(struct device *dev, phys_addr_t phys, size_t size,
				  enum dma_data_direction dir, unsigned long attrs,
				  unsigned int *flags, enum kdma_map_failure *why)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);
	bool mmio = attrs & DMA_ATTR_MMIO;
	dma_addr_t addr = DMA_MAPPING_ERROR;

	if (kdma_map_direct(dev, ops))
		return dma_direct_map_phys(dev, phys, size, dir, attrs, flags, why);
	if (use_dma_iommu(dev)) {
		if (mmio)
			addr = iommu_dma_map_resource(dev, phys, size, dir, attrs);
		else
			return iommu_dma_map_phys(dev, phys, size, dir, attrs, flags, why);
		if (addr != DMA_MAPPING_ERROR)
			*flags |= KDMA_MAP_IOMMU;
	} else if (mmio && ops->map_resource) {
		addr = ops->map_resource(dev, phys, size, dir, attrs);
	} else if (!mmio && ops->map_page) {
		addr = ops->map_page(dev, phys_to_page(phys), offset_in_page(phys), size, dir, attrs);
	} else {
		kdma_warn(dev, "dma_map: the device's dma_map_ops have no %s operation",
			  mmio ? "map_resource" : "map_page");
	}
	if (addr == DMA_MAPPING_ERROR && *why == KDMA_FAIL_NONE)
		*why = KDMA_FAIL_OTHER;
	return addr;
}

static void unmap_phys_nohook(struct device *dev, dma_addr_t addr, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);
	bool mmio = attrs & DMA_ATTR_MMIO;

	if (kdma_map_direct(dev, ops))
		dma_direct_unmap_phys(dev, addr, size, dir, attrs);
	else if (use_dma_iommu(dev) && mmio)
		iommu_dma_unmap_resource(dev, addr, size, dir, attrs);
	else if (use_dma_iommu(dev))
		iommu_dma_unmap_phys(dev, addr, size, dir, attrs);
	else if (mmio && ops->unmap_resource)
		ops->unmap_resource(dev, addr, size, dir, attrs);
	else if (!mmio && ops->unmap_page)
		ops->unmap_page(dev, addr, size, dir, attrs);
}

/* The checks of every streaming map after the device pointer: direction (a kernel BUG_ON),
 * a DMA mask (WARN_ON_ONCE in the kernel) and a length. All are reported, not just the first. */
static bool map_args_ok(struct device *dev, enum dma_data_direction dir, size_t size,
			const char *fn)
{
	bool ok = kdma_check_dir(dev, dir, fn);

	if (!dev->dma_mask) {
		kdma_warn(dev, "%s: the device has no DMA mask (dev->dma_mask is NULL): it cannot "
			  "do DMA", fn);
		ok = false;
	}
	if (!size) {
		kdma_warn(dev, "%s: zero-length mapping", fn);
		ok = false;
	}
	return ok;
}

/* One streaming map with its one hook. `reject` is a failure found by the caller (NONE: map). */
/* The buffer must lie in memory: a length that wraps the address space (SIZE_MAX) or runs past
 * the top of RAM describes no buffer. MMIO ends only at the top of the address space. */
static bool map_range_ok(struct device *dev, phys_addr_t phys, size_t size, unsigned long attrs,
			 const char *fn)
{
	phys_addr_t last;

	if (!size)
		return true; /* map_args_ok's */
	if (!__builtin_add_overflow(phys, size - 1, &last) &&
	    ((attrs & DMA_ATTR_MMIO) || last <= kdma_max_phys()))
		return true;
	kdma_warn(dev, "%s: buffer at %#llx of %zu bytes runs past the end of memory", fn,
		  (unsigned long long)phys, size);
	return false;
}

static dma_addr_t map_hooked(struct device *dev, enum kdma_map_type type, const void *cpu_addr,
			     phys_addr_t phys, size_t size, enum dma_data_direction dir,
			     unsigned long attrs, enum kdma_map_failure reject, const char *fn)
{
	enum kdma_map_failure why = reject;
	unsigned int flags = 0;
	dma_addr_t addr = DMA_MAPPING_ERROR;

	if (!map_args_ok(dev, dir, size, fn) && why == KDMA_FAIL_NONE)
		why = KDMA_FAIL_INVALID;
	if (why == KDMA_FAIL_NONE && !map_range_ok(dev, phys, size, attrs, fn))
		why = KDMA_FAIL_INVALID;
	if (why == KDMA_FAIL_NONE)
		addr = map_phys_nohook(dev, phys, size, dir, attrs, &flags, &why);
	if (addr == DMA_MAPPING_ERROR)
		flags |= KDMA_MAP_FAILED;
	KDMA_HOOK(map, dev, type, cpu_addr, phys, size, dir, attrs, addr, flags, why);
	return addr;
}

dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir, unsigned long attrs)
{
	enum kdma_map_failure reject = KDMA_FAIL_NONE;

	if (!kdma_api_dev_ok(dev, __func__))
		return DMA_MAPPING_ERROR;
	if (!ptr) {
		kdma_warn(dev, "%s: NULL buffer", __func__);
		reject = KDMA_FAIL_INVALID;
	} else if (kdma_is_vmalloc_addr(ptr)) {
		kdma_warn(dev, "rejecting DMA map of vmalloc memory");
		reject = KDMA_FAIL_VMALLOC;
	}
	return map_hooked(dev, KDMA_TYPE_SINGLE, ptr, kdma_virt_to_phys(ptr), size, dir,
			  attrs & ~DMA_ATTR_MMIO, reject, __func__);
}

dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	enum kdma_map_failure reject = KDMA_FAIL_NONE;
	phys_addr_t phys = 0;

	if (!kdma_api_dev_ok(dev, __func__))
		return DMA_MAPPING_ERROR;
	if (!page) {
		kdma_warn(dev, "%s: NULL page", __func__);
		reject = KDMA_FAIL_INVALID;
	} else {
		phys = page_to_phys(page) + offset;
	}
	if (attrs & DMA_ATTR_MMIO) {
		kdma_warn(dev, "%s: DMA_ATTR_MMIO is for dma_map_phys/dma_map_resource", __func__);
		reject = KDMA_FAIL_INVALID;
	}
	return map_hooked(dev, KDMA_TYPE_PAGE, page ? kdma_phys_to_virt(phys) : NULL, phys, size,
			  dir, attrs, reject, __func__);
}

dma_addr_t dma_map_phys(struct device *dev, phys_addr_t phys, size_t size,
			enum dma_data_direction dir, unsigned long attrs)
{
	if (!kdma_api_dev_ok(dev, __func__))
		return DMA_MAPPING_ERROR;
	return map_hooked(dev, attrs & DMA_ATTR_MMIO ? KDMA_TYPE_RESOURCE : KDMA_TYPE_PAGE,
			  attrs & DMA_ATTR_MMIO ? NULL : kdma_phys_to_virt(phys), phys, size, dir,
			  attrs, KDMA_FAIL_NONE, __func__);
}

dma_addr_t dma_map_resource(struct device *dev, phys_addr_t phys_addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	if (!kdma_api_dev_ok(dev, __func__))
		return DMA_MAPPING_ERROR;
	return map_hooked(dev, KDMA_TYPE_RESOURCE, NULL, phys_addr, size, dir,
			  attrs | DMA_ATTR_MMIO, KDMA_FAIL_NONE, __func__);
}

dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size, enum dma_data_direction dir)
{
	return dma_map_single_attrs(dev, ptr, size, dir, 0);
}

dma_addr_t dma_map_page(struct device *dev, struct page *page, size_t offset, size_t size,
			enum dma_data_direction dir)
{
	return dma_map_page_attrs(dev, page, offset, size, dir, 0);
}

int dma_mapping_error(struct device *dev, dma_addr_t dma_addr)
{
	kdma_hooks_ensure();
	if (dev)
		KDMA_HOOK(mapping_error, dev, dma_addr);
	return dma_addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

/* ------------------------------------------------------------------------ unmaps ---- */

static void unmap_hooked(struct device *dev, enum kdma_map_type type, dma_addr_t addr,
			 size_t size, enum dma_data_direction dir, unsigned long attrs,
			 const char *fn)
{
	if (!kdma_api_dev_ok(dev, fn))
		return;
	KDMA_HOOK(unmap, dev, type, addr, size, dir, attrs);
	if (!kdma_check_dir(dev, dir, fn))
		return;
	if (addr == DMA_MAPPING_ERROR) {
		kdma_warn(dev, "%s: unmapping DMA_MAPPING_ERROR (a failed mapping); ignored", fn);
		return;
	}
	unmap_phys_nohook(dev, addr, size, dir, attrs);
}

void dma_unmap_single_attrs(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	unmap_hooked(dev, KDMA_TYPE_SINGLE, addr, size, dir, attrs & ~DMA_ATTR_MMIO, __func__);
}

void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
	unmap_hooked(dev, KDMA_TYPE_PAGE, addr, size, dir, attrs & ~DMA_ATTR_MMIO, __func__);
}

void dma_unmap_phys(struct device *dev, dma_addr_t addr, size_t size,
		    enum dma_data_direction dir, unsigned long attrs)
{
	unmap_hooked(dev, attrs & DMA_ATTR_MMIO ? KDMA_TYPE_RESOURCE : KDMA_TYPE_PAGE, addr, size,
		     dir, attrs, __func__);
}

void dma_unmap_resource(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, unsigned long attrs)
{
	unmap_hooked(dev, KDMA_TYPE_RESOURCE, addr, size, dir, attrs | DMA_ATTR_MMIO, __func__);
}

void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	dma_unmap_single_attrs(dev, addr, size, dir, 0);
}

void dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	dma_unmap_page_attrs(dev, addr, size, dir, 0);
}

/* ------------------------------------------------------------------ scatterlists ---- */

static int map_sg_nohook(struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir, unsigned long attrs, unsigned int *flags)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);
	int ents;

	if (kdma_map_direct(dev, ops))
		ents = dma_direct_map_sg(dev, sg, nents, dir, attrs, flags);
	else if (use_dma_iommu(dev))
		ents = iommu_dma_map_sg(dev, sg, nents, dir, attrs, flags);
	else if (ops->map_sg)
		ents = ops->map_sg(dev, sg, nents, dir, attrs);
	else
		ents = -EIO;
	/* The kernel accepts only these errors from a map_sg implementation. */
	if (ents <= 0 && ents != -EINVAL && ents != -ENOMEM && ents != -EIO && ents != -EREMOTEIO) {
		kdma_warn(dev, "dma_map_sg: the mapping returned %d, not a valid error; -EIO", ents);
		ents = -EIO;
	}
	return ents;
}

/* The mapped entry count, or a negative errno; fires the map_sg hook once. */
static int map_sg_hooked(struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir, unsigned long attrs, const char *fn)
{
	unsigned int flags = 0;
	int ents = -EINVAL;

	if (!kdma_api_dev_ok(dev, fn))
		return -EINVAL;
	if (!sg || nents <= 0) {
		kdma_warn(dev, "%s: %s", fn, sg ? "no entries to map" : "NULL scatterlist");
		return -EINVAL;
	}
	if (kdma_check_dir(dev, dir, fn)) {
		if (dev->dma_mask)
			ents = map_sg_nohook(dev, sg, nents, dir, attrs, &flags);
		else
			kdma_warn(dev, "%s: the device has no DMA mask (dev->dma_mask is NULL)", fn);
	}
	if (ents <= 0)
		flags |= KDMA_MAP_FAILED;
	KDMA_HOOK(map_sg, dev, sg, nents, ents, dir, attrs, flags);
	return ents;
}

unsigned int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			      enum dma_data_direction dir, unsigned long attrs)
{
	int ents = map_sg_hooked(dev, sg, nents, dir, attrs, __func__);

	return ents < 0 ? 0 : ents;
}

int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents, enum dma_data_direction dir)
{
	return dma_map_sg_attrs(dev, sg, nents, dir, 0);
}

int dma_map_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir,
		    unsigned long attrs)
{
	int nents;

	if (!sgt) {
		kdma_hooks_ensure();
		kdma_warn(dev, "%s: NULL sg_table", __func__);
		return -EINVAL;
	}
	nents = map_sg_hooked(dev, sgt->sgl, sgt->orig_nents, dir, attrs, __func__);
	if (nents < 0)
		return nents;
	sgt->nents = nents;
	return 0;
}

static void unmap_sg_hooked(struct device *dev, struct scatterlist *sg, int nents,
			    enum dma_data_direction dir, unsigned long attrs, const char *fn)
{
	const struct dma_map_ops *ops;

	if (!kdma_api_dev_ok(dev, fn))
		return;
	if (!sg) {
		kdma_warn(dev, "%s: NULL scatterlist", fn);
		return;
	}
	/* Before the real unmap: the IOMMU path rewrites the sg fields the checks read. The
	 * sanitizer also sees a call with no entries: the mapping it was meant for then leaks. */
	KDMA_HOOK(unmap_sg, dev, sg, nents, dir, attrs);
	if (nents <= 0) {
		kdma_warn(dev, "%s: %d entries: nothing unmapped (pass the nents given to dma_map_sg)",
			  fn, nents);
		return;
	}
	if (!kdma_check_dir(dev, dir, fn))
		return;
	ops = get_dma_ops(dev);
	if (kdma_map_direct(dev, ops))
		dma_direct_unmap_sg(dev, sg, nents, dir, attrs);
	else if (use_dma_iommu(dev))
		iommu_dma_unmap_sg(dev, sg, nents, dir, attrs);
	else if (ops->unmap_sg)
		ops->unmap_sg(dev, sg, nents, dir, attrs);
}

void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs)
{
	unmap_sg_hooked(dev, sg, nents, dir, attrs, __func__);
}

void dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents, enum dma_data_direction dir)
{
	unmap_sg_hooked(dev, sg, nents, dir, 0, __func__);
}

void dma_unmap_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir,
		       unsigned long attrs)
{
	if (!sgt) {
		kdma_hooks_ensure();
		kdma_warn(dev, "%s: NULL sg_table", __func__);
		return;
	}
	unmap_sg_hooked(dev, sgt->sgl, sgt->orig_nents, dir, attrs, __func__);
}

/* -------------------------------------------------------------------------- syncs ---- */

static void sync_single(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, bool for_cpu, const char *fn)
{
	const struct dma_map_ops *ops;

	if (!kdma_api_dev_ok(dev, fn))
		return;
	KDMA_HOOK(sync, dev, addr, size, dir, for_cpu, false);
	if (!kdma_check_dir(dev, dir, fn))
		return;
	if (addr == DMA_MAPPING_ERROR) {
		kdma_warn(dev, "%s: syncing DMA_MAPPING_ERROR (a failed mapping); ignored", fn);
		return;
	}
	ops = get_dma_ops(dev);
	if (kdma_map_direct(dev, ops)) {
		if (for_cpu)
			dma_direct_sync_single_for_cpu(dev, addr, size, dir);
		else
			dma_direct_sync_single_for_device(dev, addr, size, dir);
	} else if (use_dma_iommu(dev)) {
		if (for_cpu)
			iommu_dma_sync_single_for_cpu(dev, addr, size, dir);
		else
			iommu_dma_sync_single_for_device(dev, addr, size, dir);
	} else if (for_cpu && ops->sync_single_for_cpu) {
		ops->sync_single_for_cpu(dev, addr, size, dir);
	} else if (!for_cpu && ops->sync_single_for_device) {
		ops->sync_single_for_device(dev, addr, size, dir);
	}
	KDMA_HOOK(sync, dev, addr, size, dir, for_cpu, true);
}

void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir)
{
	sync_single(dev, addr, size, dir, true, __func__);
}

void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
				enum dma_data_direction dir)
{
	sync_single(dev, addr, size, dir, false, __func__);
}

void dma_sync_single_range_for_cpu(struct device *dev, dma_addr_t addr, unsigned long offset,
				   size_t size, enum dma_data_direction dir)
{
	sync_single(dev, addr + offset, size, dir, true, __func__);
}

void dma_sync_single_range_for_device(struct device *dev, dma_addr_t addr, unsigned long offset,
				      size_t size, enum dma_data_direction dir)
{
	sync_single(dev, addr + offset, size, dir, false, __func__);
}

static void sync_sg(struct device *dev, struct scatterlist *sg, int nelems,
		    enum dma_data_direction dir, bool for_cpu, const char *fn)
{
	const struct dma_map_ops *ops;

	if (!kdma_api_dev_ok(dev, fn))
		return;
	if (!sg || nelems <= 0) {
		kdma_warn(dev, "%s: %s", fn, sg ? "no entries to sync" : "NULL scatterlist");
		return;
	}
	KDMA_HOOK(sync_sg, dev, sg, nelems, dir, for_cpu, false);
	if (!kdma_check_dir(dev, dir, fn))
		return;
	ops = get_dma_ops(dev);
	if (kdma_map_direct(dev, ops)) {
		if (for_cpu)
			dma_direct_sync_sg_for_cpu(dev, sg, nelems, dir);
		else
			dma_direct_sync_sg_for_device(dev, sg, nelems, dir);
	} else if (use_dma_iommu(dev)) {
		if (for_cpu)
			iommu_dma_sync_sg_for_cpu(dev, sg, nelems, dir);
		else
			iommu_dma_sync_sg_for_device(dev, sg, nelems, dir);
	} else if (for_cpu && ops->sync_sg_for_cpu) {
		ops->sync_sg_for_cpu(dev, sg, nelems, dir);
	} else if (!for_cpu && ops->sync_sg_for_device) {
		ops->sync_sg_for_device(dev, sg, nelems, dir);
	}
	KDMA_HOOK(sync_sg, dev, sg, nelems, dir, for_cpu, true);
}

void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nelems,
			 enum dma_data_direction dir)
{
	sync_sg(dev, sg, nelems, dir, true, __func__);
}

void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg, int nelems,
			    enum dma_data_direction dir)
{
	sync_sg(dev, sg, nelems, dir, false, __func__);
}

void dma_sync_sgtable_for_cpu(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir)
{
	sync_sg(dev, sgt ? sgt->sgl : NULL, sgt ? sgt->orig_nents : 0, dir, true, __func__);
}

void dma_sync_sgtable_for_device(struct device *dev, struct sg_table *sgt,
				 enum dma_data_direction dir)
{
	sync_sg(dev, sgt ? sgt->sgl : NULL, sgt ? sgt->orig_nents : 0, dir, false, __func__);
}
