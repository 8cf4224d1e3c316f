/* SPDX-License-Identifier: MIT */
/*
 * SWIOTLB (kernel/dma/swiotlb.c): bounce buffering that really copies. A mapping gets slots in a
 * pool below 4 GiB; the device (sim.c) reads and writes the slots, never the original, so data
 * moves between the two only at map, sync and unmap exactly as in the kernel, and a missing
 * sync shows as stale bytes. The pool is created on first use.
 */
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include <linux/align.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/mm.h>

#include "common/hwcopy.h"
#include "base/fork.h"
#include "dma/swiotlb_pool.h"

#define SWIOTLB_MAX_POOLS 64 /* default pool + growth with swiotlb_dynamic */

static struct {
	pthread_once_t once;
	_Atomic(struct io_tlb_pool *) pools[SWIOTLB_MAX_POOLS];
	atomic_uint npools;    /* published after pools[npools - 1] is set */
	atomic_bool failed;    /* no pool memory could be had */
	pthread_mutex_t grow_lock;
	unsigned long pool_nslabs;
	unsigned int nareas;
	atomic_ulong nslabs, used, hiwater, maps, full;
} io_tlb_mem = { .once = PTHREAD_ONCE_INIT, .grow_lock = PTHREAD_MUTEX_INITIALIZER };

/*
 * Pool geometry from the options: whole 128-slot segments; areas a power of two (one per possible
 * CPU by default), at most one per segment (limit_nareas), and each area a whole number of
 * segments (the slot count is rounded up for that).
 */
static void swiotlb_geometry(unsigned long *nslabs, unsigned int *nareas)
{
	const struct kdma_options *o = kdma_opts();
	unsigned long nsegs = DIV_ROUND_UP(o->swiotlb_size, IO_TLB_SIZE * IO_TLB_SEGSIZE);
	unsigned long areas = o->swiotlb_areas;

	if (!areas) {
		long cpus = sysconf(_SC_NPROCESSORS_CONF);

		areas = cpus > 0 ? (unsigned long)cpus : 1;
	}
	areas = roundup_pow_of_two(areas);
	if (areas > KDMA_SWIOTLB_MAX_AREAS)
		areas = KDMA_SWIOTLB_MAX_AREAS;
	if (nsegs < 1)
		nsegs = 1;
	while (areas > nsegs)
		areas >>= 1;
	nsegs = roundup(nsegs, areas);
	*nslabs = nsegs * IO_TLB_SEGSIZE;
	*nareas = areas;
}

/* Create one more pool and publish it; false when memory or pool slots ran out. */
static bool swiotlb_add_pool(void)
{
	unsigned int n = atomic_load(&io_tlb_mem.npools);
	struct io_tlb_pool *pool;

	if (n >= SWIOTLB_MAX_POOLS)
		return false;
	pool = swiotlb_pool_create(io_tlb_mem.pool_nslabs, io_tlb_mem.nareas);
	if (!pool)
		return false;
	atomic_store(&io_tlb_mem.pools[n], pool);
	atomic_fetch_add(&io_tlb_mem.nslabs, pool->nslabs);
	atomic_store(&io_tlb_mem.npools, n + 1);
	return true;
}

static void swiotlb_init(void)
{
	if (!kdma_opts()->swiotlb_size) {
		atomic_store(&io_tlb_mem.failed, true);
		return;
	}
	swiotlb_geometry(&io_tlb_mem.pool_nslabs, &io_tlb_mem.nareas);
	pthread_mutex_lock(&io_tlb_mem.grow_lock);
	if (!swiotlb_add_pool())
		atomic_store(&io_tlb_mem.failed, true);
	pthread_mutex_unlock(&io_tlb_mem.grow_lock);
}

/* The pool holding phys, without creating anything (pools are never freed). */
static struct io_tlb_pool *swiotlb_find_pool(phys_addr_t phys)
{
	unsigned int n = atomic_load_explicit(&io_tlb_mem.npools, memory_order_acquire);

