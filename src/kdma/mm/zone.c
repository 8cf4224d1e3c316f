// SPDX-License-Identifier: MIT
/*
 * The page allocator's memory: ZONE_DMA (below 16 MiB) and ZONE_DMA32 (below 4 GiB), each a
 * region mapped at a fixed low address on first use, and ZONE_NORMAL, arenas of 64 MiB mapped
 * high in the address space as needed (so "RAM" is above 4 GiB even when the C heap is not, as
 * under valgrind or in non-PIE programs). Every region is a buddy allocator (orders
 * 0..MAX_PAGE_ORDER) like mm/page_alloc.c. Free lists are kept beside the memory (page indices),
 * never inside it, so freed memory is not written by the allocator.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#include "base/fork.h"
#include "mm/memmodel.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define ZONE_NONE UINT32_MAX
#define ZONE_MAX_BLOCK (PAGE_SIZE << MAX_PAGE_ORDER)

struct zone_area {
	const char *name;
	phys_addr_t limit;         /* the region must end at or below this address */
	uintptr_t base;            /* 0: the zone does not exist */
	size_t npages;
	pthread_once_t once;
	pthread_mutex_t lock;
	uint32_t free_head[NR_PAGE_ORDERS];
	uint32_t *next, *prev;     /* free-list links, by page index */
	int8_t *free_order;        /* order of the free block starting at this index, or -1 */
};

static struct zone_area zones[2] = {
	[KDMA_ZONE_DMA] = { .name = "DMA", .limit = 16ULL << 20, .once = PTHREAD_ONCE_INIT,
			    .lock = PTHREAD_MUTEX_INITIALIZER },
	[KDMA_ZONE_DMA32] = { .name = "DMA32", .limit = 4ULL << 30, .once = PTHREAD_ONCE_INIT,
			      .lock = PTHREAD_MUTEX_INITIALIZER },
};

static void zone_push(struct zone_area *z, uint32_t idx, unsigned int order)
{
	uint32_t head = z->free_head[order];

	z->free_order[idx] = (int8_t)order;
	z->prev[idx] = ZONE_NONE;
	z->next[idx] = head;
	if (head != ZONE_NONE)
		z->prev[head] = idx;
	z->free_head[order] = idx;
}

static void zone_unlink(struct zone_area *z, uint32_t idx)
{
	unsigned int order = (unsigned int)z->free_order[idx];

	if (z->prev[idx] != ZONE_NONE)
		z->next[z->prev[idx]] = z->next[idx];
	else
		z->free_head[order] = z->next[idx];
	if (z->next[idx] != ZONE_NONE)
		z->prev[z->next[idx]] = z->prev[idx];
	z->free_order[idx] = -1;
}

/* Map size bytes at a free fixed address below z->limit: a few aligned candidates from the top
 * down, then MAP_32BIT (x86-64, below 2 GiB) for DMA32. */
static uintptr_t zone_map(struct zone_area *z, size_t size)
{
	static const uintptr_t dma32_bases[] = { 0x40000000, 0x80000000, 0xc0000000, 0x20000000,
						 0x10000000, 0x60000000, 0xa0000000 };
	const int prot = PROT_READ | PROT_WRITE;
	const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	uintptr_t base;
	void *p;
	size_t i;

	if (z->limit <= (16ULL << 20)) {
		/* ZONE_DMA: 4 MiB-aligned bases from the top of the 16 MiB window down to 4 MiB */
		for (base = (z->limit - size) & ~(uintptr_t)(ZONE_MAX_BLOCK - 1); base >= 0x400000;
		     base -= ZONE_MAX_BLOCK) {
			p = mmap((void *)base, size, prot, flags | MAP_FIXED_NOREPLACE, -1, 0);
			if (p == (void *)base)
				return base;
			if (p != MAP_FAILED)
				munmap(p, size); /* old kernels treat the flag as a hint */
		}
		return 0;
	}
	for (i = 0; i < sizeof(dma32_bases) / sizeof(dma32_bases[0]); i++) {
		base = dma32_bases[i];
		if (base + size > z->limit)
			continue;
		p = mmap((void *)base, size, prot, flags | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == (void *)base)
			return base;
		if (p != MAP_FAILED)
			munmap(p, size);
	}
#ifdef MAP_32BIT
	p = mmap(NULL, size + ZONE_MAX_BLOCK, prot, flags | MAP_32BIT, -1, 0);
	if (p != MAP_FAILED) {
		/* align to the largest block; give back the slack on both sides */
		uintptr_t start = (uintptr_t)p;

		base = (start + ZONE_MAX_BLOCK - 1) & ~(uintptr_t)(ZONE_MAX_BLOCK - 1);
		if (base > start)
			munmap(p, base - start);
		munmap((void *)(base + size), start + size + ZONE_MAX_BLOCK - (base + size));
		if (base + size <= z->limit)
			return base;
		munmap((void *)base, size);
	}
#endif
	return 0;
}

