/* SPDX-License-Identifier: MIT */
/*
 * dma-iommu (drivers/iommu/dma-iommu.c) over the emulated IOMMU: per-device domains, the IOVA
 * policy, single/resource map and unmap, syncs, limits, and the device-side translation through
 * the IOTLB. Scatterlists are in iommu_sg.c, allocations in iommu_alloc.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mm.h>

#include "dma/dma.h"
#include "iommu/iommu_priv.h"

#define IOMMU_APERTURE_END ((1ULL << IO_PGTABLE_IAS) - 1)

/* ------------------------------------------------------------------------ domains ---- */

int kdma_iommu_attach(struct device *dev)
{
	struct kdma_dev *kd = kdma_of(dev);
	struct iommu_domain *domain;

	if (!kd)
		return -EINVAL;
	if (kd->iommu_mode == DMASIM_IOMMU_NONE || kd->domain)
		return 0;
	domain = calloc(1, sizeof(*domain));
	if (!domain)
		return -ENOMEM;
	domain->dev = dev;
	domain->aperture_end = IOMMU_APERTURE_END;
	atomic_init(&domain->pci_32bit_workaround, true); /* every dmasim device is PCI-like */
	domain->iovad = iova_domain_create(1);            /* IOVA 0 is never handed out */
	domain->pgtbl = io_pgtable_alloc();
	domain->iotlb = kdma_iotlb_create();
	if (!domain->iovad || !domain->pgtbl || !domain->iotlb)
		goto fail;
	/* Lazy unless forced strict; untrusted devices are always strict (iommu_dma_init_domain). A
	 * flush queue that cannot be set up falls back to strict, as in the kernel. */
	if (kd->iommu_mode == DMASIM_IOMMU_LAZY && !kdma_opts()->iommu_strict && !kd->untrusted)
		domain->fq = kdma_fq_create(domain);
	kd->domain = domain;
	dev->dma_iommu = true;
	return 0;
fail:
	iova_domain_destroy(domain->iovad);
	io_pgtable_free(domain->pgtbl);
	kdma_iotlb_destroy(domain->iotlb);
	free(domain);
	return -ENOMEM;
}

void kdma_iommu_detach(struct device *dev)
{
	struct kdma_dev *kd = kdma_of(dev);
	struct iommu_domain *domain = kd ? kd->domain : NULL;

	if (!domain)
		return;
	kdma_fq_destroy(domain->fq);
	kd->domain = NULL;
	dev->dma_iommu = false;
	iova_domain_destroy(domain->iovad);
	io_pgtable_free(domain->pgtbl);
	kdma_iotlb_destroy(domain->iotlb);
	free(domain);
}

void kdma_iommu_flush(struct device *dev)
{
	struct iommu_domain *domain = kdma_iommu_domain(dev);

	if (domain && domain->fq)
		kdma_fq_flush(domain->fq);
}

void dmasim_iommu_flush(struct device *dev)
{
	if (!dev || !kdma_of(dev)) {
		kdma_warn(dev, "dmasim_iommu_flush: not a simulated device");
		return;
	}
	kdma_iommu_flush(dev);
}

/* ---------------------------------------------------------------- IOVAs and maps ---- */

int kdma_iommu_prot(struct device *dev, enum dma_data_direction dir, unsigned long attrs)
{
	const struct kdma_dev *kd = kdma_of(dev);
	int prot = dev->dma_coherent ? IOMMU_CACHE : 0;

	if (attrs & DMA_ATTR_PRIVILEGED)
		prot |= IOMMU_PRIV;
	if (attrs & DMA_ATTR_MMIO)
		prot |= IOMMU_MMIO;
	switch (dir) {
	case DMA_BIDIRECTIONAL:
		return prot | IOMMU_READ | IOMMU_WRITE;
	case DMA_TO_DEVICE:
		return prot | IOMMU_READ;
	case DMA_FROM_DEVICE:
		return prot | IOMMU_WRITE | (kd && kd->iommu_fromdev_rw ? IOMMU_READ : 0);
	default:
		return 0;
	}
}

static int bits_per(u64 n)
{
	return n ? 64 - __builtin_clzll(n) : 1;
}

