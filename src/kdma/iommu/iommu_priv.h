/* SPDX-License-Identifier: MIT */
/*
 * The emulated IOMMU's per-device domain and the interfaces between its modules: iova.c (IOVA
 * space), io_pgtable.c (page tables), iotlb.c (the translation cache devices use),
 * iommu_fq.c (lazy-mode flush queue), iommu_fault.c (fault records), iommu.c (dma-iommu).
 */
#ifndef DMASAN_KDMA_IOMMU_PRIV_H
#define DMASAN_KDMA_IOMMU_PRIV_H

#include "iommu/iommu.h"
#include "mm/mm.h"
#include "iommu/io_pgtable.h"
#include "iommu/iova.h"

struct kdma_iotlb;
struct kdma_fq;

/* One domain per device (the kernel has one per IOMMU group). */
struct iommu_domain {
	struct device *dev;
	struct iova_domain *iovad;
	struct io_pgtable *pgtbl;
	struct kdma_iotlb *iotlb;
	struct kdma_fq *fq;             /* lazy mode (IOMMU_DOMAIN_DMA_FQ); NULL when strict */
	u64 aperture_end;               /* last IOVA the page tables can hold */
	atomic_bool pci_32bit_workaround; /* try below 4 GiB first; cleared for good on a miss */
};

static inline struct iommu_domain *kdma_iommu_domain(const struct device *dev)
{
	const struct kdma_dev *kd = kdma_of(dev);

	return kd ? kd->domain : NULL;
}

static inline const char *kdma_iommu_dev_name(const struct device *dev)
{
	const struct kdma_dev *kd = kdma_of(dev);

	if (kd && kd->name[0])
		return kd->name;
	return dev && dev->init_name ? dev->init_name : "(unnamed device)";
}

/* ------------------------------------------------------------------------- iommu.c ---- */

#define IOMMU_GRANULE IOVA_GRANULE
/* The domain's page sizes (pgsize_bitmap) as on VT-d and SMMUv3 with 4 KiB pages. */
#define IOMMU_PGSIZE_BITMAP ((1UL << 12) | (1UL << 21) | (1UL << 30))

static inline size_t iommu_iova_align(size_t size)
{
	return (size + IOMMU_GRANULE - 1) & ~(size_t)(IOMMU_GRANULE - 1);
}

static inline size_t iommu_iova_offset(u64 addr)
{
	return addr & (IOMMU_GRANULE - 1);
}

/* IOMMU_READ/WRITE/CACHE/PRIV/MMIO for a mapping of dev in direction dir (dma_info_to_prot). */
int kdma_iommu_prot(struct device *dev, enum dma_data_direction dir, unsigned long attrs);
/* An IOVA range of `size` bytes (granule multiple) at or below dma_limit: 32-bit first while the
 * device's PCI workaround holds, then the full limit. 0 when the space is exhausted. */
dma_addr_t kdma_iommu_alloc_iova(struct iommu_domain *domain, size_t size, u64 dma_limit);
/* Release an IOVA range now (error paths: nothing was ever visible to the device). */
void kdma_iommu_free_iova_now(struct iommu_domain *domain, dma_addr_t iova, size_t size);
/* __iommu_dma_map: one IOVA range for [phys, phys+size), mapped with prot. DMA_MAPPING_ERROR with
 * *why set on failure. */
dma_addr_t kdma_iommu_map(struct device *dev, phys_addr_t phys, size_t size, int prot,
			  u64 dma_mask, enum kdma_map_failure *why);
/* __iommu_dma_unmap: clear the page tables, then invalidate + free (strict) or queue (lazy). */
void kdma_iommu_unmap(struct device *dev, dma_addr_t dma_addr, size_t size);
/* dev_use_swiotlb: untrusted devices, and kmalloc buffers that need bouncing. */
bool kdma_iommu_use_swiotlb(struct device *dev, size_t size, enum dma_data_direction dir);

/* ------------------------------------------------------------------------- iotlb.c ---- */

/* A small direct-mapped cache of leaf entries, filled by device translations. */
#define KDMA_IOTLB_ENTRIES 256

struct kdma_iotlb *kdma_iotlb_create(void);
void kdma_iotlb_destroy(struct kdma_iotlb *tlb);
/* The leaf entry for iova: from the IOTLB (returns true), else walked in pt and cached if present
 * (returns false; *pte is 0 when nothing is mapped). */
bool kdma_iotlb_translate(struct kdma_iotlb *tlb, struct io_pgtable *pt, unsigned long iova,
			  io_pte_t *pte);
void kdma_iotlb_invalidate_range(struct kdma_iotlb *tlb, unsigned long iova_pfn,
				 unsigned long npages);
void kdma_iotlb_invalidate_all(struct kdma_iotlb *tlb);
/* Invalidations done (tests and benchmarks). */
u64 kdma_iotlb_flush_count(struct kdma_iotlb *tlb);

/* ---------------------------------------------------------------------- iommu_fq.c ---- */

/* A lazy domain's flush queue: per-CPU rings of iommu_fq_size entries, drained when a ring is
 * full, by a timer every iommu_fq_timeout_ms (0: no timer), or by kdma_fq_flush(). */
struct kdma_fq *kdma_fq_create(struct iommu_domain *domain);
/* Flushes (frees every queued IOVA) and destroys. */
void kdma_fq_destroy(struct kdma_fq *fq);
/* Defer the IOTLB invalidation and the IOVA free of an unmapped range (queue_iova). */
void kdma_fq_queue(struct kdma_fq *fq, unsigned long iova_pfn, unsigned long pages);
/* Invalidate the whole IOTLB and free every queued IOVA now. */
void kdma_fq_flush(struct kdma_fq *fq);
/* Entries queued and not yet freed (tests). */
unsigned long kdma_fq_pending(struct kdma_fq *fq);

/* ------------------------------------------------------------------- iommu_fault.c ---- */

/* Record a translation fault, print it like the Intel VT-d driver does, call the hook. */
void kdma_iommu_report_fault(struct device *dev, dma_addr_t iova, bool is_write,
			     enum kdma_iommu_fault_kind kind);

#endif