/* Buddy bookkeeping for the mapped region [base, base + size). */
static bool zone_area_init(struct zone_area *z, uintptr_t base, size_t size)
{
	uint32_t idx;
	unsigned int order;

	z->next = kdma_zalloc(size / PAGE_SIZE * sizeof(uint32_t));
	z->prev = kdma_zalloc(size / PAGE_SIZE * sizeof(uint32_t));
	z->free_order = kdma_zalloc(size / PAGE_SIZE);
	if (!z->next || !z->prev || !z->free_order) {
		kdma_free(z->next);
		kdma_free(z->prev);
		kdma_free(z->free_order);
		return false;
	}
	pthread_mutex_init(&z->lock, NULL);
	z->npages = size / PAGE_SIZE;
	for (order = 0; order < NR_PAGE_ORDERS; order++)
		z->free_head[order] = ZONE_NONE;
	for (idx = 0; idx < z->npages; idx++)
		z->free_order[idx] = -1;
	/* Carve the region into the largest naturally aligned blocks that fit. */
	for (idx = 0; idx < z->npages; idx += 1u << order) {
		order = MAX_PAGE_ORDER;
		while ((idx & ((1u << order) - 1)) || idx + (1u << order) > z->npages)
			order--;
		zone_push(z, idx, order);
	}
	/* last: a non-zero base publishes the zone to zone_area_contains(), which runs without
	 * the zone's once */
	__atomic_store_n(&z->base, base, __ATOMIC_RELEASE);
	return true;
}

static void zone_setup(struct zone_area *z, u64 size)
{
	uintptr_t base;

	size &= PAGE_MASK;
	if (size > z->limit / 2)
		size = z->limit / 2;
	if (size == 0)
		return;
	base = zone_map(z, size);
	if (base && !zone_area_init(z, base, size))
		munmap((void *)base, size);
}

static void zone_dma_init(void)
{
	zone_setup(&zones[KDMA_ZONE_DMA], kdma_opts()->zone_dma_size);
}

static void zone_dma32_init(void)
{
	zone_setup(&zones[KDMA_ZONE_DMA32], kdma_opts()->zone_dma32_size);
	if (!zones[KDMA_ZONE_DMA32].base)
		kdma_warn(NULL, "ZONE_DMA32: no free address range below 4 GiB for %llu bytes; "
			  "GFP_DMA32 allocations will fail",
			  (unsigned long long)kdma_opts()->zone_dma32_size);
}

static void zone_dma_note(void)
{
	kdma_warn(NULL, "ZONE_DMA: no free range below 16 MiB (or zone_dma_size=0); GFP_DMA "
		  "allocations are served from ZONE_DMA32");
}

static struct zone_area *zone_get(enum kdma_zone zone)
{
	static pthread_once_t note_once = PTHREAD_ONCE_INIT;

	if (zone == KDMA_ZONE_DMA) {
		pthread_once(&zones[KDMA_ZONE_DMA].once, zone_dma_init);
		if (zones[KDMA_ZONE_DMA].base)
			return &zones[KDMA_ZONE_DMA];
		pthread_once(&note_once, zone_dma_note);
	}
	pthread_once(&zones[KDMA_ZONE_DMA32].once, zone_dma32_init);
	return zones[KDMA_ZONE_DMA32].base ? &zones[KDMA_ZONE_DMA32] : NULL;
}

static struct page *zone_area_alloc(struct zone_area *z, unsigned int order)
{
	unsigned int o;
	uint32_t idx;

	pthread_mutex_lock(&z->lock);
	for (o = order; o <= MAX_PAGE_ORDER && z->free_head[o] == ZONE_NONE; o++)
		;
	if (o > MAX_PAGE_ORDER) {
		pthread_mutex_unlock(&z->lock);
		return NULL;
	}
	idx = z->free_head[o];
	zone_unlink(z, idx);
	/* Split, keeping the upper half each time: successive small allocations then come out in
	 * descending order, so separately allocated pages are not mistaken for one physically
	 * contiguous run (nothing in the kernel promises that they are). */
	while (o > order) {
		o--;
		zone_push(z, idx, o);
		idx += 1u << o;
	}
	pthread_mutex_unlock(&z->lock);
	return pfn_to_page((z->base >> PAGE_SHIFT) + idx);
}

/* ------------------------------------------------------------- ZONE_NORMAL arenas -- */

#define ARENA_BYTES (64UL << 20)
#define ARENA_MAX 4096                     /* 256 GiB */
#define ARENA_HINT 0x200000000000UL        /* 32 TiB: far from the heap, libraries, stacks */

static struct zone_area *arenas[ARENA_MAX];
static atomic_uint nr_arenas;
static atomic_uint arena_hint_idx; /* where the last allocation succeeded */
static pthread_mutex_t arena_grow_lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t arena_next_hint = ARENA_HINT;

/* Map one more arena (aligned to the largest block) near the hint. False when none can be
 * mapped; true also when another thread grew the set meanwhile (the caller retries). */
