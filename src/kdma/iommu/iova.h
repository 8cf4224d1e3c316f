/* SPDX-License-Identifier: MIT */
/*
 * IOVA allocator (drivers/iommu/iova.c), private to the IOMMU modules. All numbers are in granule
 * units ("pfn"); the granule is 4 KiB. Allocation is top-down below an inclusive limit pfn, never
 * below start_pfn (>= 1, so IOVA 0 is never handed out). The fast path goes through per-CPU range
 * caches of six power-of-two size classes (1..32 granules).
 */
#ifndef DMASAN_KDMA_IOVA_H
#define DMASAN_KDMA_IOVA_H

#include <stdbool.h>

#include "base/base.h"

#define IOVA_SHIFT 12
#define IOVA_GRANULE (1UL << IOVA_SHIFT)
#define IOVA_RANGE_CACHE_MAX_SIZE 6 /* size classes log2 0..5: 1, 2, 4, 8, 16, 32 granules */
#define IOVA_MAG_SIZE 127
/* Full magazines kept in a size class's depot before the oldest goes back to the tree. The kernel
 * trims the depot to num_online_cpus() from delayed work; before 6.7 it had a fixed 32
 * (MAX_GLOBAL_MAGS). We trim inline at that fixed bound: no timer, same steady state. */
#define IOVA_DEPOT_MAX 32

struct iova_domain;

struct iova_domain *iova_domain_create(unsigned long start_pfn);
/* Frees every range, cached or live. */
void iova_domain_destroy(struct iova_domain *iovad);

/* Slow path: an rbtree allocation of `size` granules ending at or below limit_pfn, aligned to
 * roundup_pow_of_two(size) when size_aligned. Returns pfn_lo, or 0 when nothing fits. */
unsigned long alloc_iova(struct iova_domain *iovad, unsigned long size, unsigned long limit_pfn,
			 bool size_aligned);
/* Frees the range containing pfn; false (nothing freed) if no range contains it. */
bool free_iova(struct iova_domain *iovad, unsigned long pfn);

/* Fast path: sizes under 32 granules are rounded up to a power of two, then the per-CPU caches
 * are tried before the tree. flush_rcache: on failure, return every cached range to the tree and
 * retry once. Returns pfn_lo or 0. */
unsigned long alloc_iova_fast(struct iova_domain *iovad, unsigned long size,
			      unsigned long limit_pfn, bool flush_rcache);
/* size: the size asked of alloc_iova_fast (same size class). */
void free_iova_fast(struct iova_domain *iovad, unsigned long pfn, unsigned long size);
/* Return every cached range (all CPUs' magazines and the depots) to the tree. */
void iova_flush_rcaches(struct iova_domain *iovad);

/* Introspection for tests and benchmarks. */
unsigned long iova_live_ranges(struct iova_domain *iovad); /* in the tree, incl. cached */
unsigned long iova_cached_ranges(struct iova_domain *iovad);
/* Granules allocated from the tree now and at most so far (ranges parked in the per-CPU caches
 * count as allocated, as in the kernel's tree): for mapping-table dumps. */
void iova_space_stats(struct iova_domain *iovad, unsigned long *used_pfns,
		      unsigned long *max_used_pfns);
/* Checks tree order, non-overlap and the augmented gap values; false on any inconsistency. */
bool iova_domain_check(struct iova_domain *iovad);

static inline unsigned long iova_order_base_2(unsigned long n)
{
	return n <= 1 ? 0 : 64 - __builtin_clzl(n - 1);
}

#endif
