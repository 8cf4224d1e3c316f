/* SPDX-License-Identifier: MIT */
/*
 * dma-iommu: the IOMMU DMA path (drivers/iommu/dma-iommu.c). Compiling stubs for now: every map
 * fails with KDMA_FAIL_IOVA and every device access faults; the real implementation follows.
 */
#include <errno.h>

#include "internal.h"

int kdma_iommu_attach(struct device *dev)
{
	return 0;
}

void kdma_iommu_detach(struct device *dev)
{
}

dma_addr_t iommu_dma_map_phys(struct device *dev, phys_addr_t phys, size_t size,
			      enum dma_data_direction dir, unsigned long attrs,
			      unsigned int *flags, enum kdma_map_failure *why)
{
	if (why)
		*why = KDMA_FAIL_IOVA;
	if (flags)
		*flags |= KDMA_MAP_IOMMU | KDMA_MAP_FAILED;
	return DMA_MAPPING_ERROR;
}

void iommu_dma_unmap_phys(struct device *dev, dma_addr_t dma_handle, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
}

int iommu_dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
		     enum dma_data_direction dir, unsigned long attrs, unsigned int *flags)
{
	if (flags)
		*flags |= KDMA_MAP_IOMMU | KDMA_MAP_FAILED;
	return -ENOMEM;
}

void iommu_dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs)
{
}

dma_addr_t iommu_dma_map_resource(struct device *dev, phys_addr_t phys, size_t size,
				  enum dma_data_direction dir, unsigned long attrs)
{
	return DMA_MAPPING_ERROR;
}

void iommu_dma_unmap_resource(struct device *dev, dma_addr_t handle, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
}

void iommu_dma_sync_single_for_cpu(struct device *dev, dma_addr_t dma_handle, size_t size,
				   enum dma_data_direction dir)
{
}

void iommu_dma_sync_single_for_device(struct device *dev, dma_addr_t dma_handle, size_t size,
				      enum dma_data_direction dir)
{
}

void iommu_dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl, int nelems,
			       enum dma_data_direction dir)
{
}

void iommu_dma_sync_sg_for_device(struct device *dev, struct scatterlist *sgl, int nelems,
				  enum dma_data_direction dir)
{
}

void *iommu_dma_alloc(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp,
		      unsigned long attrs)
{
	return NULL;
}

void iommu_dma_free(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle,
		    unsigned long attrs)
{
}

struct sg_table *iommu_dma_alloc_noncontiguous(struct device *dev, size_t size,
					       enum dma_data_direction dir, gfp_t gfp,
					       unsigned long attrs)
{
	return NULL;
}

void iommu_dma_free_noncontiguous(struct device *dev, size_t size, struct sg_table *sgt,
				  enum dma_data_direction dir)
{
}

bool iommu_dma_need_sync(struct device *dev, dma_addr_t dma_addr)
{
	return false;
}

size_t iommu_dma_max_mapping_size(struct device *dev)
{
	return SIZE_MAX;
}

size_t iommu_dma_opt_mapping_size(void)
{
	return 128 * 1024;
}

unsigned long iommu_dma_get_merge_boundary(struct device *dev)
{
	return 4096 - 1;
}

int kdma_iommu_translate(struct device *dev, dma_addr_t iova, bool is_write, phys_addr_t *phys,
			 bool *stale)
{
	if (stale)
		*stale = false;
	return -EFAULT;
}