dma_addr_t kdma_iommu_alloc_iova(struct iommu_domain *domain, size_t size, u64 dma_limit)
{
	struct device *dev = domain->dev;
	unsigned long len = size >> IOVA_SHIFT, pfn;

	if (dev->bus_dma_limit && dev->bus_dma_limit < dma_limit)
		dma_limit = dev->bus_dma_limit;
	if (dma_limit > domain->aperture_end)
		dma_limit = domain->aperture_end;
	/* 32-bit first for PCI devices; on the first miss, 64-bit for good. */
	if (atomic_load_explicit(&domain->pci_32bit_workaround, memory_order_relaxed) &&
	    dma_limit > DMA_BIT_MASK(32)) {
		pfn = alloc_iova_fast(domain->iovad, len, DMA_BIT_MASK(32) >> IOVA_SHIFT, false);
		if (pfn)
			return (dma_addr_t)pfn << IOVA_SHIFT;
		if (atomic_exchange(&domain->pci_32bit_workaround, false) && !kdma_opts()->quiet)
			fprintf(stderr, "%s: Using %d-bit DMA addresses\n",
				kdma_iommu_dev_name(dev), bits_per(dma_limit));
	}
	pfn = alloc_iova_fast(domain->iovad, len, dma_limit >> IOVA_SHIFT, true);
	return (dma_addr_t)pfn << IOVA_SHIFT;
}

void kdma_iommu_free_iova_now(struct iommu_domain *domain, dma_addr_t iova, size_t size)
{
	free_iova_fast(domain->iovad, iova >> IOVA_SHIFT, size >> IOVA_SHIFT);
}

dma_addr_t kdma_iommu_map(struct device *dev, phys_addr_t phys, size_t size, int prot,
			  u64 dma_mask, enum kdma_map_failure *why)
{
	struct iommu_domain *domain = kdma_iommu_domain(dev);
	size_t iova_off = iommu_iova_offset(phys);
	dma_addr_t iova;

	if (!domain || !size) {
		*why = KDMA_FAIL_INVALID;
		return DMA_MAPPING_ERROR;
	}
	if (dma_get_min_align_mask(dev) > IOMMU_GRANULE - 1)
		kdma_warn(dev, "Unsupported alignment constraint");
	size = iommu_iova_align(size + iova_off);
	iova = kdma_iommu_alloc_iova(domain, size, dma_mask);
	if (!iova) {
		*why = KDMA_FAIL_IOVA;
		return DMA_MAPPING_ERROR;
	}
	if (io_pgtable_map_pages(domain->pgtbl, iova, phys - iova_off, size >> IOVA_SHIFT, prot)) {
		kdma_iommu_free_iova_now(domain, iova, size);
		*why = KDMA_FAIL_OTHER;
		return DMA_MAPPING_ERROR;
	}
	io_pgtable_iotlb_sync_map(domain->pgtbl, iova, size);
	return iova + iova_off;
}

void kdma_iommu_unmap(struct device *dev, dma_addr_t dma_addr, size_t size)
{
	struct iommu_domain *domain = kdma_iommu_domain(dev);
	size_t iova_off = iommu_iova_offset(dma_addr), unmapped;

	if (!domain)
		return;
	dma_addr -= iova_off;
	size = iommu_iova_align(size + iova_off);
	unmapped = io_pgtable_unmap_pages(domain->pgtbl, dma_addr, size >> IOVA_SHIFT);
	if (unmapped != size) {
		kdma_warn(dev, "IOMMU unmap of IOVA %#llx size %zu: %zu bytes were mapped",
			  (unsigned long long)dma_addr, size, unmapped);
		/* Freeing a range that was not (all) ours would hand it out twice: keep it. */
		if (!unmapped)
			return;
	}
	if (domain->fq) {
		kdma_fq_queue(domain->fq, dma_addr >> IOVA_SHIFT, size >> IOVA_SHIFT);
		return;
	}
	kdma_iotlb_invalidate_range(domain->iotlb, dma_addr >> IOVA_SHIFT, size >> IOVA_SHIFT);
	kdma_iommu_free_iova_now(domain, dma_addr, size);
}

bool kdma_iommu_use_swiotlb(struct device *dev, size_t size, enum dma_data_direction dir)
{
	const struct kdma_dev *kd = kdma_of(dev);

	return (kd && kd->untrusted) || kdma_kmalloc_needs_bounce(dev, size, dir);
}

static struct iommu_domain *domain_or_warn(struct device *dev, const char *fn)
{
	struct iommu_domain *domain = kdma_iommu_domain(dev);

	if (!domain)
		kdma_warn(dev, "%s: device has no IOMMU domain", fn);
	return domain;
}

