/* SPDX-License-Identifier: MIT */
/*
 * dma_pool: small coherent blocks carved from chunks of max(size, PAGE_SIZE) bytes, as
 * mm/dmapool.c since 6.4 (one pool-wide LIFO free list, blocks never crossing `boundary`, chunks
 * kept until destroy). DMAPOOL_DEBUG is always on: fresh chunks are filled with 0xa7, allocated
 * blocks with 0xa9; writes to free blocks are found at allocation, bad/double frees at free, and
 * each finding is a kernel message plus a pool hook event for the sanitizer.
 *
 * Allocation and free cost no list scan: chunks are found by binary search in two arrays sorted
 * by CPU and by DMA address, and each chunk keeps one "allocated" bit per block, so a double free
 * is a bit test rather than a walk of the free list.
 *
 * Chunks come from the internal, unhooked coherent allocator: the sanitizer sees pool blocks as
 * KDMA_TYPE_POOL through the pool hook, not the chunks as coherent allocations.
 *
 * Under Valgrind each pool is a memcheck mempool anchored on its struct: allocated blocks are its
 * chunks (undefined unless zeroed: the 0xa9 poison is not data the driver wrote), everything else
 * in a chunk is NOACCESS, so a use after dma_pool_free is memcheck's "Invalid read/write" with the
 * free and alloc stacks. The pool's own reads and writes of free blocks open exactly the bytes
 * they touch (pool_open/pool_close). The requests are no-ops natively.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <linux/dmapool.h>
#include <linux/mm.h>

#include "base/fork.h"
#include "base/vg.h"
#include "dma/dma.h"

#define POOL_POISON_FREED 0xa7     /* !inuse */
#define POOL_POISON_ALLOCATED 0xa9 /* !initted */
#define POOL_HEXDUMP_MAX 256       /* bytes of a corrupted block shown (the kernel shows all) */

/* A free block's first bytes (16 on 64-bit): the minimum block size. */
/* Packed: with align=1 and an odd size, blocks (and so these links) sit at any byte offset, as in
 * the kernel; the compiler then reads them without assuming alignment. */
struct dma_block {
	struct dma_block *next_block;
	dma_addr_t dma;
} __attribute__((packed));

struct dma_page {
	void *vaddr;
	dma_addr_t dma;
	unsigned long allocated[]; /* one bit per block, by pool_block_index */
};

struct dma_pool {
	pthread_mutex_t lock; /* the kernel's pool spinlock */
	struct dma_page **by_vaddr; /* nr_pages chunks sorted by vaddr */
	struct dma_page **by_dma;   /* the same chunks sorted by dma */
	size_t pages_cap;
	struct dma_block *next_block;
	size_t nr_blocks;
	size_t nr_active;
	size_t nr_pages;
	struct device *dev;
	unsigned int size;
	unsigned int allocation;
	unsigned int boundary;
	char name[32];
	struct list_head pools; /* on dev->dma_pools */
};

/* Guards every dev->dma_pools list (pools_lock in the kernel; creation/destroy only). */
static pthread_mutex_t pools_lock = PTHREAD_MUTEX_INITIALIZER;

/* Every live pool: the pool functions touch nothing (not even the pool's lock) that is not in
 * it, so a garbage or destroyed pool is a message and a refusal rather than a crash or hang. */
static struct kdma_ptrset live_pools = KDMA_PTRSET_INIT;

static bool pool_ok(struct dma_pool *pool, const char *fn)
{
	enum kdma_ptr_state st;

	if (!pool || IS_ERR(pool)) { /* dma_pool_destroy(NULL) returned before: legal there */
		kdma_warn(NULL, "%s: %s pool", fn, pool ? "ERR_PTR" : "NULL");
		kdma_hooks_ensure();
		KDMA_HOOK(bad_object, pool, KDMA_OBJ_POOL, false, fn);
		return false;
	}
	st = kdma_ptrset_state(&live_pools, pool);
	if (st == KDMA_PTR_LIVE)
		return true;
	kdma_bad_object(pool, KDMA_OBJ_POOL, st, fn);
	return false;
}