	for (unsigned int i = 0; i < n; i++) {
		struct io_tlb_pool *pool = atomic_load_explicit(&io_tlb_mem.pools[i],
								memory_order_relaxed);

		if (phys >= pool->start && phys < pool->end)
			return pool;
	}
	return NULL;
}

bool is_swiotlb_active(struct device *dev)
{
	struct kdma_dev *kd = kdma_of(dev);

	if (!dev || (kd && kd->bounce == DMASIM_BOUNCE_OFF))
		return false;
	return kdma_opts()->swiotlb_size && !atomic_load(&io_tlb_mem.failed);
}

bool is_swiotlb_force_bounce(struct device *dev)
{
	struct kdma_dev *kd = kdma_of(dev);

	if (!dev || !kdma_opts()->swiotlb_size)
		return false;
	if (kd && kd->bounce != DMASIM_BOUNCE_AUTO)
		return kd->bounce == DMASIM_BOUNCE_FORCE;
	return kdma_opts()->swiotlb_force;
}

bool is_swiotlb_buffer(struct device *dev, phys_addr_t phys)
{
	return swiotlb_find_pool(phys) != NULL;
}

size_t swiotlb_max_mapping_size(struct device *dev)
{
	unsigned int min_align_mask = dev ? dma_get_min_align_mask(dev) : 0;
	size_t min_align = 0;

	if (min_align_mask)
		min_align = roundup(min_align_mask, IO_TLB_SIZE);
	return (size_t)IO_TLB_SIZE * IO_TLB_SEGSIZE - min_align;
}

/* Copy between the original and the slots: DMA_TO_DEVICE orig → slot, else slot → orig. */
static void swiotlb_bounce(struct device *dev, struct io_tlb_pool *pool, phys_addr_t tlb_addr,
			   size_t size, enum dma_data_direction dir)
{
	struct io_tlb_slot s = swiotlb_pool_slot(pool, (tlb_addr - pool->start) >> IO_TLB_SHIFT);
	long tlb_offset;
	phys_addr_t orig;
	size_t alloc_size;

	if (s.orig_addr == INVALID_PHYS_ADDR)
		return;
	/* Negative inside a later slot's leading bytes (a sub-range sync): still the right place.
	 * In the first slot it is before the mapping, which the kernel cannot tell; we can. */
	tlb_offset = (long)(tlb_addr & (IO_TLB_SIZE - 1)) - s.offset;
	if (s.head && tlb_offset < 0) {
		kdma_warn(dev, "swiotlb: sync of %#llx, before the start of its bounce mapping",
			  (unsigned long long)tlb_addr);
		return;
	}
	orig = s.orig_addr + tlb_offset;
	alloc_size = tlb_offset > (long)s.alloc_size ? 0 : s.alloc_size - tlb_offset;
	if (size > alloc_size) {
		dev_WARN_ONCE(dev, 1, "Buffer overflow detected. Allocation size: %zu. Mapping size: %zu.\n",
			      alloc_size, size);
		size = alloc_size;
	}
	if (!size)
		return;
	if (dir == DMA_TO_DEVICE)
		dmasan_hw_copy(kdma_phys_to_virt(tlb_addr), kdma_phys_to_virt(orig), size);
	else
		dmasan_hw_copy(kdma_phys_to_virt(orig), kdma_phys_to_virt(tlb_addr), size);
	KDMA_HOOK(bounce, dev, orig, tlb_addr, size, dir == DMA_TO_DEVICE);
}

static void swiotlb_account(unsigned long nslots)
{
	unsigned long used = atomic_fetch_add(&io_tlb_mem.used, nslots) + nslots;
	unsigned long old = atomic_load(&io_tlb_mem.hiwater);

	while (used > old && !atomic_compare_exchange_weak(&io_tlb_mem.hiwater, &old, used))
		;
	atomic_fetch_add(&io_tlb_mem.maps, 1);
}

/* Search every area of the pools from n0 on, starting with this CPU's area. */
static long swiotlb_search_pools(struct device *dev, unsigned int n0, phys_addr_t orig,
				 size_t alloc_size, unsigned int align_mask, unsigned int offset,
				 struct io_tlb_pool **retpool)
{
	unsigned int n = atomic_load_explicit(&io_tlb_mem.npools, memory_order_acquire);
	int cpu = sched_getcpu();

