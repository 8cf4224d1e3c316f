/* SPDX-License-Identifier: MIT */
/*
 * IO page tables of an emulated IOMMU domain (private to the IOMMU modules): four levels of 512
 * entries over a 48-bit IOVA space, 4 KiB leaves, like ARM LPAE stage 1 / VT-d second level.
 * Lock-free: leaves are installed and cleared with atomic compare-exchange, tables are added with
 * compare-exchange and only freed with the whole table, so concurrent map/unmap of disjoint
 * ranges and concurrent walks need no lock.
 */
#ifndef DMASAN_KDMA_IO_PGTABLE_H
#define DMASAN_KDMA_IO_PGTABLE_H

#include "base/base.h"

/* Protection bits, with the kernel's values (include/linux/iommu.h). */
#define IOMMU_READ (1 << 0)
#define IOMMU_WRITE (1 << 1)
#define IOMMU_CACHE (1 << 2)
#define IOMMU_NOEXEC (1 << 3)
#define IOMMU_MMIO (1 << 4)
#define IOMMU_PRIV (1 << 5)

#define IO_PGTABLE_IAS 48 /* input (IOVA) address bits */
#define IO_PGTABLE_PAGE_SHIFT 12
#define IO_PGTABLE_PAGE_SIZE (1UL << IO_PGTABLE_PAGE_SHIFT)

/* A leaf entry: the page's physical address, the prot bits in the low bits, a valid bit. */
typedef u64 io_pte_t;
#define IO_PTE_VALID (1ULL << 63)
#define IO_PTE_PROT_MASK 0x3fULL

static inline phys_addr_t io_pte_phys(io_pte_t pte)
{
	return pte & ~IO_PTE_VALID & ~(IO_PGTABLE_PAGE_SIZE - 1);
}

static inline int io_pte_prot(io_pte_t pte)
{
	return (int)(pte & IO_PTE_PROT_MASK);
}

struct io_pgtable;

struct io_pgtable *io_pgtable_alloc(void);
void io_pgtable_free(struct io_pgtable *pt);
/* Map pgcount 4 KiB pages from iova to paddr (both page-aligned). 0, -EEXIST (a page is already
 * mapped: nothing stays mapped), -ERANGE (beyond the 48-bit IOVA space), -EINVAL, -ENOMEM. */
int io_pgtable_map_pages(struct io_pgtable *pt, unsigned long iova, phys_addr_t paddr,
			 size_t pgcount, int prot);
/* Unmap up to pgcount pages; stops at the first page that was not mapped. Returns bytes unmapped. */
size_t io_pgtable_unmap_pages(struct io_pgtable *pt, unsigned long iova, size_t pgcount);
/* The leaf entry for iova (0 if not mapped). */
io_pte_t io_pgtable_lookup(struct io_pgtable *pt, unsigned long iova);
/* The physical address iova translates to, or 0 (the kernel's iommu_iova_to_phys). */
phys_addr_t io_pgtable_iova_to_phys(struct io_pgtable *pt, unsigned long iova);
/* Hook point of iommu_iotlb_sync_map (real drivers flush non-coherent walk caches here). */
void io_pgtable_iotlb_sync_map(struct io_pgtable *pt, unsigned long iova, size_t size);
/* Number of mapped leaves (tests). */
size_t io_pgtable_mapped_pages(struct io_pgtable *pt);

#endif
