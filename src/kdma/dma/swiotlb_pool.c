/* SPDX-License-Identifier: MIT */
/*
 * SWIOTLB pool memory and the slot allocator, after kernel/dma/swiotlb.c
 * (swiotlb_search_pool_area, swiotlb_release_slots). Slots are 2 KiB; free runs are counted per
 * 128-slot segment in slots[].list so that no allocation crosses a segment; each area is a whole
 * number of segments with its own lock and next-fit index.
 */
#include <sys/mman.h>

#include <linux/align.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>

#include "dma/swiotlb_pool.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define LOW_SEARCH_START (16ULL << 20) /* above ZONE_DMA */
#define LOW_SEARCH_STEP (16ULL << 20)
#define LOW_LIMIT (4ULL << 30)

/* Position of a slot inside its segment (kernel io_tlb_offset). */
static inline unsigned long io_tlb_offset(unsigned long index)
{
	return index & (IO_TLB_SEGSIZE - 1);
}

/*
 * Memory a 32-bit device can reach: the first free stretch below 4 GiB. phys == virt in this
 * model, so the address itself is the bus address. MAP_NORESERVE: untouched slots cost nothing.
 */
static void *swiotlb_mmap_low(size_t size)
{
	for (u64 a = LOW_SEARCH_START; a + size <= LOW_LIMIT; a += LOW_SEARCH_STEP) {
		void *p = mmap((void *)(uintptr_t)a, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p == MAP_FAILED)
			continue; /* EEXIST: taken; others: try higher anyway */
		if ((uintptr_t)p == a)
			return p;
		munmap(p, size); /* a kernel without MAP_FIXED_NOREPLACE took it as a hint */
	}
	return NULL;
}

/* No free stretch of our own: take it from ZONE_DMA32 (sized by zone_dma32_size). */
static void *swiotlb_zone_dma32(size_t size)
{
	struct page *page = kdma_alloc_pages(GFP_DMA32, order_base_2(DIV_ROUND_UP(size, PAGE_SIZE)));

	return page ? page_address(page) : NULL;
}

struct io_tlb_pool *swiotlb_pool_create(unsigned long nslabs, unsigned int nareas)
{
	struct io_tlb_pool *pool = kdma_zalloc(sizeof(*pool));
	size_t bytes = (size_t)nslabs << IO_TLB_SHIFT;
	void *mem;

	if (!pool)
		return NULL;
	pool->slots = kdma_zalloc(nslabs * sizeof(*pool->slots));
	pool->areas = kdma_zalloc_aligned(nareas * sizeof(*pool->areas),
					  _Alignof(struct io_tlb_area));
	mem = pool->slots && pool->areas ? swiotlb_mmap_low(bytes) : NULL;
	if (!mem && pool->slots && pool->areas)
		mem = swiotlb_zone_dma32(bytes);
	if (!mem) {
		kdma_free(pool->slots);
		kdma_free(pool->areas);
		kdma_free(pool);
		return NULL;
	}
	pool->start = kdma_virt_to_phys(mem);
	pool->end = pool->start + bytes;
	pool->nslabs = nslabs;
	pool->nareas = nareas;
	pool->area_nslabs = nslabs / nareas;
	for (unsigned long i = 0; i < nslabs; i++) {
		pool->slots[i].list = IO_TLB_SEGSIZE - io_tlb_offset(i);
		pool->slots[i].orig_addr = INVALID_PHYS_ADDR;
	}
	for (unsigned int a = 0; a < nareas; a++)
		pthread_mutex_init(&pool->areas[a].lock, NULL);
	return pool;
}

static inline unsigned long wrap_area_index(const struct io_tlb_pool *pool, unsigned long index)
{
	return index % pool->area_nslabs; /* a stride may exceed a small area */
}

/* iommu_is_span_boundary(): would nr slots from index cross a boundary of boundary_size slots? */
static bool span_boundary(unsigned long index, unsigned long nr, unsigned long shift,
			  unsigned long boundary_size)
{
	shift = (shift + index) & (boundary_size - 1);
	return shift + nr > boundary_size;
}

static unsigned long get_max_slots(unsigned long boundary_mask)
{
	return (boundary_mask >> IO_TLB_SHIFT) + 1;
}