	for (unsigned int p = n0; p < n; p++) {
		struct io_tlb_pool *pool = atomic_load(&io_tlb_mem.pools[p]);

		for (unsigned int i = 0; i < pool->nareas; i++) {
			unsigned int area = ((cpu < 0 ? 0 : cpu) + i) & (pool->nareas - 1);
			long index = swiotlb_pool_search_area(dev, pool, area, orig, alloc_size,
							      align_mask, offset);

			if (index >= 0) {
				*retpool = pool;
				return index;
			}
		}
	}
	return -1;
}

static long swiotlb_find_slots(struct device *dev, phys_addr_t orig, size_t alloc_size,
			       unsigned int align_mask, unsigned int offset,
			       struct io_tlb_pool **retpool)
{
	long index;
	unsigned int n;

	if (alloc_size > (size_t)IO_TLB_SEGSIZE * IO_TLB_SIZE)
		return -1;
	n = atomic_load(&io_tlb_mem.npools);
	index = swiotlb_search_pools(dev, 0, orig, alloc_size, align_mask, offset, retpool);
	if (index < 0 && kdma_opts()->swiotlb_dynamic) {
		/* CONFIG_SWIOTLB_DYNAMIC: grow now, synchronously (the kernel's worker, run at
		 * once, so tests see deterministic results), then retry in the new pools. */
		pthread_mutex_lock(&io_tlb_mem.grow_lock);
		if (atomic_load(&io_tlb_mem.npools) == n)
			swiotlb_add_pool();
		pthread_mutex_unlock(&io_tlb_mem.grow_lock);
		index = swiotlb_search_pools(dev, n, orig, alloc_size, align_mask, offset, retpool);
	}
	return index;
}

/* The "swiotlb buffer is full" limiter: count-based (the first 10, then every 100th) so that
 * tests see the same messages on every run; the kernel's is 10 per 5 s. */
static bool swiotlb_full_ratelimit(void)
{
	unsigned long n = atomic_fetch_add(&io_tlb_mem.full, 1) + 1;

	return n <= 10 || n % 100 == 0;
}

/* dma_reset_need_sync(): from the first bounce on, every sync of the device matters. */
static void swiotlb_reset_need_sync(struct device *dev)
{
	if (__atomic_load_n(&dev->dma_skip_sync, __ATOMIC_RELAXED))
		__atomic_store_n(&dev->dma_skip_sync, false, __ATOMIC_RELAXED);
}

static phys_addr_t swiotlb_map_slots(struct device *dev, phys_addr_t orig_addr, size_t mapping_size,
				     unsigned int alloc_align_mask, enum dma_data_direction dir,
				     unsigned long attrs, enum kdma_map_failure *why)
{
	struct io_tlb_pool *pool = NULL;
	unsigned int offset;
	size_t size;
	long index;
	phys_addr_t tlb_addr;

	if (!kdma_check_dev_ptr(dev, "swiotlb_tbl_map_single") ||
	    !kdma_check_dir(dev, dir, "swiotlb_tbl_map_single")) {
		*why = KDMA_FAIL_INVALID;
		return (phys_addr_t)-1;
	}
	if (!mapping_size) {
		kdma_warn(dev, "swiotlb: zero-length bounce mapping of %#llx",
			  (unsigned long long)orig_addr);
		*why = KDMA_FAIL_INVALID;
		return (phys_addr_t)-1;
	}
	pthread_once(&io_tlb_mem.once, swiotlb_init);
	if (atomic_load(&io_tlb_mem.failed)) {
		dev_warn_ratelimited(dev, "Can not allocate SWIOTLB buffer earlier and can't now provide you with the DMA bounce buffer");
		*why = KDMA_FAIL_OTHER;
		return (phys_addr_t)-1;
	}
	dev_WARN_ONCE(dev, alloc_align_mask > PAGE_SIZE - 1,
		      "Alloc alignment may prevent fulfilling requests with max mapping_size\n");

	offset = orig_addr & dma_get_min_align_mask(dev) & (alloc_align_mask | (IO_TLB_SIZE - 1));
	size = ALIGN(mapping_size + offset, (size_t)alloc_align_mask + 1);
	index = swiotlb_find_slots(dev, orig_addr, size, alloc_align_mask, offset, &pool);
	if (index < 0) {
		bool print = swiotlb_full_ratelimit();

		if (print && !(attrs & DMA_ATTR_NO_WARN))
			dev_warn(dev, "swiotlb buffer is full (sz: %zd bytes), total %lu (slots), used %lu (slots)\n",
				 size, atomic_load(&io_tlb_mem.nslabs), atomic_load(&io_tlb_mem.used));
		*why = KDMA_FAIL_SWIOTLB_FULL;
		return (phys_addr_t)-1;
	}
	swiotlb_account(swiotlb_nr_slots(size));
	swiotlb_reset_need_sync(dev);

	tlb_addr = pool->start + ((phys_addr_t)index << IO_TLB_SHIFT) + (offset & (IO_TLB_SIZE - 1));
	/* Whatever dir: a device writing only part of a FROM_DEVICE buffer must leave the rest as
	 * it was, not as some earlier user of the slot left it (CVE-2022-0854). */
	swiotlb_bounce(dev, pool, tlb_addr, mapping_size, DMA_TO_DEVICE);
	return tlb_addr;
}