static void pool_list_add(struct list_head *entry, struct list_head *head)
{
	if (!head->next) /* a device nobody initialised the list of */
		head->next = head->prev = head;
	entry->next = head->next;
	entry->prev = head;
	head->next->prev = entry;
	head->next = entry;
}

static void pool_list_del(struct list_head *entry)
{
	if (entry->next) {
		entry->next->prev = entry->prev;
		entry->prev->next = entry->next;
	}
	entry->next = entry->prev = NULL;
}

static void pool_hook(struct dma_pool *pool, enum kdma_pool_event ev, const void *vaddr,
		      dma_addr_t dma)
{
	KDMA_HOOK(pool, pool, pool->dev, pool->name, ev, vaddr, dma, pool->size);
}

/*
 * Free blocks are NOACCESS to memcheck; the pool opens the bytes it reads or writes in them and
 * closes them again, rather than disabling error reporting around its accesses, which would hide
 * every error of any kind in that code (a pool bug reading past a block included). The price:
 * for the few instructions the bytes are open, under the pool lock, another thread's access to
 * those very bytes goes unreported.
 */
static void pool_open(const void *p, size_t len)
{
	vg_mark_defined(p, len);
}

static void pool_close(const void *p, size_t len)
{
	vg_mark_noaccess(p, len);
}

struct dma_pool *dma_pool_create_node(const char *name, struct device *dev, size_t size,
				      size_t align, size_t boundary, int node)
{
	struct dma_pool *pool;
	size_t allocation;

	if (!kdma_check_dev(dev, __func__))
		return NULL;
	kdma_hooks_init();
	if (align == 0)
		align = 1;
	else if (align & (align - 1))
		return NULL;
	if (size == 0 || size > INT_MAX)
		return NULL;
	if (size < sizeof(struct dma_block))
		size = sizeof(struct dma_block);
	size = (size + align - 1) & ~(align - 1);
	allocation = size > PAGE_SIZE ? size : PAGE_SIZE;
	if (!boundary)
		boundary = allocation;
	else if (boundary < size || (boundary & (boundary - 1)))
		return NULL;
	if (boundary > allocation)
		boundary = allocation;

	pool = kdma_zalloc(sizeof(*pool));
	if (!pool)
		return NULL;
	if (kdma_ptrset_add(&live_pools, pool)) {
		kdma_free(pool);
		return NULL;
	}
	snprintf(pool->name, sizeof(pool->name), "%s", name ? name : "(null)");
	pthread_mutex_init(&pool->lock, NULL);
	pool->dev = dev;
	pool->size = (unsigned int)size;
	pool->allocation = (unsigned int)allocation;
	pool->boundary = (unsigned int)boundary;

	pthread_mutex_lock(&pools_lock);
	pool_list_add(&pool->pools, &dev->dma_pools);
	pthread_mutex_unlock(&pools_lock);
	vg_mempool_create(pool);
	pool_hook(pool, KDMA_POOL_CREATE, NULL, 0);
	return pool;
}

void kdma_dev_unlink_pools(struct device *dev)
{
	pthread_mutex_lock(&pools_lock);
	while (dev->dma_pools.next && dev->dma_pools.next != &dev->dma_pools)
		pool_list_del(dev->dma_pools.next);
	pthread_mutex_unlock(&pools_lock);
}

struct dma_pool *dma_pool_create(const char *name, struct device *dev, size_t size, size_t align,
				 size_t boundary)
{
	return dma_pool_create_node(name, dev, size, align, boundary, -1);
}