/* ------------------------------------------------------------ streaming single ---- */

/* Untrusted devices must not see the rest of a granule: bounce, and zero the slot's padding. */
static phys_addr_t map_swiotlb(struct device *dev, phys_addr_t phys, size_t size,
			       enum dma_data_direction dir, unsigned long attrs)
{
	const struct kdma_dev *kd = kdma_of(dev);
	phys_addr_t tlb;

	if (!is_swiotlb_active(dev)) {
		kdma_warn(dev, "DMA bounce buffers are inactive, unable to map unaligned transaction.");
		return (phys_addr_t)-1;
	}
	tlb = swiotlb_tbl_map_single(dev, phys, size, IOMMU_GRANULE - 1, dir, attrs);
	if (tlb == (phys_addr_t)-1 || !kd->untrusted)
		return tlb;
	{
		char *virt = kdma_phys_to_virt(tlb);
		char *pre = kdma_phys_to_virt(tlb & ~(phys_addr_t)(IOMMU_GRANULE - 1));
		char *post_end = kdma_phys_to_virt(iommu_iova_align(tlb + size));

		memset(pre, 0, (size_t)(virt - pre));
		memset(virt + size, 0, (size_t)(post_end - (virt + size)));
	}
	return tlb;
}

dma_addr_t iommu_dma_map_phys(struct device *dev, phys_addr_t phys, size_t size,
			      enum dma_data_direction dir, unsigned long attrs,
			      unsigned int *flags, enum kdma_map_failure *why)
{
	enum kdma_map_failure dummy;
	bool coherent, bounced = false;
	dma_addr_t iova;

	if (!why)
		why = &dummy;
	if (!domain_or_warn(dev, __func__)) {
		*why = KDMA_FAIL_INVALID;
		return DMA_MAPPING_ERROR;
	}
	if (attrs & DMA_ATTR_MMIO)
		return iommu_dma_map_resource(dev, phys, size, dir, attrs);
	coherent = dev->dma_coherent;
	if (kdma_iommu_use_swiotlb(dev, size, dir) && iommu_iova_offset(phys | size)) {
		phys = map_swiotlb(dev, phys, size, dir, attrs);
		if (phys == (phys_addr_t)-1) {
			*why = KDMA_FAIL_SWIOTLB_FULL;
			if (flags)
				*flags |= KDMA_MAP_FAILED;
			return DMA_MAPPING_ERROR;
		}
		bounced = true;
	}
	if (!coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		kdma_arch_sync_for_device(phys, size, dir);
	iova = kdma_iommu_map(dev, phys, size, kdma_iommu_prot(dev, dir, attrs), dma_get_mask(dev),
			      why);
	if (iova == DMA_MAPPING_ERROR && bounced)
		swiotlb_tbl_unmap_single(dev, phys, size, dir, attrs | DMA_ATTR_SKIP_CPU_SYNC);
	if (flags)
		*flags |= iova == DMA_MAPPING_ERROR ? KDMA_MAP_FAILED :
			  KDMA_MAP_IOMMU | (bounced ? KDMA_MAP_BOUNCED : 0);
	return iova;
}

void iommu_dma_unmap_phys(struct device *dev, dma_addr_t dma_handle, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
	struct iommu_domain *domain = domain_or_warn(dev, __func__);
	phys_addr_t phys;

	if (!domain)
		return;
	if (attrs & DMA_ATTR_MMIO) {
		iommu_dma_unmap_resource(dev, dma_handle, size, dir, attrs);
		return;
	}
	phys = io_pgtable_iova_to_phys(domain->pgtbl, dma_handle);
	if (!phys) {
		kdma_warn(dev, "unmap of IOVA %#llx, which is not mapped",
			  (unsigned long long)dma_handle);
		return;
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		kdma_arch_sync_for_cpu(phys, size, dir);
	kdma_iommu_unmap(dev, dma_handle, size);
	if (is_swiotlb_buffer(dev, phys))
		swiotlb_tbl_unmap_single(dev, phys, size, dir, attrs);
}

dma_addr_t iommu_dma_map_resource(struct device *dev, phys_addr_t phys, size_t size,
				  enum dma_data_direction dir, unsigned long attrs)
{
	enum kdma_map_failure why;

	if (!domain_or_warn(dev, __func__))
		return DMA_MAPPING_ERROR;
	return kdma_iommu_map(dev, phys, size, kdma_iommu_prot(dev, dir, attrs) | IOMMU_MMIO,
			      dma_get_mask(dev), &why);
}

void iommu_dma_unmap_resource(struct device *dev, dma_addr_t handle, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	if (domain_or_warn(dev, __func__))
		kdma_iommu_unmap(dev, handle, size);
}

/* ------------------------------------------------------------------------- syncs ---- */

/* The physical address a sync must act on, or 0 when there is nothing to do: a coherent device
 * with no bounce buffer involved, or an IOVA that is not mapped. */
static phys_addr_t sync_target(struct device *dev, dma_addr_t dma_handle, size_t size,
			       enum dma_data_direction dir)
{
	struct iommu_domain *domain = kdma_iommu_domain(dev);

	if (!domain || (dev->dma_coherent && !kdma_iommu_use_swiotlb(dev, size, dir)))
		return 0;
	return io_pgtable_iova_to_phys(domain->pgtbl, dma_handle);
}

void iommu_dma_sync_single_for_cpu(struct device *dev, dma_addr_t dma_handle, size_t size,
				   enum dma_data_direction dir)
{
	phys_addr_t phys = sync_target(dev, dma_handle, size, dir);

	if (!phys)
		return;
	if (!dev->dma_coherent)
		kdma_arch_sync_for_cpu(phys, size, dir);
	if (is_swiotlb_buffer(dev, phys))
		swiotlb_sync_single_for_cpu(dev, phys, size, dir);
}

void iommu_dma_sync_single_for_device(struct device *dev, dma_addr_t dma_handle, size_t size,
				      enum dma_data_direction dir)
{
	phys_addr_t phys = sync_target(dev, dma_handle, size, dir);

	if (!phys)
		return;
	if (is_swiotlb_buffer(dev, phys))
		swiotlb_sync_single_for_device(dev, phys, size, dir);
	if (!dev->dma_coherent)
		kdma_arch_sync_for_device(phys, size, dir);
}

/* ------------------------------------------------------------------------ limits ---- */

bool iommu_dma_need_sync(struct device *dev, dma_addr_t dma_addr)
{
	struct iommu_domain *domain = kdma_iommu_domain(dev);

	if (!domain)
		return false;
	if (!dev->dma_coherent)
		return true;
	return is_swiotlb_buffer(dev, io_pgtable_iova_to_phys(domain->pgtbl, dma_addr));
}

size_t iommu_dma_max_mapping_size(struct device *dev)
{
	const struct kdma_dev *kd = kdma_of(dev);

	return kd && kd->untrusted ? swiotlb_max_mapping_size(dev) : SIZE_MAX;
}

size_t iommu_dma_opt_mapping_size(void)
{
	/* iova_rcache_range(): the largest size class the range caches serve. */
	return IOMMU_GRANULE << (IOVA_RANGE_CACHE_MAX_SIZE - 1);
}

unsigned long iommu_dma_get_merge_boundary(struct device *dev)
{
	return IOMMU_GRANULE - 1;
}

/* ------------------------------------------------------------ device translation ---- */

int kdma_iommu_translate(struct device *dev, dma_addr_t iova, bool is_write, phys_addr_t *phys,
			 bool *stale)
{
	struct iommu_domain *domain = kdma_iommu_domain(dev);
	io_pte_t pte;

	if (stale)
		*stale = false;
	if (!domain)
		return -EFAULT;
	if (iova > domain->aperture_end) {
		kdma_iommu_report_fault(dev, iova, is_write, KDMA_IOMMU_FAULT_RANGE);
		return -EFAULT;
	}
	if (kdma_iotlb_translate(domain->iotlb, domain->pgtbl, iova, &pte) && stale &&
	    io_pgtable_lookup(domain->pgtbl, iova) != pte)
		*stale = true; /* the cached entry outlived its page table entry: lazy window */
	/* Absent, or a segment-boundary padding page (mapped to nothing). */
	if (!pte || !io_pte_phys(pte)) {
		kdma_iommu_report_fault(dev, iova, is_write, KDMA_IOMMU_FAULT_UNMAPPED);
		return -EFAULT;
	}
	if (!(io_pte_prot(pte) & (is_write ? IOMMU_WRITE : IOMMU_READ))) {
		kdma_iommu_report_fault(dev, iova, is_write, KDMA_IOMMU_FAULT_PERM);
		return -EFAULT;
	}
	if (phys)
		*phys = io_pte_phys(pte) | iommu_iova_offset(iova);
	return 0;
}