static bool arena_grow(unsigned int seen)
{
	struct zone_area *z;
	uintptr_t start, base;
	void *p;
	bool ok = true;

	pthread_mutex_lock(&arena_grow_lock);
	if (atomic_load(&nr_arenas) != seen)
		goto out; /* another thread grew meanwhile: retry with its arena */
	ok = false;
	if (seen == ARENA_MAX)
		goto out;
	p = mmap((void *)arena_next_hint, ARENA_BYTES + ZONE_MAX_BLOCK, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		goto out;
	start = (uintptr_t)p;
	base = (start + ZONE_MAX_BLOCK - 1) & ~(uintptr_t)(ZONE_MAX_BLOCK - 1);
	if (base > start)
		munmap(p, base - start);
	munmap((void *)(base + ARENA_BYTES), start + ZONE_MAX_BLOCK - base);
	z = kdma_zalloc(sizeof(*z));
	if (!z || !zone_area_init(z, base, ARENA_BYTES)) {
		kdma_free(z);
		munmap((void *)base, ARENA_BYTES);
		goto out;
	}
	z->name = "Normal";
	arena_next_hint = base + ARENA_BYTES;
	arenas[seen] = z;
	atomic_store(&nr_arenas, seen + 1); /* publishes arenas[seen] */
	ok = true;
out:
	pthread_mutex_unlock(&arena_grow_lock);
	return ok;
}

static struct page *arena_alloc(unsigned int order)
{
	for (;;) {
		unsigned int n = atomic_load(&nr_arenas), start = atomic_load(&arena_hint_idx), i;

		for (i = 0; i < n; i++) {
			unsigned int a = (start + i) % n;
			struct page *page = zone_area_alloc(arenas[a], order);

			if (page) {
				if (a != start)
					atomic_store(&arena_hint_idx, a);
				return page;
			}
		}
		if (!arena_grow(n))
			return NULL;
	}
}

struct page *kdma_zone_alloc(enum kdma_zone zone, unsigned int order)
{
	struct zone_area *z;

	if (order > MAX_PAGE_ORDER)
		return NULL;
	if (zone == KDMA_ZONE_NORMAL)
		return arena_alloc(order);
	z = zone_get(zone);
	return z ? zone_area_alloc(z, order) : NULL;
}

static bool zone_area_contains(const struct zone_area *z, phys_addr_t phys)
{
	uintptr_t base = __atomic_load_n(&z->base, __ATOMIC_ACQUIRE);

	return base && phys >= base && phys < base + z->npages * PAGE_SIZE;
}

static struct zone_area *zone_containing(phys_addr_t phys)
{
	unsigned int i, n;

	for (i = 0; i < 2; i++)
		if (zone_area_contains(&zones[i], phys))
			return &zones[i];
	n = atomic_load(&nr_arenas);
	for (i = 0; i < n; i++)
		if (zone_area_contains(arenas[i], phys))
			return arenas[i];
	return NULL;
}

bool kdma_zone_free(struct page *page, unsigned int order)
{
	struct zone_area *z = zone_containing(page_to_phys(page));
	uint32_t idx, buddy;

	if (!z)
		return false;
	idx = (uint32_t)((page_to_phys(page) - z->base) >> PAGE_SHIFT);
	pthread_mutex_lock(&z->lock);
	while (order < MAX_PAGE_ORDER) { /* merge with free buddies as far as they go */
		buddy = idx ^ (1u << order);
		if (buddy >= z->npages || z->free_order[buddy] != (int8_t)order)
			break;
		zone_unlink(z, buddy);
		idx &= ~(1u << order);
		order++;
	}
	zone_push(z, idx, order);
	pthread_mutex_unlock(&z->lock);
	return true;
}

enum kdma_zone kdma_zone_of(phys_addr_t phys)
{
	struct zone_area *z = zone_containing(phys);

	return z == &zones[KDMA_ZONE_DMA]     ? KDMA_ZONE_DMA :
	       z == &zones[KDMA_ZONE_DMA32] ? KDMA_ZONE_DMA32 :
					      KDMA_ZONE_NORMAL;
}

/* fork (base/fork.c): growth first, so the set of arenas stays as it is while they are taken. */
void kdma_zone_fork_lock(void)
{
	pthread_mutex_lock(&arena_grow_lock);
	for (int z = 0; z < 2; z++)
		pthread_mutex_lock(&zones[z].lock);
	for (unsigned int a = 0; a < atomic_load(&nr_arenas); a++)
		pthread_mutex_lock(&arenas[a]->lock);
}

void kdma_zone_fork_unlock(bool child)
{
	for (unsigned int a = atomic_load(&nr_arenas); a-- > 0;)
		pthread_mutex_unlock(&arenas[a]->lock);
	for (int z = 2; z-- > 0;)
		pthread_mutex_unlock(&zones[z].lock);
	pthread_mutex_unlock(&arena_grow_lock);
}