void dma_pool_destroy(struct dma_pool *pool)
{
	bool busy, dev_gone;

	if (!pool)
		return;
	if (!pool_ok(pool, __func__))
		return;
	kdma_ptrset_del(&live_pools, pool);
	pthread_mutex_lock(&pools_lock);
	pool_list_del(&pool->pools);
	pthread_mutex_unlock(&pools_lock);

	/* The device went first (the kernel would touch the freed device here): its busy blocks
	 * were reported as leaks at its destruction; say what the driver did wrong, and keep
	 * the chunks, whose device is gone. */
	dev_gone = pool->dev && kdma_dev_state(pool->dev) == KDMA_PTR_DEAD;
	busy = pool->nr_active != 0;
	if (dev_gone) {
		kdma_warn(NULL, "dma_pool_destroy: pool %s outlived its device %p; destroy pools "
			  "before the device", pool->name, (void *)pool->dev);
		KDMA_HOOK(bad_object, pool->dev, KDMA_OBJ_DEVICE, true, __func__);
		busy = true;
	} else if (busy) {
		dev_err(pool->dev, "dma_pool_destroy %s busy\n", pool->name);
	}
	pool_hook(pool, busy && !dev_gone ? KDMA_POOL_DESTROY_BUSY : KDMA_POOL_DESTROY, NULL, 0);
	/* Busy: the chunks leak, so memcheck keeps the blocks in use as allocated and never freed
	 * (the leak check lists them with their dma_pool_alloc stacks); the mempool moves to the
	 * first leaked chunk, an anchor nothing else can take, since the struct is freed below.
	 * Otherwise the chunks go back NOACCESS: their allocator makes what it hands out again
	 * addressable, and until then a use after destroy is an invalid access. */
	if (busy && pool->nr_pages)
		vg_mempool_move(pool, pool->by_vaddr[0]->vaddr);
	else
		vg_mempool_destroy(pool);
	for (size_t i = 0; i < pool->nr_pages; i++) {
		struct dma_page *page = pool->by_vaddr[i];

		/* Busy: the device may still use the blocks, so the chunks are leaked on purpose. */
		if (!busy)
			kdma_free_attrs_nohook(pool->dev, pool->allocation, page->vaddr, page->dma, 0);
		kdma_free(page);
	}
	kdma_free(pool->by_vaddr);
	kdma_free(pool->by_dma);
	pthread_mutex_destroy(&pool->lock);
	kdma_free(pool);
}

static bool page_vaddr_below(const struct dma_page *page, const void *vaddr)
{
	return (const char *)page->vaddr < (const char *)vaddr;
}

static bool page_dma_below(const struct dma_page *page, dma_addr_t dma)
{
	return page->dma < dma;
}

/* Index of the first chunk of `sorted` not below the key (lower bound). */
#define PAGES_LOWER_BOUND(sorted, n, below, key)                        \
	({                                                              \
		size_t lo_ = 0, hi_ = (n);                              \
		while (lo_ < hi_) {                                     \
			size_t mid_ = lo_ + (hi_ - lo_) / 2;            \
			if (below((sorted)[mid_], key))                 \
				lo_ = mid_ + 1;                         \
			else                                            \
				hi_ = mid_;                             \
		}                                                       \
		lo_;                                                    \
	})

static void pages_insert(struct dma_page **sorted, size_t n, size_t at, struct dma_page *page)
{
	memmove(&sorted[at + 1], &sorted[at], (n - at) * sizeof(*sorted));
	sorted[at] = page;
}

