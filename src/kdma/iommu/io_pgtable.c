/* SPDX-License-Identifier: MIT */
/*
 * IO page tables: a radix tree of 512-entry tables (levels 0..3, 9 bits each above the 12-bit
 * page offset). Interior entries hold a pointer to the next table; leaves hold io_pte_t.
 */
#include <errno.h>
#include <stdlib.h>

#include "iommu/io_pgtable.h"

#define PT_LEVELS 4
#define PT_ENTRIES 512
#define PT_BITS 9

struct io_pgtable {
	u64 *root;
	atomic_size_t mapped;
};

static unsigned int pt_index(unsigned long iova, int level)
{
	return (iova >> (IO_PGTABLE_PAGE_SHIFT + PT_BITS * (PT_LEVELS - 1 - level))) &
	       (PT_ENTRIES - 1);
}

/* The table a slot points to, created (by compare-exchange, the loser frees its copy) if asked. */
static u64 *next_table(u64 *slot, bool create)
{
	u64 cur = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	u64 *t;

	if (cur || !create)
		return (u64 *)(uintptr_t)cur;
	t = calloc(PT_ENTRIES, sizeof(u64));
	if (!t)
		return NULL;
	if (!__atomic_compare_exchange_n(slot, &cur, (u64)(uintptr_t)t, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		free(t);
		return (u64 *)(uintptr_t)cur;
	}
	return t;
}

static u64 *leaf_slot(struct io_pgtable *pt, unsigned long iova, bool create)
{
	u64 *table = pt->root;

	for (int level = 0; level < PT_LEVELS - 1 && table; level++)
		table = next_table(&table[pt_index(iova, level)], create);
	return table ? &table[pt_index(iova, PT_LEVELS - 1)] : NULL;
}

static bool iova_in_range(unsigned long iova, size_t pgcount)
{
	unsigned long end = 1UL << IO_PGTABLE_IAS;

	return iova < end && pgcount <= (end - iova) >> IO_PGTABLE_PAGE_SHIFT;
}

struct io_pgtable *io_pgtable_alloc(void)
{
	struct io_pgtable *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return NULL;
	pt->root = calloc(PT_ENTRIES, sizeof(u64));
	if (!pt->root) {
		free(pt);
		return NULL;
	}
	return pt;
}

static void free_table(u64 *table, int level)
{
	if (level < PT_LEVELS - 1)
		for (int i = 0; i < PT_ENTRIES; i++)
			if (table[i])
				free_table((u64 *)(uintptr_t)table[i], level + 1);
	free(table);
}

void io_pgtable_free(struct io_pgtable *pt)
{
	if (!pt)
		return;
	free_table(pt->root, 0);
	free(pt);
}

/* Clear up to n leaves from iova, stopping at the first empty one; returns how many. */
static size_t clear_leaves(struct io_pgtable *pt, unsigned long iova, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		u64 *slot = leaf_slot(pt, iova + (i << IO_PGTABLE_PAGE_SHIFT), false);

		if (!slot || !__atomic_exchange_n(slot, 0, __ATOMIC_ACQ_REL))
			break;
	}
	return i;
}

int io_pgtable_map_pages(struct io_pgtable *pt, unsigned long iova, phys_addr_t paddr,
			 size_t pgcount, int prot)
{
	size_t i;

	if ((iova | paddr) & (IO_PGTABLE_PAGE_SIZE - 1) || (paddr & IO_PTE_VALID))
		return -EINVAL;
	if (!iova_in_range(iova, pgcount))
		return -ERANGE;
	for (i = 0; i < pgcount; i++) {
		unsigned long va = iova + (i << IO_PGTABLE_PAGE_SHIFT);
		io_pte_t pte = (paddr + (i << IO_PGTABLE_PAGE_SHIFT)) | IO_PTE_VALID |
			       ((io_pte_t)prot & IO_PTE_PROT_MASK);
		u64 *slot = leaf_slot(pt, va, true);
		u64 expected = 0;

		if (!slot) {
			clear_leaves(pt, iova, i);
			return -ENOMEM;
		}
		if (!__atomic_compare_exchange_n(slot, &expected, pte, false, __ATOMIC_RELEASE,
						 __ATOMIC_RELAXED)) {
			clear_leaves(pt, iova, i);
			return -EEXIST;
		}
	}
	atomic_fetch_add_explicit(&pt->mapped, pgcount, memory_order_relaxed);
	return 0;
}

size_t io_pgtable_unmap_pages(struct io_pgtable *pt, unsigned long iova, size_t pgcount)
{
	size_t n;

	if (!iova_in_range(iova, pgcount))
		return 0;
	n = clear_leaves(pt, iova, pgcount);
	atomic_fetch_sub_explicit(&pt->mapped, n, memory_order_relaxed);
	return n << IO_PGTABLE_PAGE_SHIFT;
}

io_pte_t io_pgtable_lookup(struct io_pgtable *pt, unsigned long iova)
{
	u64 *slot;

	if (!iova_in_range(iova, 1))
		return 0;
	slot = leaf_slot(pt, iova, false);
	return slot ? __atomic_load_n(slot, __ATOMIC_ACQUIRE) : 0;
}

phys_addr_t io_pgtable_iova_to_phys(struct io_pgtable *pt, unsigned long iova)
{
	io_pte_t pte = io_pgtable_lookup(pt, iova);

	return pte ? io_pte_phys(pte) | (iova & (IO_PGTABLE_PAGE_SIZE - 1)) : 0;
}

void io_pgtable_iotlb_sync_map(struct io_pgtable *pt, unsigned long iova, size_t size)
{
	/* Coherent table walker: nothing to write back (arm-smmu-v3 with COHACC, VT-d with C). */
}

size_t io_pgtable_mapped_pages(struct io_pgtable *pt)
{
	return atomic_load_explicit(&pt->mapped, memory_order_relaxed);
}
