/* SPDX-License-Identifier: MIT */
/*
 * IOVA allocator after drivers/iommu/iova.c: a tree of allocated ranges searched top-down, and
 * per-CPU range caches ("rcache": loaded/prev magazines of 127 pfns per size class, plus a depot
 * of full magazines) in front of it.
 *
 * The tree is libbsd's red-black tree (<bsd/sys/tree.h>, a maintained BSD implementation) with its
 * RB_AUGMENT hook keeping, per node, the largest free gap in the subtree. Each node stores the gap
 * between its predecessor and itself, so the highest gap that fits under a limit is found in
 * O(log n) instead of the kernel's linear walk back from a cached node. The result is the same
 * top-down placement policy: the highest aligned range below the limit.
 */
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "iommu/iova.h"

struct iova {
	struct {
		struct iova *rbe_left, *rbe_right, *rbe_parent;
		int rbe_color;
	} link;                /* RB_ENTRY(iova), spelled out because tree.h comes after */
	unsigned long pfn_lo, pfn_hi;
	unsigned long gap;     /* free granules between the previous range (or start_pfn) and pfn_lo */
	unsigned long max_gap; /* largest gap in this subtree */
};

static void iova_augment(struct iova *n);
#define RB_AUGMENT(x) iova_augment(x)
#include <bsd/sys/tree.h>

RB_HEAD(iova_tree, iova);

static int iova_cmp(const struct iova *a, const struct iova *b)
{
	return a->pfn_lo < b->pfn_lo ? -1 : a->pfn_lo > b->pfn_lo;
}

RB_GENERATE_INTERNAL(iova_tree, iova, link, iova_cmp, static __attribute__((unused)))

struct iova_magazine {
	unsigned long size;
	struct iova_magazine *next; /* depot link */
	unsigned long pfns[IOVA_MAG_SIZE];
};

struct iova_cpu_rcache {
	pthread_mutex_t lock;
	struct iova_magazine *loaded, *prev;
} __attribute__((aligned(64)));

struct iova_rcache {
	pthread_mutex_t lock; /* depot */
	unsigned long depot_size;
	struct iova_magazine *depot;
	struct iova_cpu_rcache *cpu;
};

struct iova_domain {
	pthread_mutex_t tree_lock;
	struct iova_tree tree;
	struct iova anchor; /* pfn_lo = pfn_hi = ~0: its gap is the free space above every range */
	unsigned long start_pfn;
	unsigned long dma_32bit_pfn;
	unsigned long max32_alloc_size; /* smallest size that failed below 4 GiB since the last free */
	unsigned long nr_ranges;
	unsigned long used_pfns, max_used_pfns; /* granules in the tree (ranges in the rcaches too) */
	int nr_cpus;
	struct iova_rcache rcaches[IOVA_RANGE_CACHE_MAX_SIZE];
};

/* Recompute max_gap from n upwards. libbsd calls the hook on every node whose children change
 * (linking, unlinking, both nodes of a rotation and the rotated subtree's new parent) but does not
 * propagate; we propagate while the value changes. Stopping at an unchanged node is sound because
 * a parent depends only on its children's values and its own links, and any parent whose links
 * change gets its own call. */
static void iova_augment(struct iova *n)
{
	for (; n; n = RB_PARENT(n, link)) {
		unsigned long m = n->gap;
		struct iova *l = RB_LEFT(n, link), *r = RB_RIGHT(n, link);

		if (l && l->max_gap > m)
			m = l->max_gap;
		if (r && r->max_gap > m)
			m = r->max_gap;
		if (m == n->max_gap)
			return;
		n->max_gap = m;
	}
}

/* ------------------------------------------------------------------ the tree (slow path) -- */

/* The highest aligned start of `size` granules in the free space just below n, ending at or
 * below limit. */
