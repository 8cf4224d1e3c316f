/* SPDX-License-Identifier: MIT */
/*
 * Atomic coherent pools (kernel/dma/pool.c): memory set aside for coherent allocations of
 * non-coherent devices that cannot sleep (GFP_ATOMIC), one pool per zone — kernel, dma32 and,
 * when ZONE_DMA exists, dma. Each is a small gen_pool: chunks of pages, a bitmap per chunk with
 * page granularity, first fit aligned to the allocation's power-of-two order
 * (gen_pool_first_fit_order_align). When a pool's free space drops below atomic_pool_size a
 * background thread grows it by its current size (atomic_pool_work_fn); pools never shrink.
 *
 * Memcheck: dma_alloc_attrs describes what it hands out as heap blocks and dma_free_attrs leaves
 * a freed block NOACCESS, so a pool makes each allocation addressable again before zeroing it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <linux/mm.h>

#include "base/fork.h"
#include "base/vg.h"
#include "dma/dma.h"

#define SZ_128K_ (128UL << 10)
#define SZ_1G_ (1UL << 30)
#define BITS_PER_LONG_ (8 * sizeof(unsigned long))

struct gen_chunk {
	struct gen_chunk *next;
	struct page *page;
	unsigned int order;
	char *start;
	unsigned long pages;
	unsigned long bitmap[]; /* one bit per page */
};

struct atomic_pool {
	const char *name;
	gfp_t gfp;
	bool present;
	pthread_mutex_t lock;
	struct gen_chunk *chunks; /* newest first; searched oldest-added-last like gen_pool */
	size_t size, avail;
	u64 nr_allocs, nr_expansions;
};

static struct atomic_pool pools[KDMA_ATOMIC_POOL__COUNT] = {
	[KDMA_ATOMIC_POOL_KERNEL] = { .name = "kernel", .gfp = 0,
				      .lock = PTHREAD_MUTEX_INITIALIZER },
	[KDMA_ATOMIC_POOL_DMA32] = { .name = "dma32", .gfp = GFP_DMA32,
				     .lock = PTHREAD_MUTEX_INITIALIZER },
	[KDMA_ATOMIC_POOL_DMA] = { .name = "dma", .gfp = GFP_DMA,
				   .lock = PTHREAD_MUTEX_INITIALIZER },
};

static size_t atomic_pool_size;
static pthread_once_t pools_once = PTHREAD_ONCE_INIT;
static atomic_bool pools_ready; /* frees need not create the pools to learn they own nothing */

/* The background worker (schedule_work(&atomic_pool_work)). */
static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
/* One resize at a time: the worker and a test must not both double a pool. */
static pthread_mutex_t resize_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cond = PTHREAD_COND_INITIALIZER;
static bool work_pending, worker_started;

/* Add a chunk of about `size` bytes: order min(get_order(size), MAX_PAGE_ORDER), halved until
 * the allocation succeeds (atomic_pool_expand). */
static int atomic_pool_expand(struct atomic_pool *pool, size_t size)
{
	int order = get_order(size);
	struct gen_chunk *chunk;
	struct page *page = NULL;

	if (order > MAX_PAGE_ORDER)
		order = MAX_PAGE_ORDER;
	for (; order >= 0 && !page; order--)
		page = kdma_alloc_pages(pool->gfp, (unsigned int)order);
	if (!page)
		return -ENOMEM;
	order++;
	chunk = kdma_zalloc(sizeof(*chunk) +
			    ((1UL << order) + BITS_PER_LONG_ - 1) / BITS_PER_LONG_ * sizeof(long));
	if (!chunk) {
		kdma_free_pages(page, (unsigned int)order);
		return -ENOMEM;
	}
	chunk->page = page;
	chunk->order = (unsigned int)order;
	chunk->start = page_address(page);
	chunk->pages = 1UL << order;

	pthread_mutex_lock(&pool->lock);
	chunk->next = pool->chunks;
	pool->chunks = chunk;
	pool->size += chunk->pages << PAGE_SHIFT;
	pool->avail += chunk->pages << PAGE_SHIFT;
	pool->nr_expansions++;
	pthread_mutex_unlock(&pool->lock);
	return 0;
}

/* has_managed_dma(): the model serves GFP_DMA from ZONE_DMA32 when nothing below 16 MiB could be
 * reserved (e.g. under valgrind); then there is no dma pool, as on machines without ZONE_DMA. */
