/* SPDX-License-Identifier: MIT */
/*
 * SWIOTLB pools, private to swiotlb.c and swiotlb_pool.c: the kernel's struct io_tlb_pool with
 * its slots and areas, and the slot allocator (swiotlb_search_pool_area / swiotlb_release_slots).
 */
#ifndef DMASAN_KDMA_SWIOTLB_POOL_H
#define DMASAN_KDMA_SWIOTLB_POOL_H

#include <linux/math.h>

#include "dma/dma.h"

#define INVALID_PHYS_ADDR (~(phys_addr_t)0)

/* Slots needed for val bytes (kernel nr_slots). */
static inline unsigned long swiotlb_nr_slots(u64 val)
{
	return DIV_ROUND_UP(val, IO_TLB_SIZE);
}

struct io_tlb_slot {
	phys_addr_t orig_addr;    /* original buffer this slot shadows, or INVALID_PHYS_ADDR */
	size_t alloc_size;        /* bytes of the allocation from this slot's orig_addr on */
	unsigned int list;        /* free slots from here to the end of the segment; 0 = used */
	unsigned short pad_slots; /* in the first real slot: alignment padding slots before it */
	unsigned short offset;    /* in-slot offset of the mapping start (min_align_mask bits) */
	bool head;                /* first real slot of a live mapping: where unmap must point */
};

/* One lock per area so that CPUs mapping at once rarely contend. */
struct io_tlb_area {
	pthread_mutex_t lock;
	unsigned long used;  /* slots in use, under lock */
	unsigned long index; /* next-fit start of the search, relative to the area */
} __attribute__((aligned(64)));

struct io_tlb_pool {
	phys_addr_t start; /* first byte (phys == virt in this model) */
	phys_addr_t end;   /* one past the last byte */
	unsigned long nslabs;
	unsigned int nareas; /* power of two */
	unsigned long area_nslabs;
	struct io_tlb_slot *slots;
	struct io_tlb_area *areas;
};

/* A pool of nslabs slots (a multiple of IO_TLB_SEGSIZE * nareas) at addresses below 4 GiB, or
 * NULL when no such memory can be had. Pools are never freed: lookups stay lock-free. */
struct io_tlb_pool *swiotlb_pool_create(unsigned long nslabs, unsigned int nareas);

/* Allocate slots for alloc_size bytes in one area of pool, following swiotlb_search_pool_area,
 * and record the mapping of orig_addr in them. `offset` is the start offset inside the allocation
 * (orig_addr & min_align_mask & (alloc_align_mask | 2047): whole padding slots + in-slot part).
 * Returns the index of the first real (non-padding) slot, or -1. */
long swiotlb_pool_search_area(struct device *dev, struct io_tlb_pool *pool, unsigned int area,
			      phys_addr_t orig_addr, size_t alloc_size, unsigned int alloc_align_mask,
			      unsigned int offset);

/* Snapshot of slot `index` taken under its area lock. */
struct io_tlb_slot swiotlb_pool_slot(struct io_tlb_pool *pool, unsigned long index);

/* Give back the allocation whose first real slot is `index`. Returns the number of slots
 * released, 0 when `index` is not the head of a live allocation (nothing is changed then). */
unsigned long swiotlb_pool_release(struct io_tlb_pool *pool, unsigned long index);

/* Slots in use in area `area` (under its lock). */
unsigned long swiotlb_pool_area_used(struct io_tlb_pool *pool, unsigned int area);

#endif