/* Room for one more chunk in both sorted arrays. Called locked; false when out of memory. */
static bool pool_pages_reserve(struct dma_pool *pool)
{
	struct dma_page **by_vaddr, **by_dma;
	size_t cap = pool->pages_cap ? pool->pages_cap * 2 : 8;

	if (pool->nr_pages < pool->pages_cap)
		return true;
	by_vaddr = kdma_zalloc(cap * sizeof(*by_vaddr));
	by_dma = kdma_zalloc(cap * sizeof(*by_dma));
	if (!by_vaddr || !by_dma) {
		kdma_free(by_vaddr);
		kdma_free(by_dma);
		return false;
	}
	if (pool->nr_pages) {
		memcpy(by_vaddr, pool->by_vaddr, pool->nr_pages * sizeof(*by_vaddr));
		memcpy(by_dma, pool->by_dma, pool->nr_pages * sizeof(*by_dma));
	}
	kdma_free(pool->by_vaddr);
	kdma_free(pool->by_dma);
	pool->by_vaddr = by_vaddr;
	pool->by_dma = by_dma;
	pool->pages_cap = cap;
	return true;
}

/* The chunk whose CPU range holds vaddr, or NULL. Called locked. */
static struct dma_page *pool_find_vaddr(struct dma_pool *pool, const void *vaddr)
{
	size_t i = PAGES_LOWER_BOUND(pool->by_vaddr, pool->nr_pages, page_vaddr_below,
				     (const char *)vaddr + 1);
	struct dma_page *page = i ? pool->by_vaddr[i - 1] : NULL;

	if (page && (const char *)vaddr < (char *)page->vaddr + pool->allocation)
		return page;
	return NULL;
}

/* The chunk whose DMA range holds dma, or NULL. Called locked. */
static struct dma_page *pool_find_dma(struct dma_pool *pool, dma_addr_t dma)
{
	size_t i = PAGES_LOWER_BOUND(pool->by_dma, pool->nr_pages, page_dma_below, dma + 1);
	struct dma_page *page = i ? pool->by_dma[i - 1] : NULL;

	if (page && dma - page->dma < pool->allocation)
		return page;
	return NULL;
}

/* The number of a block in its chunk, from its offset (the layout of pool_initialise_page). */
static size_t pool_block_index(struct dma_pool *pool, size_t offset)
{
	return offset / pool->boundary * (pool->boundary / pool->size) +
	       offset % pool->boundary / pool->size;
}

static bool block_allocated(struct dma_pool *pool, struct dma_page *page, size_t offset)
{
	size_t i = pool_block_index(pool, offset);

	return page->allocated[i / BITS_PER_LONG] & (1UL << (i % BITS_PER_LONG));
}