phys_addr_t swiotlb_tbl_map_single(struct device *dev, phys_addr_t phys, size_t mapping_size,
				   unsigned int alloc_align_mask, enum dma_data_direction dir,
				   unsigned long attrs)
{
	enum kdma_map_failure why;

	return swiotlb_map_slots(dev, phys, mapping_size, alloc_align_mask, dir, attrs, &why);
}

void swiotlb_tbl_unmap_single(struct device *dev, phys_addr_t tlb_addr, size_t mapping_size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	struct io_tlb_pool *pool = swiotlb_find_pool(tlb_addr);
	unsigned long index, nslots;
	struct io_tlb_slot s;

	if (!pool) {
		kdma_warn(dev, "swiotlb: unmap of %#llx, which is not a bounce buffer",
			  (unsigned long long)tlb_addr);
		return;
	}
	index = (tlb_addr - pool->start) >> IO_TLB_SHIFT;
	s = swiotlb_pool_slot(pool, index);
	if (!s.head || s.offset != (tlb_addr & (IO_TLB_SIZE - 1))) {
		kdma_warn(dev, "swiotlb: unmap of %#llx, where no live bounce mapping starts",
			  (unsigned long long)tlb_addr);
		return;
	}
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC) && (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
		swiotlb_bounce(dev, pool, tlb_addr, mapping_size, DMA_FROM_DEVICE);
	nslots = swiotlb_pool_release(pool, index);
	if (!nslots) /* released by a racing unmap of the same address since the check */
		kdma_warn(dev, "swiotlb: unmap of %#llx, where no live bounce mapping starts",
			  (unsigned long long)tlb_addr);
	atomic_fetch_sub(&io_tlb_mem.used, nslots);
}

dma_addr_t swiotlb_map(struct device *dev, phys_addr_t phys, size_t size,
		       enum dma_data_direction dir, unsigned long attrs, enum kdma_map_failure *why)
{
	enum kdma_map_failure reason = KDMA_FAIL_NONE;
	phys_addr_t tlb_addr = swiotlb_map_slots(dev, phys, size, 0, dir, attrs, &reason);
	dma_addr_t dma_addr;

