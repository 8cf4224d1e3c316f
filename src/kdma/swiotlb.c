/* SPDX-License-Identifier: MIT */
/*
 * SWIOTLB (kernel/dma/swiotlb.c): bounce buffering. STUB: every map fails as "buffer full" until
 * the pool lands; the queries say swiotlb is inactive.
 */
#include "internal.h"

bool is_swiotlb_active(struct device *dev)
{
	return false;
}

bool is_swiotlb_force_bounce(struct device *dev)
{
	return false;
}

bool is_swiotlb_buffer(struct device *dev, phys_addr_t phys)
{
	return false;
}

size_t swiotlb_max_mapping_size(struct device *dev)
{
	return (size_t)IO_TLB_SIZE * IO_TLB_SEGSIZE;
}

dma_addr_t swiotlb_map(struct device *dev, phys_addr_t phys, size_t size,
		       enum dma_data_direction dir, unsigned long attrs, enum kdma_map_failure *why)
{
	if (why)
		*why = KDMA_FAIL_SWIOTLB_FULL;
	return DMA_MAPPING_ERROR;
}

phys_addr_t swiotlb_tbl_map_single(struct device *dev, phys_addr_t phys, size_t mapping_size,
				   unsigned int alloc_align_mask, enum dma_data_direction dir,
				   unsigned long attrs)
{
	return (phys_addr_t)-1;
}

void swiotlb_tbl_unmap_single(struct device *dev, phys_addr_t tlb_addr, size_t mapping_size,
			      enum dma_data_direction dir, unsigned long attrs)
{
}

void swiotlb_sync_single_for_device(struct device *dev, phys_addr_t tlb_addr, size_t size,
				    enum dma_data_direction dir)
{
}

void swiotlb_sync_single_for_cpu(struct device *dev, phys_addr_t tlb_addr, size_t size,
				 enum dma_data_direction dir)
{
}

phys_addr_t swiotlb_orig_phys(phys_addr_t tlb_addr)
{
	return (phys_addr_t)-1;
}