static bool fit_below(const struct iova *n, unsigned long size, unsigned long limit,
		      unsigned long align_mask, unsigned long *out)
{
	unsigned long lo = n->pfn_lo - n->gap, hi, pfn;

	if (n->gap < size || lo > limit)
		return false;
	hi = n->pfn_lo - 1 < limit ? n->pfn_lo - 1 : limit;
	if (hi - lo + 1 < size)
		return false;
	pfn = (hi + 1 - size) & align_mask;
	if (pfn < lo)
		return false;
	*out = pfn;
	return true;
}

/* Reverse in-order search, pruned by max_gap and by the limit: the first fit is the highest. */
static struct iova *find_fit(struct iova *n, unsigned long size, unsigned long limit,
			     unsigned long align_mask, unsigned long *out)
{
	struct iova *r;

	if (!n || n->max_gap < size)
		return NULL;
	if (n->pfn_lo - n->gap <= limit) {
		r = find_fit(RB_RIGHT(n, link), size, limit, align_mask, out);
		if (r)
			return r;
		if (fit_below(n, size, limit, align_mask, out))
			return n;
	}
	return find_fit(RB_LEFT(n, link), size, limit, align_mask, out);
}

unsigned long alloc_iova(struct iova_domain *iovad, unsigned long size, unsigned long limit_pfn,
			 bool size_aligned)
{
	unsigned long align_mask, pfn = 0;
	struct iova *succ, *new;

	if (!size || size > limit_pfn)
		return 0; /* pfn 0 is never free, so more than limit_pfn granules never fit */
	if (size_aligned && iova_order_base_2(size) >= 64)
		return 0; /* aligned to 2^64 granules: only pfn 0, which is never free */
	align_mask = size_aligned ? ~0UL << iova_order_base_2(size) : ~0UL;
	new = calloc(1, sizeof(*new));
	if (!new)
		return 0;
	if (limit_pfn >= iovad->anchor.pfn_lo)
		limit_pfn = iovad->anchor.pfn_lo - 1;

	pthread_mutex_lock(&iovad->tree_lock);
	if (limit_pfn < iovad->dma_32bit_pfn && size >= iovad->max32_alloc_size)
		goto full;
	succ = find_fit(RB_ROOT(&iovad->tree), size, limit_pfn, align_mask, &pfn);
	if (!succ)
		goto full;
	new->pfn_lo = pfn;
	new->pfn_hi = pfn + size - 1;
	new->gap = pfn - (succ->pfn_lo - succ->gap);
	new->max_gap = new->gap;
	succ->gap = succ->pfn_lo - new->pfn_hi - 1;
	iova_tree_RB_INSERT(&iovad->tree, new);
	iova_augment(succ);
	iovad->nr_ranges++;
	iovad->used_pfns += size;
	if (iovad->used_pfns > iovad->max_used_pfns)
		iovad->max_used_pfns = iovad->used_pfns;
	pthread_mutex_unlock(&iovad->tree_lock);
	return pfn;

full:
	if (limit_pfn < iovad->dma_32bit_pfn)
		iovad->max32_alloc_size = size;
	pthread_mutex_unlock(&iovad->tree_lock);
	free(new);
	return 0;
}

bool free_iova(struct iova_domain *iovad, unsigned long pfn)
{
	struct iova *n, *found = NULL, *succ;

	pthread_mutex_lock(&iovad->tree_lock);
	for (n = RB_ROOT(&iovad->tree); n;) {
		if (n->pfn_lo <= pfn) {
			found = n;
			n = RB_RIGHT(n, link);
		} else {
			n = RB_LEFT(n, link);
		}
	}
	if (!found || found == &iovad->anchor || pfn > found->pfn_hi) {
		pthread_mutex_unlock(&iovad->tree_lock);
		return false;
	}
	succ = iova_tree_RB_NEXT(found);
	succ->gap += found->gap + (found->pfn_hi - found->pfn_lo + 1);
	iova_tree_RB_REMOVE(&iovad->tree, found);
	iova_augment(succ);
	iovad->nr_ranges--;
	iovad->used_pfns -= found->pfn_hi - found->pfn_lo + 1;
	if (found->pfn_hi < iovad->dma_32bit_pfn)
		iovad->max32_alloc_size = iovad->dma_32bit_pfn;
	pthread_mutex_unlock(&iovad->tree_lock);
	free(found);
	return true;
}