static bool zone_dma_exists(void)
{
	struct page *page;
	bool low;

	if (!kdma_opts()->zone_dma_size)
		return false;
	page = kdma_alloc_pages(GFP_DMA, 0);
	if (!page)
		return false;
	low = page_to_phys(page) + PAGE_SIZE - 1 <= 0xffffffULL;
	kdma_free_pages(page, 0);
	return low;
}

static void atomic_pools_init(void)
{
	u64 opt = kdma_opts()->atomic_pool_size;

	if (opt) {
		atomic_pool_size = (size_t)opt;
	} else {
		long ram_pages = sysconf(_SC_PHYS_PAGES);
		unsigned long pages = ram_pages > 0 ? (unsigned long)ram_pages / (SZ_1G_ / SZ_128K_) : 0;

		if (pages > MAX_ORDER_NR_PAGES)
			pages = MAX_ORDER_NR_PAGES;
		atomic_pool_size = pages << PAGE_SHIFT;
		if (atomic_pool_size < SZ_128K_)
			atomic_pool_size = SZ_128K_;
	}
	for (int i = 0; i < KDMA_ATOMIC_POOL__COUNT; i++) {
		if (i == KDMA_ATOMIC_POOL_DMA && !zone_dma_exists())
			continue;
		pools[i].present = true;
		/* The kernel's boot line "DMA: preallocated %zu KiB %pGg pool for atomic
		 * allocations" is not printed: every program would show it. */
		atomic_pool_expand(&pools[i], atomic_pool_size);
	}
	atomic_store_explicit(&pools_ready, true, memory_order_release);
}

static struct atomic_pool *pool_get(enum kdma_atomic_pool_id id)
{
	pthread_once(&pools_once, atomic_pools_init);
	return pools[id].present ? &pools[id] : NULL;
}

/* atomic_pool_resize: grow by the current size while free space is below the target. */
static void atomic_pool_resize(struct atomic_pool *pool)
{
	size_t avail, size;

	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	avail = pool->avail;
	size = pool->size;
	pthread_mutex_unlock(&pool->lock);
	if (avail < atomic_pool_size)
		atomic_pool_expand(pool, size ? size : atomic_pool_size);
}

void kdma_atomic_pool_expand_now(void)
{
	pthread_mutex_lock(&resize_lock);
	for (int i = 0; i < KDMA_ATOMIC_POOL__COUNT; i++)
		atomic_pool_resize(pool_get(i));
	pthread_mutex_unlock(&resize_lock);
}

static void *atomic_pool_worker(void *arg)
{
	for (;;) {
		pthread_mutex_lock(&work_lock);
		while (!work_pending)
			pthread_cond_wait(&work_cond, &work_lock);
		work_pending = false;
		pthread_mutex_unlock(&work_lock);
		kdma_atomic_pool_expand_now();
	}
	return NULL;
}

static void schedule_atomic_pool_work(void)
{
	pthread_t thread;
	pthread_attr_t attr;

	pthread_mutex_lock(&work_lock);
	if (!worker_started) {
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		worker_started = pthread_create(&thread, &attr, atomic_pool_worker, NULL) == 0;
		pthread_attr_destroy(&attr);
	}
	work_pending = true;
	pthread_cond_signal(&work_cond);
	pthread_mutex_unlock(&work_lock);
}

/* gen_pool_alloc with gen_pool_first_fit_order_align. Called locked. */
static void *gen_pool_alloc_locked(struct atomic_pool *pool, size_t size)
{
	unsigned long nbits = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	unsigned int align_order = (unsigned int)get_order(size);

	for (struct gen_chunk *c = pool->chunks; c; c = c->next) {
		long pos = kdma_bitmap_alloc_region(c->bitmap, c->pages, nbits, align_order);

		if (pos >= 0) {
			pool->avail -= nbits << PAGE_SHIFT;
			return c->start + ((size_t)pos << PAGE_SHIFT);
		}
	}
	return NULL;
}

static struct gen_chunk *gen_pool_find_chunk(struct atomic_pool *pool, const void *start,
					     size_t size)
{
	const char *p = start;

	for (struct gen_chunk *c = pool->chunks; c; c = c->next)
		if (p >= c->start && p + size <= c->start + (c->pages << PAGE_SHIFT))
			return c;
	return NULL;
}

static void gen_pool_free_locked(struct atomic_pool *pool, struct gen_chunk *c, void *start,
				 size_t size)
{
	unsigned long nbits = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	kdma_bitmap_release_region(c->bitmap, (unsigned long)((char *)start - c->start) >> PAGE_SHIFT,
				   nbits);
	pool->avail += nbits << PAGE_SHIFT;
}

