/* SPDX-License-Identifier: MIT */
/* The emulated IOMMU's dma-iommu entry points and fault log, for the mapping dispatch and the
 * simulated devices; its private parts are in iommu/iommu_priv.h. */
#ifndef DMASAN_KDMA_IOMMU_IOMMU_H
#define DMASAN_KDMA_IOMMU_IOMMU_H

#include "base/base.h"

int kdma_iommu_attach(struct device *dev); /* creates the domain at device create */
void kdma_iommu_detach(struct device *dev);
dma_addr_t iommu_dma_map_phys(struct device *dev, phys_addr_t phys, size_t size,
			      enum dma_data_direction dir, unsigned long attrs,
			      unsigned int *flags, enum kdma_map_failure *why);
void iommu_dma_unmap_phys(struct device *dev, dma_addr_t dma_handle, size_t size,
			  enum dma_data_direction dir, unsigned long attrs);
int iommu_dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
		     enum dma_data_direction dir, unsigned long attrs, unsigned int *flags);
void iommu_dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs);
dma_addr_t iommu_dma_map_resource(struct device *dev, phys_addr_t phys, size_t size,
				  enum dma_data_direction dir, unsigned long attrs);
void iommu_dma_unmap_resource(struct device *dev, dma_addr_t handle, size_t size,
			      enum dma_data_direction dir, unsigned long attrs);
void iommu_dma_sync_single_for_cpu(struct device *dev, dma_addr_t dma_handle, size_t size,
				   enum dma_data_direction dir);
void iommu_dma_sync_single_for_device(struct device *dev, dma_addr_t dma_handle, size_t size,
				      enum dma_data_direction dir);
void iommu_dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl, int nelems,
			       enum dma_data_direction dir);
void iommu_dma_sync_sg_for_device(struct device *dev, struct scatterlist *sgl, int nelems,
				  enum dma_data_direction dir);
void *iommu_dma_alloc(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp,
		      unsigned long attrs);
void iommu_dma_free(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle,
		    unsigned long attrs);
struct sg_table *iommu_dma_alloc_noncontiguous(struct device *dev, size_t size,
					       enum dma_data_direction dir, gfp_t gfp,
					       unsigned long attrs);
void iommu_dma_free_noncontiguous(struct device *dev, size_t size, struct sg_table *sgt,
				  enum dma_data_direction dir);
bool iommu_dma_need_sync(struct device *dev, dma_addr_t dma_addr);
size_t iommu_dma_max_mapping_size(struct device *dev);
size_t iommu_dma_opt_mapping_size(void);
unsigned long iommu_dma_get_merge_boundary(struct device *dev);
/* Device-side translation through the emulated IOTLB/page tables for one access that does not
 * cross a granule. Returns 0 and *phys, or -EFAULT after recording a fault. *stale is set if the
 * translation came from an IOTLB entry of an already-unmapped IOVA (lazy mode window). */
int kdma_iommu_translate(struct device *dev, dma_addr_t iova, bool is_write, phys_addr_t *phys,
			 bool *stale);
/* Lazy mode: invalidate the IOTLB and free every queued IOVA of dev now (dmasim_iommu_flush).
 * No effect on strict or non-IOMMU devices. */
void kdma_iommu_flush(struct device *dev);

/* IOMMU faults, kept in a per-process ring of the last KDMA_IOMMU_FAULT_RING (iommu_fault.c). */
enum kdma_iommu_fault_kind {
	KDMA_IOMMU_FAULT_UNMAPPED = 0, /* no translation for the IOVA */
	KDMA_IOMMU_FAULT_PERM,         /* mapped, but without the read/write permission */
	KDMA_IOMMU_FAULT_RANGE,        /* beyond the IOMMU's 48-bit address width */
};
#define KDMA_IOMMU_FAULT_RING 256
struct kdma_iommu_fault {
	u64 seq;                /* 1, 2, ...: order of the fault in the process */
	struct device *dev;     /* identity only: may be destroyed since */
	char dev_name[64];
	dma_addr_t iova;
	bool is_write;
	enum kdma_iommu_fault_kind kind;
	unsigned int reason_code; /* VT-d fault reason (0x04, 0x05, 0x06) */
	const char *reason;       /* its text, e.g. "PTE Write access is not set" */
};
/* Copy up to max of the most recent faults, oldest first; returns the number copied. */
size_t kdma_iommu_faults_get(struct kdma_iommu_fault *out, size_t max);
u64 kdma_iommu_fault_count(void); /* faults since start (or the last clear) */
void kdma_iommu_faults_clear(void);

#endif