/* --------------------------------------------------------------- per-CPU range caches -- */

static bool mag_full(const struct iova_magazine *mag)
{
	return mag && mag->size == IOVA_MAG_SIZE;
}

static bool mag_empty(const struct iova_magazine *mag)
{
	return !mag || mag->size == 0;
}

/* The highest-placed cached pfn whose range ends at or below the limit (kernel: scan from the
 * top, remove by swapping in the last element). */
static unsigned long mag_pop(struct iova_magazine *mag, unsigned long max_pfn_lo)
{
	unsigned long i = mag->size, pfn;

	do {
		if (i == 0)
			return 0;
		i--;
	} while (mag->pfns[i] > max_pfn_lo);
	pfn = mag->pfns[i];
	mag->pfns[i] = mag->pfns[--mag->size];
	return pfn;
}

static void mag_release(struct iova_domain *iovad, struct iova_magazine *mag)
{
	if (!mag)
		return;
	for (unsigned long i = 0; i < mag->size; i++)
		free_iova(iovad, mag->pfns[i]);
	free(mag);
}

static struct iova_cpu_rcache *this_cpu_rcache(struct iova_domain *iovad, struct iova_rcache *rc)
{
	int cpu = sched_getcpu();

	return &rc->cpu[(cpu < 0 ? 0 : cpu) % iovad->nr_cpus];
}

static void swap_mags(struct iova_cpu_rcache *c)
{
	struct iova_magazine *t = c->loaded;

	c->loaded = c->prev;
	c->prev = t;
}

static bool iova_rcache_insert(struct iova_domain *iovad, unsigned long pfn, unsigned long size)
{
	unsigned long log = iova_order_base_2(size);
	struct iova_magazine *victim = NULL, *fresh;
	struct iova_rcache *rc;
	struct iova_cpu_rcache *c;
	bool can_insert = false;

	if (log >= IOVA_RANGE_CACHE_MAX_SIZE)
		return false;
	rc = &iovad->rcaches[log];
	c = this_cpu_rcache(iovad, rc);
	pthread_mutex_lock(&c->lock);
	if (!c->loaded)
		c->loaded = calloc(1, sizeof(*c->loaded));
	if (!c->loaded) {
		/* no memory: the range goes back to the tree */
	} else if (!mag_full(c->loaded)) {
		can_insert = true;
	} else if (!mag_full(c->prev) && (c->prev || (c->prev = calloc(1, sizeof(*c->prev))))) {
		swap_mags(c);
		can_insert = true;
	} else if ((fresh = calloc(1, sizeof(*fresh)))) {
		pthread_mutex_lock(&rc->lock);
		c->loaded->next = rc->depot;
		rc->depot = c->loaded;
		if (++rc->depot_size > IOVA_DEPOT_MAX) {
			victim = rc->depot;
			rc->depot = victim->next;
			rc->depot_size--;
		}
		pthread_mutex_unlock(&rc->lock);
		c->loaded = fresh;
		can_insert = true;
	}
	if (can_insert)
		c->loaded->pfns[c->loaded->size++] = pfn;
	pthread_mutex_unlock(&c->lock);
	mag_release(iovad, victim);
	return can_insert;
}

