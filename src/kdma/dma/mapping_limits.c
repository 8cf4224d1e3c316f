// SPDX-License-Identifier: MIT
/*
 * Masks, limits and per-device DMA parameters (kernel/dma/mapping.c, include/linux/dma-mapping.h,
 * dma-map-ops.h): dma_set_mask and friends, dma_supported, required mask, addressing limits,
 * maximum/optimal mapping sizes, segment parameters, need_sync/need_unmap, get/set_dma_ops.
 *
 * libkdma behaves like a kernel built with CONFIG_DMA_API_DEBUG (the sanitizer may be attached):
 * syncs always reach the mapping layer and dma_need_unmap() is always true.
 */
#include <errno.h>
#include <limits.h>

#include "dma/dmacore.h"

#define KDMA_API_DEBUG true

const struct dma_map_ops *get_dma_ops(struct device *dev)
{
	return dev ? dev->dma_ops : NULL; /* no architecture-wide ops */
}

void set_dma_ops(struct device *dev, const struct dma_map_ops *dma_ops)
{
	if (kdma_api_dev_ok(dev, __func__))
		dev->dma_ops = dma_ops;
}

bool dev_is_dma_coherent(struct device *dev)
{
	return dev && dev->dma_coherent;
}

/* dma_setup_need_sync: direct and IOMMU devices skip syncs when coherent; ops without any sync
 * callback never need one. Re-armed by SWIOTLB on its first bounce (dma_reset_need_sync). */
static void setup_need_sync(struct device *dev)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);

	if (use_dma_iommu(dev) || kdma_map_direct(dev, ops))
		dev->dma_skip_sync = dev->dma_coherent;
	else
		dev->dma_skip_sync = !ops->sync_single_for_device && !ops->sync_single_for_cpu &&
				     !ops->sync_sg_for_device && !ops->sync_sg_for_cpu;
}

/* ------------------------------------------------------------------------ masks ---- */

int dma_supported(struct device *dev, u64 mask)
{
	const struct dma_map_ops *ops;

	if (!kdma_api_dev_ok(dev, __func__))
		return 0;
	ops = get_dma_ops(dev);
	if (use_dma_iommu(dev)) {
		if (ops) {
			kdma_warn(dev, "%s: device has both an IOMMU and dma_map_ops", __func__);
			return 0;
		}
		return 1;
	}
	if (!ops)
		return dma_direct_supported(dev, mask);
	/* ->dma_supported may set the bypass flag, so it is always asked when present. */
	return ops->dma_supported ? ops->dma_supported(dev, mask) : 1;
}

int dma_set_mask(struct device *dev, u64 mask)
{
	if (!kdma_api_dev_ok(dev, __func__))
		return -EIO;
	mask = (dma_addr_t)mask;
	if (!dev->dma_mask || !dma_supported(dev, mask))
		return -EIO;
	__atomic_store_n(dev->dma_mask, mask, __ATOMIC_RELAXED); /* kdma_dev_mask() */
	setup_need_sync(dev);
	return 0;
}

int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	if (!kdma_api_dev_ok(dev, __func__))
		return -EIO;
	mask = (dma_addr_t)mask;
	if (!dma_supported(dev, mask))
		return -EIO;
	__atomic_store_n(&dev->coherent_dma_mask, mask, __ATOMIC_RELAXED); /* device_reach() */
	return 0;
}

int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	int rc = dma_set_mask(dev, mask);

	if (rc == 0)
		dma_set_coherent_mask(dev, mask);
	return rc;
}

int dma_coerce_mask_and_coherent(struct device *dev, u64 mask)
{
	if (!kdma_api_dev_ok(dev, __func__))
		return -EIO;
	dev->dma_mask = &dev->coherent_dma_mask;
	return dma_set_mask_and_coherent(dev, mask);
}

u64 dma_get_mask(struct device *dev)
{
	if (dev && dev->dma_mask && *dev->dma_mask)
		return *dev->dma_mask;
	return DMA_BIT_MASK(32);
}

u64 dma_get_required_mask(struct device *dev)
{
	const struct dma_map_ops *ops;

	if (!kdma_api_dev_ok(dev, __func__))
		return DMA_BIT_MASK(32);
	ops = get_dma_ops(dev);
	if (kdma_alloc_direct(dev, ops))
		return dma_direct_get_required_mask(dev);
	if (use_dma_iommu(dev))
		return DMA_BIT_MASK(32);
	if (ops->get_required_mask)
		return ops->get_required_mask(dev);
	/* Without a way to tell, 32 bits is the safe answer (the kernel's comment). */
	return DMA_BIT_MASK(32);
}

/* dma_direct_all_ram_mapped: do the DMA ranges cover all of [0, top of RAM]? */
static bool all_ram_mapped(struct device *dev)
{
	const struct bus_dma_region *m;
	phys_addr_t covered = 0, top = kdma_max_phys();
	bool grew = true;

	if (!dev->dma_range_map)
		return true;
	while (grew && covered <= top) {
		grew = false;
		for (m = dev->dma_range_map; m->size; m++) {
			if (m->cpu_start <= covered && covered - m->cpu_start < m->size) {
				covered = m->cpu_start + m->size;
				grew = true;
			}
		}
	}
	return covered > top;
}