static void block_set_allocated(struct dma_pool *pool, struct dma_page *page, size_t offset,
				bool allocated)
{
	size_t i = pool_block_index(pool, offset);

	if (allocated)
		page->allocated[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
	else
		page->allocated[i / BITS_PER_LONG] &= ~(1UL << (i % BITS_PER_LONG));
}

/* Link the blocks of a fresh chunk, in address order, in front of the free list, and file the
 * chunk in the sorted arrays (room reserved by the caller). Called locked. */
static void pool_initialise_page(struct dma_pool *pool, struct dma_page *page)
{
	unsigned int next_boundary = pool->boundary, offset = 0;
	struct dma_block *block, *first = NULL, *last = NULL;

	while (offset + pool->size <= pool->allocation) {
		if (offset + pool->size > next_boundary) {
			offset = next_boundary;
			next_boundary += pool->boundary;
			continue;
		}
		block = (struct dma_block *)((char *)page->vaddr + offset);
		block->dma = page->dma + offset;
		block->next_block = NULL;
		if (last)
			last->next_block = block;
		else
			first = block;
		last = block;
		offset += pool->size;
		pool->nr_blocks++;
	}
	last->next_block = pool->next_block;
	/* the whole chunk is free now: no access but the pool's own */
	pool_close(page->vaddr, pool->allocation);
	pool->next_block = first;
	pages_insert(pool->by_vaddr, pool->nr_pages,
		     PAGES_LOWER_BOUND(pool->by_vaddr, pool->nr_pages, page_vaddr_below, page->vaddr),
		     page);
	pages_insert(pool->by_dma, pool->nr_pages,
		     PAGES_LOWER_BOUND(pool->by_dma, pool->nr_pages, page_dma_below, page->dma), page);
	pool->nr_pages++;
}

static struct dma_page *pool_alloc_page(struct dma_pool *pool, gfp_t gfp)
{
	size_t bits = pool->allocation / pool->size + 1; /* > the highest pool_block_index */
	struct dma_page *page = kdma_zalloc(sizeof(*page) + BITS_TO_LONGS(bits) * sizeof(long));

	if (!page)
		return NULL;
	page->vaddr = kdma_alloc_attrs_nohook(pool->dev, pool->allocation, &page->dma, gfp, 0);
	if (!page->vaddr) {
		kdma_free(page);
		return NULL;
	}
	/* ours from here on, whatever state its last user left it in */
	vg_mark_undefined(page->vaddr, pool->allocation);
	memset(page->vaddr, POOL_POISON_FREED, pool->allocation);
	return page;
}

static void pool_hexdump(struct dma_pool *pool, const u8 *data)
{
	unsigned int len = pool->size < POOL_HEXDUMP_MAX ? pool->size : POOL_HEXDUMP_MAX;
	char line[16 * 3 + 16];

	for (unsigned int off = 0; off < len; off += 16) {
		size_t n = 0;

		for (unsigned int i = off; i < len && i < off + 16; i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %02x", data[i]);
		dev_err(pool->dev, "%08x:%s\n", off, line);
	}
}

/* Does `offset` in a chunk start a block (the layout of pool_initialise_page)? */
static bool pool_offset_is_block(struct dma_pool *pool, size_t offset)
{
	size_t in_boundary = offset % pool->boundary;

	return offset < pool->allocation && in_boundary % pool->size == 0 &&
	       in_boundary + pool->size <= pool->boundary;
}

/* A free block's header as dma_pool_free wrote it: a link to another free block of this pool
 * and the block's own dma. Only a write after free breaks it. */
static bool pool_header_ok(struct dma_pool *pool, struct dma_page *page, struct dma_block *block)
{
	struct dma_block *next = block->next_block;
	size_t offset = (size_t)((char *)block - (char *)page->vaddr);

	if (block->dma != page->dma + offset)
		return false;
	if (!next)
		return true;
	page = pool_find_vaddr(pool, next);
	if (!page)
		return false;
	offset = (size_t)((char *)next - (char *)page->vaddr);
	return pool_offset_is_block(pool, offset) && !block_allocated(pool, page, offset);
}

/*
 * Take the head of the free list. Called locked. The kernel trusts the header of the free
 * block; here a header overwritten after free (*corrupted set) cuts the list after this block
 * and its dma is recomputed, so a driver bug leaks blocks instead of crashing the allocator.
 * The block leaves the free list open (defined) for the poison check.
 */
static struct dma_block *pool_block_pop(struct dma_pool *pool, bool *corrupted)
{
	struct dma_block *block = pool->next_block;

	if (block) {
		struct dma_page *page = pool_find_vaddr(pool, block);
		size_t offset = (size_t)((char *)block - (char *)page->vaddr);

		pool_open(block, pool->size);
		if (!pool_header_ok(pool, page, block)) {
			*corrupted = true;
			block->next_block = NULL;
			block->dma = page->dma + offset;
		}
		block_set_allocated(pool, page, offset, true);
		pool->next_block = block->next_block;
		pool->nr_active++;
	}
	return block;
}

static void pool_report_corrupted(struct dma_pool *pool, struct dma_block *block)
{
	dev_err(pool->dev, "dma_pool_alloc %s, %p (corrupted)\n", pool->name, (void *)block);
	pool_hexdump(pool, (const u8 *)block);
	pool_hook(pool, KDMA_POOL_CORRUPTED, block, block->dma);
}

/* A free block must still hold 0xa7 past its header: anything else was written after free. */
static void pool_check_block(struct dma_pool *pool, struct dma_block *block, gfp_t gfp,
			     bool header_corrupted)
{
	const u8 *data = (const u8 *)block;
	unsigned int i = sizeof(struct dma_block);

	while (i < pool->size && data[i] == POOL_POISON_FREED)
		i++;
	if (header_corrupted || i < pool->size)
		pool_report_corrupted(pool, block);
	if (!(gfp & __GFP_ZERO))
		memset(block, POOL_POISON_ALLOCATED, pool->size);
}

void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle)
{
	struct dma_block *block;
	struct dma_page *page;
	bool corrupted = false;
	dma_addr_t dma;

	/* a pool the driver never destroyed outlives its device: it cannot allocate any more */
	if (!pool_ok(pool, __func__) || !kdma_check_dev(pool->dev, __func__))
		return NULL;
	if (!handle) {
		kdma_warn(pool->dev, "dma_pool_alloc: NULL handle");
		return NULL;
	}
	pthread_mutex_lock(&pool->lock);
	block = pool_block_pop(pool, &corrupted);
	if (!block) {
		/* The chunk is allocated unlocked, as the kernel drops its spinlock to do so. */
		pthread_mutex_unlock(&pool->lock);
		page = pool_alloc_page(pool, mem_flags & ~__GFP_ZERO);
		if (!page)
			return NULL;
		pthread_mutex_lock(&pool->lock);
		if (!pool_pages_reserve(pool)) {
			pthread_mutex_unlock(&pool->lock);
			kdma_free_attrs_nohook(pool->dev, pool->allocation, page->vaddr, page->dma,
					       0);
			kdma_free(page);
			return NULL;
		}
		pool_initialise_page(pool, page);
		block = pool_block_pop(pool, &corrupted);
	}
	pthread_mutex_unlock(&pool->lock);

	dma = block->dma;
	pool_check_block(pool, block, mem_flags, corrupted);
	/* a memcheck chunk from here: undefined (the 0xa9 poison is not the driver's data) */
	vg_mempool_chunk_alloc(pool, block, pool->size);
	if (mem_flags & __GFP_ZERO)
		memset(block, 0, pool->size);
	*handle = dma;
	pool_hook(pool, KDMA_POOL_ALLOC, block, dma);
	return block;
}

void *dma_pool_zalloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle)
{
	return dma_pool_alloc(pool, mem_flags | __GFP_ZERO, handle);
}

