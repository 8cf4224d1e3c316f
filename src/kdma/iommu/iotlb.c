/* SPDX-License-Identifier: MIT */
/*
 * The emulated IOTLB: a direct-mapped cache of leaf entries that device translations fill and
 * use before the page tables. It is what makes the lazy-mode window real: after an unmap the
 * page table entry is gone, but an entry cached here keeps translating until invalidation.
 * One short per-domain lock; the map path never touches it.
 */
#include <stdlib.h>

#include "iommu/iommu_priv.h"

struct iotlb_entry {
	unsigned long iova_pfn;
	io_pte_t pte; /* 0: empty */
};

struct kdma_iotlb {
	pthread_mutex_t lock;
	u64 flushes;
	struct iotlb_entry e[KDMA_IOTLB_ENTRIES];
};

static struct iotlb_entry *slot_of(struct kdma_iotlb *tlb, unsigned long iova_pfn)
{
	return &tlb->e[iova_pfn % KDMA_IOTLB_ENTRIES];
}

struct kdma_iotlb *kdma_iotlb_create(void)
{
	struct kdma_iotlb *tlb = calloc(1, sizeof(*tlb));

	if (tlb)
		pthread_mutex_init(&tlb->lock, NULL);
	return tlb;
}

void kdma_iotlb_destroy(struct kdma_iotlb *tlb)
{
	if (tlb)
		pthread_mutex_destroy(&tlb->lock);
	free(tlb);
}

bool kdma_iotlb_translate(struct kdma_iotlb *tlb, struct io_pgtable *pt, unsigned long iova,
			  io_pte_t *pte)
{
	unsigned long pfn = iova >> IO_PGTABLE_PAGE_SHIFT;
	struct iotlb_entry *e = slot_of(tlb, pfn);
	bool hit;

	/* Walk and fill under the lock: an invalidation cannot slip between them and leave an
	 * entry behind (hardware likewise waits for walks in flight before completing one). */
	pthread_mutex_lock(&tlb->lock);
	hit = e->pte && e->iova_pfn == pfn;
	if (hit) {
		*pte = e->pte;
	} else {
		*pte = io_pgtable_lookup(pt, iova & ~(IO_PGTABLE_PAGE_SIZE - 1));
		if (*pte) {
			e->iova_pfn = pfn;
			e->pte = *pte;
		}
	}
	pthread_mutex_unlock(&tlb->lock);
	return hit;
}

void kdma_iotlb_invalidate_range(struct kdma_iotlb *tlb, unsigned long iova_pfn,
				 unsigned long npages)
{
	pthread_mutex_lock(&tlb->lock);
	tlb->flushes++;
	if (npages >= KDMA_IOTLB_ENTRIES) {
		for (unsigned int i = 0; i < KDMA_IOTLB_ENTRIES; i++)
			if (tlb->e[i].iova_pfn - iova_pfn < npages)
				tlb->e[i].pte = 0;
	} else {
		for (unsigned long p = iova_pfn; p < iova_pfn + npages; p++)
			if (slot_of(tlb, p)->iova_pfn == p)
				slot_of(tlb, p)->pte = 0;
	}
	pthread_mutex_unlock(&tlb->lock);
}

void kdma_iotlb_invalidate_all(struct kdma_iotlb *tlb)
{
	pthread_mutex_lock(&tlb->lock);
	tlb->flushes++;
	for (unsigned int i = 0; i < KDMA_IOTLB_ENTRIES; i++)
		tlb->e[i].pte = 0;
	pthread_mutex_unlock(&tlb->lock);
}

u64 kdma_iotlb_flush_count(struct kdma_iotlb *tlb)
{
	u64 n;

	pthread_mutex_lock(&tlb->lock);
	n = tlb->flushes;
	pthread_mutex_unlock(&tlb->lock);
	return n;
}