long swiotlb_pool_search_area(struct device *dev, struct io_tlb_pool *pool, unsigned int area_index,
			      phys_addr_t orig_addr, size_t alloc_size, unsigned int alloc_align_mask,
			      unsigned int offset)
{
	struct io_tlb_area *area = &pool->areas[area_index];
	unsigned long boundary_mask = dma_get_seg_boundary(dev);
	dma_addr_t pool_dma = kdma_phys_to_dma(dev, pool->start);
	dma_addr_t tbl_dma_addr = (pool_dma == DMA_MAPPING_ERROR ? pool->start : pool_dma) &
				  boundary_mask;
	unsigned long max_slots = get_max_slots(boundary_mask);
	unsigned long iotlb_align_mask = dma_get_min_align_mask(dev);
	unsigned long nslots = swiotlb_nr_slots(alloc_size), stride, index, checked, slot_index = 0;
	unsigned int pad_slots = offset >> IO_TLB_SHIFT, in_slot = offset & (IO_TLB_SIZE - 1);
	unsigned long align = alloc_align_mask;
	bool found = false;

	if (!nslots || nslots > IO_TLB_SEGSIZE)
		return -1;
	/* Historical guarantee: streaming bounces of a page or more are page-aligned. */
	if (!align && !iotlb_align_mask && alloc_size >= PAGE_SIZE)
		align = PAGE_SIZE - 1;
	/* At least slot-aligned; min_align_mask bits below the alignment come from the offset. */
	align |= IO_TLB_SIZE - 1;
	iotlb_align_mask &= ~align;
	stride = get_max_slots(align > iotlb_align_mask ? align : iotlb_align_mask);

	pthread_mutex_lock(&area->lock);
	if (nslots > pool->area_nslabs - area->used)
		goto out;
	index = area->index;
	for (checked = 0; checked < pool->area_nslabs;) {
		dma_addr_t tlb_addr;

		slot_index = area_index * pool->area_nslabs + index;
		tlb_addr = tbl_dma_addr + ((u64)slot_index << IO_TLB_SHIFT);
		if ((tlb_addr & align) ||
		    (orig_addr && (tlb_addr & iotlb_align_mask) != (orig_addr & iotlb_align_mask))) {
			index = wrap_area_index(pool, index + 1);
			checked++;
			continue;
		}
		if (!span_boundary(slot_index, nslots, swiotlb_nr_slots(tbl_dma_addr), max_slots) &&
		    pool->slots[slot_index].list >= nslots) {
			found = true;
			break;
		}
		index = wrap_area_index(pool, index + stride);
		checked += stride;
	}
	if (!found)
		goto out;

	for (unsigned long i = slot_index; i < slot_index + nslots; i++) {
		struct io_tlb_slot *s = &pool->slots[i];

		s->list = 0;
		s->alloc_size = alloc_size - (in_slot + ((i - slot_index) << IO_TLB_SHIFT));
		s->offset = in_slot;
		if (i >= slot_index + pad_slots)
			s->orig_addr = orig_addr + ((u64)(i - slot_index - pad_slots) << IO_TLB_SHIFT);
	}
	pool->slots[slot_index + pad_slots].pad_slots = pad_slots;
	pool->slots[slot_index + pad_slots].head = true;
	/* The free run before the allocation now ends here: renumber it. */
	for (unsigned long i = slot_index - 1, count = 0;
	     io_tlb_offset(i) != IO_TLB_SEGSIZE - 1 && pool->slots[i].list; i--)
		pool->slots[i].list = ++count;
	area->index = wrap_area_index(pool, index + nslots);
	area->used += nslots;
out:
	pthread_mutex_unlock(&area->lock);
	return found ? (long)(slot_index + pad_slots) : -1;
}

static struct io_tlb_area *area_of(struct io_tlb_pool *pool, unsigned long index)
{
	return &pool->areas[index / pool->area_nslabs];
}

struct io_tlb_slot swiotlb_pool_slot(struct io_tlb_pool *pool, unsigned long index)
{
	struct io_tlb_area *area = area_of(pool, index);
	struct io_tlb_slot s;

	pthread_mutex_lock(&area->lock);
	s = pool->slots[index];
	pthread_mutex_unlock(&area->lock);
	return s;
}

unsigned long swiotlb_pool_release(struct io_tlb_pool *pool, unsigned long index)
{
	struct io_tlb_area *area = area_of(pool, index);
	unsigned long nslots, count, first;
	struct io_tlb_slot *head = &pool->slots[index];

	pthread_mutex_lock(&area->lock);
	if (!head->head || head->orig_addr == INVALID_PHYS_ADDR) {
		pthread_mutex_unlock(&area->lock);
		return 0;
	}
	first = index - head->pad_slots;
	nslots = swiotlb_nr_slots(pool->slots[first].alloc_size + pool->slots[first].offset);
	/* Merge with the free run after the allocation (same segment)... */
	if (first + nslots < ALIGN(first + 1, IO_TLB_SEGSIZE))
		count = pool->slots[first + nslots].list;
	else
		count = 0;
	for (unsigned long i = first + nslots; i-- > first;) {
		pool->slots[i] = (struct io_tlb_slot){ .list = ++count,
						       .orig_addr = INVALID_PHYS_ADDR };
	}
	/* ...and with the one before it. */
	for (unsigned long i = first - 1;
	     io_tlb_offset(i) != IO_TLB_SEGSIZE - 1 && pool->slots[i].list; i--)
		pool->slots[i].list = ++count;
	area->used -= nslots;
	pthread_mutex_unlock(&area->lock);
	return nslots;
}

unsigned long swiotlb_pool_area_used(struct io_tlb_pool *pool, unsigned int area)
{
	unsigned long used;

	pthread_mutex_lock(&pool->areas[area].lock);
	used = pool->areas[area].used;
	pthread_mutex_unlock(&pool->areas[area].lock);
	return used;
}