/*
 * Why the pair (vaddr, dma) cannot be freed, or KDMA_POOL_FREE if it can. Called locked. Order as
 * the kernel's checks: the chunk holding dma, the CPU address matching it ("bad vaddr", the
 * pre-6.4 check), then the block's allocated bit for a double free (the kernel scans its free
 * list). A dma inside a chunk that does not start a block is "bad dma" too: pushing it would
 * corrupt the free list. *pagep: the chunk, when there is one.
 */
static enum kdma_pool_event pool_block_err(struct dma_pool *pool, void *vaddr, dma_addr_t dma,
					   struct dma_page **pagep)
{
	struct dma_page *page = pool_find_dma(pool, dma);
	size_t offset;

	if (!page)
		return KDMA_POOL_BAD_DMA;
	offset = dma - page->dma;
	if (!pool_offset_is_block(pool, offset))
		return KDMA_POOL_BAD_DMA;
	if ((char *)vaddr != (char *)page->vaddr + offset)
		return KDMA_POOL_BAD_VADDR;
	*pagep = page;
	if (!block_allocated(pool, page, offset))
		return KDMA_POOL_ALREADY_FREE;
	return KDMA_POOL_FREE;
}

static void pool_report_free_err(struct dma_pool *pool, enum kdma_pool_event ev, void *vaddr,
				 dma_addr_t dma)
{
	unsigned long long d = dma;

	if (ev == KDMA_POOL_BAD_DMA)
		dev_err(pool->dev, "dma_pool_free %s, %p/0x%016llx (bad dma)\n", pool->name, vaddr, d);
	else if (ev == KDMA_POOL_BAD_VADDR)
		dev_err(pool->dev, "dma_pool_free %s, %p (bad vaddr)/0x%016llx\n", pool->name, vaddr,
			d);
	else
		dev_err(pool->dev, "dma_pool_free %s, dma 0x%016llx already free\n", pool->name, d);
	pool_hook(pool, ev, vaddr, dma);
}