static struct page *__dma_alloc_from_pool(struct device *dev, size_t size,
					  struct atomic_pool *pool, void **cpu_addr,
					  bool (*phys_addr_ok)(struct device *, phys_addr_t, size_t))
{
	bool low;
	void *addr;

	pthread_mutex_lock(&pool->lock);
	addr = gen_pool_alloc_locked(pool, size);
	if (addr && phys_addr_ok && !phys_addr_ok(dev, kdma_virt_to_phys(addr), size)) {
		gen_pool_free_locked(pool, gen_pool_find_chunk(pool, addr, size), addr, size);
		addr = NULL;
	}
	if (addr)
		pool->nr_allocs++;
	low = pool->avail < atomic_pool_size;
	pthread_mutex_unlock(&pool->lock);
	if (!addr)
		return NULL;
	if (low)
		schedule_atomic_pool_work();
	vg_mark_undefined(addr, size);
	memset(addr, 0, size);
	*cpu_addr = addr;
	return virt_to_page(addr);
}

/* dma_guess_pool: the zone the gfp asks for first, then kernel → dma32 → dma. */
static struct atomic_pool *dma_guess_pool(struct atomic_pool *prev, gfp_t gfp)
{
	struct atomic_pool *kernel = pool_get(KDMA_ATOMIC_POOL_KERNEL);
	struct atomic_pool *dma32 = pool_get(KDMA_ATOMIC_POOL_DMA32);
	struct atomic_pool *dma = pool_get(KDMA_ATOMIC_POOL_DMA);

	if (!prev) {
		if (dma32 && (gfp & GFP_DMA32))
			return dma32;
		if (dma && (gfp & GFP_DMA))
			return dma;
		return kernel;
	}
	if (prev == kernel)
		return dma32 ? dma32 : dma;
	if (prev == dma32)
		return dma;
	return NULL;
}

struct page *dma_alloc_from_pool(struct device *dev, size_t size, void **cpu_addr, gfp_t gfp,
				 bool (*phys_addr_ok)(struct device *, phys_addr_t, size_t))
{
	struct atomic_pool *pool = NULL;
	struct page *page;

	if (!size || !cpu_addr)
		return NULL;
	while ((pool = dma_guess_pool(pool, gfp))) {
		page = __dma_alloc_from_pool(dev, size, pool, cpu_addr, phys_addr_ok);
		if (page)
			return page;
	}
	WARN(1, "Failed to get suitable pool for %s\n", dev ? dev_name(dev) : "(NULL device)");
	return NULL;
}

bool dma_free_from_pool(struct device *dev, void *start, size_t size)
{
	struct atomic_pool *pool = NULL;

	if (!atomic_load_explicit(&pools_ready, memory_order_acquire))
		return false;
	while ((pool = dma_guess_pool(pool, 0))) {
		struct gen_chunk *c;

		pthread_mutex_lock(&pool->lock);
		c = gen_pool_find_chunk(pool, start, size);
		if (c)
			gen_pool_free_locked(pool, c, start, size);
		pthread_mutex_unlock(&pool->lock);
		if (c)
			return true;
	}
	return false;
}

void kdma_atomic_pool_stats(enum kdma_atomic_pool_id id, struct kdma_atomic_pool_stats *st)
{
	struct atomic_pool *pool = pool_get(id);

	memset(st, 0, sizeof(*st));
	st->target = atomic_pool_size;
	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	st->present = true;
	st->size = pool->size;
	st->avail = pool->avail;
	st->nr_allocs = pool->nr_allocs;
	st->nr_expansions = pool->nr_expansions;
	pthread_mutex_unlock(&pool->lock);
}

/* fork (base/fork.c). The child has no worker thread: it starts its own when it needs one. */
void kdma_atomic_pool_fork_lock(void)
{
	pthread_mutex_lock(&resize_lock);
	pthread_mutex_lock(&work_lock);
	for (int i = 0; i < KDMA_ATOMIC_POOL__COUNT; i++)
		pthread_mutex_lock(&pools[i].lock);
}

void kdma_atomic_pool_fork_unlock(bool child)
{
	for (int i = KDMA_ATOMIC_POOL__COUNT; i-- > 0;)
		pthread_mutex_unlock(&pools[i].lock);
	if (child)
		worker_started = false;
	pthread_mutex_unlock(&work_lock);
	pthread_mutex_unlock(&resize_lock);
}