static unsigned long iova_rcache_get(struct iova_domain *iovad, unsigned long size,
				     unsigned long limit_pfn)
{
	unsigned long log = iova_order_base_2(size), pfn = 0;
	struct iova_magazine *empty = NULL;
	struct iova_rcache *rc;
	struct iova_cpu_rcache *c;
	bool has_pfn = false;

	if (log >= IOVA_RANGE_CACHE_MAX_SIZE || limit_pfn + 1 < size)
		return 0;
	rc = &iovad->rcaches[log];
	c = this_cpu_rcache(iovad, rc);
	pthread_mutex_lock(&c->lock);
	if (!mag_empty(c->loaded)) {
		has_pfn = true;
	} else if (!mag_empty(c->prev)) {
		swap_mags(c);
		has_pfn = true;
	} else {
		pthread_mutex_lock(&rc->lock);
		if (rc->depot) {
			empty = c->loaded;
			c->loaded = rc->depot;
			rc->depot = c->loaded->next;
			rc->depot_size--;
			has_pfn = true;
		}
		pthread_mutex_unlock(&rc->lock);
	}
	if (has_pfn)
		pfn = mag_pop(c->loaded, limit_pfn + 1 - size);
	pthread_mutex_unlock(&c->lock);
	free(empty);
	return pfn;
}

void iova_flush_rcaches(struct iova_domain *iovad)
{
	for (int i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_rcache *rc = &iovad->rcaches[i];
		struct iova_magazine *depot;

		for (int cpu = 0; cpu < iovad->nr_cpus; cpu++) {
			struct iova_cpu_rcache *c = &rc->cpu[cpu];
			struct iova_magazine *loaded, *prev;

			pthread_mutex_lock(&c->lock);
			loaded = c->loaded;
			prev = c->prev;
			c->loaded = c->prev = NULL;
			pthread_mutex_unlock(&c->lock);
			mag_release(iovad, loaded);
			mag_release(iovad, prev);
		}
		pthread_mutex_lock(&rc->lock);
		depot = rc->depot;
		rc->depot = NULL;
		rc->depot_size = 0;
		pthread_mutex_unlock(&rc->lock);
		while (depot) {
			struct iova_magazine *next = depot->next;

			mag_release(iovad, depot);
			depot = next;
		}
	}
}

unsigned long alloc_iova_fast(struct iova_domain *iovad, unsigned long size,
			      unsigned long limit_pfn, bool flush_rcache)
{
	unsigned long pfn;

	if (!size)
		return 0;
	/* Cached ranges are exact powers of two, so round up what a cache could serve. */
	if (size < (1UL << (IOVA_RANGE_CACHE_MAX_SIZE - 1)))
		size = 1UL << iova_order_base_2(size);
	pfn = iova_rcache_get(iovad, size, limit_pfn);
	if (pfn)
		return pfn;
	for (;;) {
		pfn = alloc_iova(iovad, size, limit_pfn, true);
		if (pfn || !flush_rcache)
			return pfn;
		flush_rcache = false;
		iova_flush_rcaches(iovad);
	}
}

void free_iova_fast(struct iova_domain *iovad, unsigned long pfn, unsigned long size)
{
	if (!iova_rcache_insert(iovad, pfn, size))
		free_iova(iovad, pfn);
}

/* ------------------------------------------------------------------------ lifecycle -- */

struct iova_domain *iova_domain_create(unsigned long start_pfn)
{
	struct iova_domain *iovad = calloc(1, sizeof(*iovad));
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);

	if (!iovad)
		return NULL;
	iovad->nr_cpus = ncpu > 0 ? (int)ncpu : 1;
	for (int i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_rcache *rc = &iovad->rcaches[i];

		rc->cpu = aligned_alloc(64, sizeof(*rc->cpu) * iovad->nr_cpus);
		if (!rc->cpu) {
			iova_domain_destroy(iovad);
			return NULL;
		}
		pthread_mutex_init(&rc->lock, NULL);
		for (int cpu = 0; cpu < iovad->nr_cpus; cpu++) {
			pthread_mutex_init(&rc->cpu[cpu].lock, NULL);
			rc->cpu[cpu].loaded = rc->cpu[cpu].prev = NULL;
		}
	}
	pthread_mutex_init(&iovad->tree_lock, NULL);
	RB_INIT(&iovad->tree);
	iovad->start_pfn = start_pfn ? start_pfn : 1;
	iovad->dma_32bit_pfn = 1UL << (32 - IOVA_SHIFT);
	iovad->max32_alloc_size = iovad->dma_32bit_pfn;
	iovad->anchor.pfn_lo = iovad->anchor.pfn_hi = ~0UL;
	iovad->anchor.gap = iovad->anchor.max_gap = ~0UL - iovad->start_pfn;
	iova_tree_RB_INSERT(&iovad->tree, &iovad->anchor);
	return iovad;
}