void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t dma)
{
	struct dma_page *page = NULL;
	enum kdma_pool_event ev;

	if (!pool_ok(pool, __func__))
		return;
	/* Check, report the free to the sanitizer with no lock held, then free under the lock
	 * (rechecking: another thread may have freed the same block meanwhile). The block goes
	 * back on the list only after the hook, so its next allocation is reported after it. */
	pthread_mutex_lock(&pool->lock);
	ev = pool_block_err(pool, vaddr, dma, &page);
	pthread_mutex_unlock(&pool->lock);
	if (ev != KDMA_POOL_FREE) {
		pool_report_free_err(pool, ev, vaddr, dma);
		return;
	}
	pool_hook(pool, KDMA_POOL_FREE, vaddr, dma);

	pthread_mutex_lock(&pool->lock);
	ev = pool_block_err(pool, vaddr, dma, &page);
	if (ev == KDMA_POOL_FREE) {
		struct dma_block *block = vaddr;

		block_set_allocated(pool, page, dma - page->dma, false);
		memset(block, POOL_POISON_FREED, pool->size);
		block->dma = dma;
		block->next_block = pool->next_block;
		pool->next_block = block;
		pool->nr_active--;
		/* before the unlock: the next pop must find it closed */
		vg_mempool_chunk_free(pool, block);
	}
	pthread_mutex_unlock(&pool->lock);
	if (ev != KDMA_POOL_FREE)
		pool_report_free_err(pool, ev, vaddr, dma);
}

void kdma_dma_pool_stats(struct dma_pool *pool, struct kdma_dma_pool_stats *st)
{
	pthread_mutex_lock(&pool->lock);
	st->nr_blocks = pool->nr_blocks;
	st->nr_active = pool->nr_active;
	st->nr_pages = pool->nr_pages;
	st->size = pool->size;
	st->allocation = pool->allocation;
	st->boundary = pool->boundary;
	pthread_mutex_unlock(&pool->lock);
}

struct device *kdma_dma_pool_dev(struct dma_pool *pool)
{
	return pool->dev;
}

/* The kernel's sysfs "pools" file of a device (pools_show): a header line, then per pool its
 * name, blocks in use, blocks, block size and chunks. Returns the length written (snprintf
 * semantics: the length needed when buf is too small). */
size_t kdma_dma_pools_show(struct device *dev, char *buf, size_t len)
{
	size_t n = 0;

	n += (size_t)snprintf(buf, len, "poolinfo - 0.1\n");
	pthread_mutex_lock(&pools_lock);
	for (struct list_head *e = dev->dma_pools.next; e && e != &dev->dma_pools; e = e->next) {
		struct dma_pool *pool = (struct dma_pool *)((char *)e - offsetof(struct dma_pool, pools));

		pthread_mutex_lock(&pool->lock);
		n += (size_t)snprintf(buf + (n < len ? n : len), n < len ? len - n : 0,
				      "%-16s %4zu %4zu %4u %2zu\n", pool->name, pool->nr_active,
				      pool->nr_blocks, pool->size, pool->nr_pages);
		pthread_mutex_unlock(&pool->lock);
	}
	pthread_mutex_unlock(&pools_lock);
	return n;
}

/* fork (base/fork.c). */
void kdma_dmapool_fork_lock(void)
{
	pthread_mutex_lock(&pools_lock);
}

void kdma_dmapool_fork_unlock(bool child)
{
	pthread_mutex_unlock(&pools_lock);
}