bool dma_addressing_limited(struct device *dev)
{
	const struct dma_map_ops *ops;

	if (!kdma_api_dev_ok(dev, __func__))
		return true;
	ops = get_dma_ops(dev);
	if (kdma_min_not_zero(dma_get_mask(dev), dev->bus_dma_limit) < dma_get_required_mask(dev))
		return true;
	if (ops || use_dma_iommu(dev))
		return false;
	return !all_ram_mapped(dev);
}

/* --------------------------------------------------------------- mapping sizes ---- */

size_t dma_max_mapping_size(struct device *dev)
{
	const struct dma_map_ops *ops;

	if (!kdma_api_dev_ok(dev, __func__))
		return 0;
	ops = get_dma_ops(dev);
	if (kdma_map_direct(dev, ops))
		return dma_direct_max_mapping_size(dev);
	if (use_dma_iommu(dev))
		return iommu_dma_max_mapping_size(dev);
	if (ops->max_mapping_size)
		return ops->max_mapping_size(dev);
	return SIZE_MAX;
}

size_t dma_opt_mapping_size(struct device *dev)
{
	const struct dma_map_ops *ops;
	size_t size = SIZE_MAX, max;

	if (!kdma_api_dev_ok(dev, __func__))
		return 0;
	ops = get_dma_ops(dev);
	if (use_dma_iommu(dev))
		size = iommu_dma_opt_mapping_size();
	else if (ops && ops->opt_mapping_size)
		size = ops->opt_mapping_size();
	max = dma_max_mapping_size(dev);
	return size < max ? size : max;
}

unsigned long dma_get_merge_boundary(struct device *dev)
{
	const struct dma_map_ops *ops;

	if (!kdma_api_dev_ok(dev, __func__))
		return 0;
	ops = get_dma_ops(dev);
	if (use_dma_iommu(dev))
		return iommu_dma_get_merge_boundary(dev);
	if (!ops || !ops->get_merge_boundary)
		return 0; /* can't merge */
	return ops->get_merge_boundary(dev);
}

/* ------------------------------------------------------ segment parameters (dma_parms) ---- */

unsigned int dma_get_max_seg_size(struct device *dev)
{
	if (dev && dev->dma_parms && dev->dma_parms->max_segment_size)
		return dev->dma_parms->max_segment_size;
	return 65536;
}

/* The setters need dev->dma_parms, which the bus provides (dmasim devices have one). */
static bool parms_ok(struct device *dev, const char *fn)
{
	if (!kdma_api_dev_ok(dev, fn))
		return false;
	if (!dev->dma_parms) {
		kdma_warn(dev, "%s: the device has no dma_parms", fn);
		return false;
	}
	return true;
}

int dma_set_max_seg_size(struct device *dev, unsigned int size)
{
	if (!parms_ok(dev, __func__))
		return -EIO;
	dev->dma_parms->max_segment_size = size;
	return 0;
}

unsigned long dma_get_seg_boundary(struct device *dev)
{
	if (dev && dev->dma_parms && dev->dma_parms->segment_boundary_mask)
		return dev->dma_parms->segment_boundary_mask;
	return ULONG_MAX;
}

unsigned long dma_get_seg_boundary_nr_pages(struct device *dev, unsigned int page_shift)
{
	if (!dev)
		return (UINT_MAX >> page_shift) + 1;
	return (dma_get_seg_boundary(dev) >> page_shift) + 1;
}

int dma_set_seg_boundary(struct device *dev, unsigned long mask)
{
	if (!parms_ok(dev, __func__))
		return -EIO;
	dev->dma_parms->segment_boundary_mask = mask;
	return 0;
}

unsigned int dma_get_min_align_mask(struct device *dev)
{
	return dev && dev->dma_parms ? dev->dma_parms->min_align_mask : 0;
}

int dma_set_min_align_mask(struct device *dev, unsigned int min_align_mask)
{
	if (!parms_ok(dev, __func__))
		return -EIO;
	dev->dma_parms->min_align_mask = min_align_mask;
	return 0;
}

int dma_get_cache_alignment(void)
{
	return (int)kdma_opts()->dma_minalign;
}

/* ------------------------------------------------------------ need_sync / unmap ---- */

bool dma_need_sync(struct device *dev, dma_addr_t dma_addr)
{
	const struct dma_map_ops *ops;

	if (!kdma_api_dev_ok(dev, __func__))
		return true;
	/* With DMA_API_DEBUG the skip bit is ignored (dma_dev_need_sync is true). */
	if (!KDMA_API_DEBUG && dev->dma_skip_sync)
		return false;
	ops = get_dma_ops(dev);
	if (kdma_map_direct(dev, ops))
		return dma_direct_need_sync(dev, dma_addr);
	if (use_dma_iommu(dev))
		return iommu_dma_need_sync(dev, dma_addr);
	return true;
}

bool dma_need_unmap(struct device *dev)
{
	if (!kdma_api_dev_ok(dev, __func__))
		return true;
	if (!kdma_map_direct(dev, get_dma_ops(dev)) || !dev->dma_skip_sync)
		return true;
	return KDMA_API_DEBUG; /* the debug layer needs to see every unmap */
}

/* For device.c: a new device's skip bit, as dma_set_mask would leave it. */
void kdma_setup_need_sync(struct device *dev)
{
	setup_need_sync(dev);
}