void iova_domain_destroy(struct iova_domain *iovad)
{
	struct iova *n;

	if (!iovad)
		return;
	for (int i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_rcache *rc = &iovad->rcaches[i];

		for (int cpu = 0; rc->cpu && cpu < iovad->nr_cpus; cpu++) {
			free(rc->cpu[cpu].loaded);
			free(rc->cpu[cpu].prev);
		}
		while (rc->depot) {
			struct iova_magazine *next = rc->depot->next;

			free(rc->depot);
			rc->depot = next;
		}
		free(rc->cpu);
	}
	while ((n = RB_MIN(iova_tree, &iovad->tree))) {
		iova_tree_RB_REMOVE(&iovad->tree, n);
		if (n != &iovad->anchor)
			free(n);
	}
	free(iovad);
}

/* -------------------------------------------------------------------- introspection -- */

unsigned long iova_live_ranges(struct iova_domain *iovad)
{
	unsigned long n;

	pthread_mutex_lock(&iovad->tree_lock);
	n = iovad->nr_ranges;
	pthread_mutex_unlock(&iovad->tree_lock);
	return n;
}

void iova_space_stats(struct iova_domain *iovad, unsigned long *used_pfns,
		      unsigned long *max_used_pfns)
{
	pthread_mutex_lock(&iovad->tree_lock);
	*used_pfns = iovad->used_pfns;
	*max_used_pfns = iovad->max_used_pfns;
	pthread_mutex_unlock(&iovad->tree_lock);
}

unsigned long iova_cached_ranges(struct iova_domain *iovad)
{
	unsigned long n = 0;

	for (int i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_rcache *rc = &iovad->rcaches[i];

		for (int cpu = 0; cpu < iovad->nr_cpus; cpu++) {
			struct iova_cpu_rcache *c = &rc->cpu[cpu];

			pthread_mutex_lock(&c->lock);
			n += (c->loaded ? c->loaded->size : 0) + (c->prev ? c->prev->size : 0);
			pthread_mutex_unlock(&c->lock);
		}
		pthread_mutex_lock(&rc->lock);
		for (struct iova_magazine *m = rc->depot; m; m = m->next)
			n += m->size;
		pthread_mutex_unlock(&rc->lock);
	}
	return n;
}

static bool check_max_gap(const struct iova *n)
{
	const struct iova *l, *r;
	unsigned long m;

	if (!n)
		return true;
	l = RB_LEFT(n, link);
	r = RB_RIGHT(n, link);
	m = n->gap;
	if (l && l->max_gap > m)
		m = l->max_gap;
	if (r && r->max_gap > m)
		m = r->max_gap;
	return m == n->max_gap && check_max_gap(l) && check_max_gap(r);
}

bool iova_domain_check(struct iova_domain *iovad)
{
	unsigned long next_free, count = 0;
	struct iova *n;
	bool ok = true;

	pthread_mutex_lock(&iovad->tree_lock);
	next_free = iovad->start_pfn;
	RB_FOREACH(n, iova_tree, &iovad->tree) {
		if (n->pfn_lo > n->pfn_hi || n->pfn_lo < next_free ||
		    n->gap != n->pfn_lo - next_free)
			ok = false;
		next_free = n->pfn_hi + 1;
		count++;
	}
	ok = ok && count == iovad->nr_ranges + 1 && check_max_gap(RB_ROOT(&iovad->tree));
	pthread_mutex_unlock(&iovad->tree_lock);
	return ok;
}