	if (tlb_addr == (phys_addr_t)-1) {
		if (why)
			*why = reason;
		return DMA_MAPPING_ERROR;
	}
	dma_addr = kdma_phys_to_dma(dev, tlb_addr);
	if (!kdma_dma_capable(dev, dma_addr, size, true)) {
		swiotlb_tbl_unmap_single(dev, tlb_addr, size, dir, attrs | DMA_ATTR_SKIP_CPU_SYNC);
		dev_WARN_ONCE(dev, 1, "swiotlb addr %#llx+%zu overflow (mask %llx, bus limit %llx).\n",
			      (unsigned long long)dma_addr, size,
			      (unsigned long long)(dev->dma_mask ? *dev->dma_mask : 0),
			      (unsigned long long)dev->bus_dma_limit);
		if (why)
			*why = KDMA_FAIL_OVERFLOW;
		return DMA_MAPPING_ERROR;
	}
	if (!dev_is_dma_coherent(dev) && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		kdma_arch_sync_for_device(tlb_addr, size, dir);
	return dma_addr;
}

/* Syncs copy according to the sync call's dir, not the mapping's, as the kernel's do. */
void swiotlb_sync_single_for_device(struct device *dev, phys_addr_t tlb_addr, size_t size,
				    enum dma_data_direction dir)
{
	struct io_tlb_pool *pool = swiotlb_find_pool(tlb_addr);

	if (pool && (dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL))
		swiotlb_bounce(dev, pool, tlb_addr, size, DMA_TO_DEVICE);
}

void swiotlb_sync_single_for_cpu(struct device *dev, phys_addr_t tlb_addr, size_t size,
				 enum dma_data_direction dir)
{
	struct io_tlb_pool *pool = swiotlb_find_pool(tlb_addr);

	if (pool && (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
		swiotlb_bounce(dev, pool, tlb_addr, size, DMA_FROM_DEVICE);
}

phys_addr_t swiotlb_orig_phys(phys_addr_t tlb_addr)
{
	struct io_tlb_pool *pool = swiotlb_find_pool(tlb_addr);
	struct io_tlb_slot s;
	long in_slot;

	if (!pool)
		return (phys_addr_t)-1;
	s = swiotlb_pool_slot(pool, (tlb_addr - pool->start) >> IO_TLB_SHIFT);
	in_slot = (long)(tlb_addr & (IO_TLB_SIZE - 1)) - s.offset;
	if (s.orig_addr == INVALID_PHYS_ADDR || (s.head && in_slot < 0))
		return (phys_addr_t)-1;
	return s.orig_addr + in_slot;
}

void kdma_swiotlb_stats(struct kdma_swiotlb_stats *st)
{
	unsigned int n = atomic_load_explicit(&io_tlb_mem.npools, memory_order_acquire);

	memset(st, 0, sizeof(*st));
	st->nslabs = atomic_load(&io_tlb_mem.nslabs);
	st->used = atomic_load(&io_tlb_mem.used);
	st->used_hiwater = atomic_load(&io_tlb_mem.hiwater);
	st->maps = atomic_load(&io_tlb_mem.maps);
	st->full = atomic_load(&io_tlb_mem.full);
	st->npools = n;
	for (unsigned int p = 0; p < n; p++) {
		struct io_tlb_pool *pool = atomic_load(&io_tlb_mem.pools[p]);

		if (!p) {
			st->nareas = pool->nareas;
			st->area_nslabs = pool->area_nslabs;
			st->start = pool->start;
			st->end = pool->end;
		}
		for (unsigned int a = 0; a < pool->nareas; a++)
			st->area_used[a] += swiotlb_pool_area_used(pool, a);
	}
}

/* fork (base/fork.c): growth first, so the set of pools stays as it is while they are taken. */
void kdma_swiotlb_fork_lock(void)
{
	pthread_mutex_lock(&io_tlb_mem.grow_lock);
	for (unsigned int p = 0; p < atomic_load(&io_tlb_mem.npools); p++) {
		struct io_tlb_pool *pool = atomic_load(&io_tlb_mem.pools[p]);

		for (unsigned int a = 0; a < pool->nareas; a++)
			pthread_mutex_lock(&pool->areas[a].lock);
	}
}

void kdma_swiotlb_fork_unlock(bool child)
{
	for (unsigned int p = 0; p < atomic_load(&io_tlb_mem.npools); p++) {
		struct io_tlb_pool *pool = atomic_load(&io_tlb_mem.pools[p]);

		for (unsigned int a = 0; a < pool->nareas; a++)
			pthread_mutex_unlock(&pool->areas[a].lock);
	}
	pthread_mutex_unlock(&io_tlb_mem.grow_lock);
}
