/* SPDX-License-Identifier: MIT */
/* Small helpers shared by mapping.c, direct.c, device.c and sim.c (not a module contract). */
#ifndef DMASAN_KDMA_DMACORE_H
#define DMASAN_KDMA_DMACORE_H

#include <linux/mm.h>

#include "dma/dma.h"
#include "iommu/iommu.h"
#include "mm/mm.h"

static inline u64 kdma_min_not_zero(u64 a, u64 b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/* The kernel's use_dma_iommu(): the device's DMA goes through the (emulated) IOMMU. */
static inline bool use_dma_iommu(const struct device *dev)
{
	return dev->dma_iommu;
}

/* *dev->dma_mask, or 0 for a device that cannot do streaming DMA. Read atomically: a simulated
 * device's thread checks its reach against it while the driver may set it (dma_set_mask). */
static inline u64 kdma_dev_mask(const struct device *dev)
{
	return dev->dma_mask ? __atomic_load_n(dev->dma_mask, __ATOMIC_RELAXED) : 0;
}

/* The ZONE_DMA limit (zone_dma_limit, 24 bits) when the zone exists. */
#define KDMA_ZONE_DMA_LIMIT DMA_BIT_MASK(24)

/* dma_go_direct (kernel/dma/mapping.c): the IOMMU flag wins, then no ops means direct; with ops,
 * only the bypass flag can still send a device whose mask covers all memory direct. */
static inline bool kdma_go_direct(struct device *dev, u64 mask, const struct dma_map_ops *ops)
{
	if (use_dma_iommu(dev))
		return false;
	if (!ops)
		return true;
	if (dev->dma_ops_bypass)
		return kdma_min_not_zero(mask, dev->bus_dma_limit) >=
		       dma_direct_get_required_mask(dev);
	return false;
}

/* Streaming maps decide with the streaming mask, allocations with the coherent one. */
static inline bool kdma_map_direct(struct device *dev, const struct dma_map_ops *ops)
{
	return kdma_go_direct(dev, kdma_dev_mask(dev), ops);
}

static inline bool kdma_alloc_direct(struct device *dev, const struct dma_map_ops *ops)
{
	return kdma_go_direct(dev, dev->coherent_dma_mask, ops);
}

/* Every exported entry point starts here: attach the sanitizer on first use, then reject a NULL
 * or ERR_PTR device with a message. */
static inline bool kdma_api_dev_ok(const struct device *dev, const char *fn)
{
	kdma_hooks_ensure();
	return kdma_check_dev(dev, fn);
}

/* Hook-free internals shared by the mapping files. */
struct page *kdma_dma_alloc_pages(struct device *dev, size_t size, dma_addr_t *dma_handle,
				  enum dma_data_direction dir, gfp_t gfp);
void kdma_dma_free_pages(struct device *dev, size_t size, struct page *page, dma_addr_t dma_handle,
			 enum dma_data_direction dir);
/* dma_setup_need_sync for a new device (mapping_limits.c). */
void kdma_setup_need_sync(struct device *dev);

#endif
