// SPDX-License-Identifier: MIT
/*
 * The live-mapping table (see table.h). Locks are tiny spinlocks: critical sections are a few
 * pointer updates and never call out, and the machine may have fewer cores than threads, so a
 * waiter yields. Lock order: none is ever nested (hash bucket, bus shard and phys shard are taken
 * one after the other), so there is no deadlock to order against.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#include <utlist.h> /* Debian uthash-dev: the singly linked bucket chains (LL_*) */

#include "report/report.h"
#include "table/table.h"

#define HIDDEN __attribute__((visibility("hidden")))

/* ------------------------------------------------------------------ locks ---- */

typedef struct {
	atomic_int v;
} san_lock_t;

static inline void san_lock(san_lock_t *l)
{
	while (atomic_exchange_explicit(&l->v, 1, memory_order_acquire)) {
		while (atomic_load_explicit(&l->v, memory_order_relaxed))
			sched_yield();
	}
}

static inline void san_unlock(san_lock_t *l)
{
	atomic_store_explicit(&l->v, 0, memory_order_release);
}

/* ------------------------------------------------------------------ arena ---- */

static void *arena_map(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Small, rare, never-freed objects (device records). */
static san_lock_t bump_lock;
static char *bump_cur, *bump_end;

static void *arena_alloc(size_t size)
{
	void *p = NULL;

	size = (size + 63) & ~(size_t)63;
	san_lock(&bump_lock);
	if ((size_t)(bump_end - bump_cur) < size) {
		size_t chunk = size > (1u << 20) ? size : (1u << 20);

		bump_cur = arena_map(chunk);
		bump_end = bump_cur ? bump_cur + chunk : NULL;
	}
	if (bump_cur) {
		p = bump_cur;
		bump_cur += size;
	}
	san_unlock(&bump_lock);
	return p;
}

/* ---------------------------------------------------------- entry allocator ---- */

#define ENTRIES_PER_CHUNK 4096
#define TCACHE_MAX 64
#define TCACHE_BATCH 32

static san_lock_t free_lock;
static struct san_entry *free_head;
static atomic_ulong n_total, n_live, n_peak, n_min_free = ~0UL;

static __thread struct san_entry *tc_head __attribute__((tls_model("initial-exec")));
static __thread unsigned int tc_count __attribute__((tls_model("initial-exec")));
static pthread_key_t tc_key;
static pthread_once_t tc_once = PTHREAD_ONCE_INIT;

static void tc_flush(unsigned int keep)
{
	if (tc_count <= keep)
		return;
	san_lock(&free_lock);
	while (tc_count > keep) {
		struct san_entry *e = tc_head;

		tc_head = e->hnext;
		e->hnext = free_head;
		free_head = e;
		tc_count--;
	}
	san_unlock(&free_lock);
}

/* A thread's cached free entries go back to the shared list when it exits. */
static void tc_thread_exit(void *unused)
{
	tc_flush(0);
}

static void tc_key_create(void)
{
	pthread_key_create(&tc_key, tc_thread_exit);
}

static void tc_refill(void)
{
	pthread_once(&tc_once, tc_key_create);
	pthread_setspecific(tc_key, (void *)1);
	san_lock(&free_lock);
	if (!free_head) {
		struct san_entry *chunk = arena_map(ENTRIES_PER_CHUNK * sizeof(*chunk));

		if (chunk) {
			for (unsigned int i = 0; i < ENTRIES_PER_CHUNK; i++) {
				chunk[i].hnext = free_head;
				free_head = &chunk[i];
			}
			atomic_fetch_add(&n_total, ENTRIES_PER_CHUNK);
		}
	}
	while (free_head && tc_count < TCACHE_BATCH) {
		struct san_entry *e = free_head;

		free_head = e->hnext;
		e->hnext = tc_head;
		tc_head = e;
		tc_count++;
	}
	san_unlock(&free_lock);
}

HIDDEN struct san_entry *san_entry_alloc(void)
{
	struct san_entry *e;
	unsigned long live, peak, free_now;

	if (!tc_head)
		tc_refill();
	e = tc_head;
	if (!e)
		return NULL; /* out of address space: the caller reports nothing for this mapping */
	tc_head = e->hnext;
	tc_count--;
	memset(e, 0, sizeof(*e));

	live = atomic_fetch_add_explicit(&n_live, 1, memory_order_relaxed) + 1;
	peak = atomic_load_explicit(&n_peak, memory_order_relaxed);
	while (live > peak &&
	       !atomic_compare_exchange_weak_explicit(&n_peak, &peak, live, memory_order_relaxed,
						      memory_order_relaxed))
		;
	free_now = atomic_load_explicit(&n_total, memory_order_relaxed) - live;
	if (free_now < atomic_load_explicit(&n_min_free, memory_order_relaxed))
		atomic_store_explicit(&n_min_free, free_now, memory_order_relaxed);
	return e;
}

HIDDEN void san_entry_free(struct san_entry *e)
{
	if (!e)
		return;
	e->hnext = tc_head;
	tc_head = e;
	tc_count++;
	atomic_fetch_sub_explicit(&n_live, 1, memory_order_relaxed);
	if (tc_count > TCACHE_MAX)
		tc_flush(TCACHE_MAX - TCACHE_BATCH);
}

/* ------------------------------------------------------ sharded range index ---- */

static inline int rnode_cmp(const struct san_rnode *a, const struct san_rnode *b)
{
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a < b ? -1 : a > b;
}

RB_HEAD(san_rtree, san_rnode);
RB_GENERATE_STATIC(san_rtree, san_rnode, link, rnode_cmp)

struct san_rshard {
	san_lock_t lock;
	u64 maxlen; /* longest range ever inserted here: how far back a scan must start */
	struct san_rtree root;
} __attribute__((aligned(64)));

struct san_rindex {
	unsigned int mask;  /* shards - 1 */
	unsigned int shift; /* log2 of the region size that selects a shard */
	atomic_ullong maxlen;
	struct san_rshard *shards;
};

#define REGION_SHIFT 20 /* 1 MiB regions */

static void rindex_init(struct san_rindex *ix, struct san_rshard *shards, unsigned int n)
{
	ix->mask = n - 1;
	ix->shift = REGION_SHIFT;
	atomic_init(&ix->maxlen, 0);
	ix->shards = shards;
	for (unsigned int i = 0; i < n; i++)
		RB_INIT(&shards[i].root);
}

static void rindex_insert(struct san_rindex *ix, struct san_rnode *n)
{
	struct san_rshard *s = &ix->shards[(n->start >> ix->shift) & ix->mask];
	u64 len = n->end - n->start;
	unsigned long long ml;

	san_lock(&s->lock);
	RB_INSERT(san_rtree, &s->root, n);
	if (len > s->maxlen)
		s->maxlen = len;
	san_unlock(&s->lock);
	ml = atomic_load_explicit(&ix->maxlen, memory_order_relaxed);
	while (len > ml && !atomic_compare_exchange_weak(&ix->maxlen, &ml, len))
		;
}

static void rindex_remove(struct san_rindex *ix, struct san_rnode *n)
{
	struct san_rshard *s = &ix->shards[(n->start >> ix->shift) & ix->mask];

	san_lock(&s->lock);
	RB_REMOVE(san_rtree, &s->root, n);
	san_unlock(&s->lock);
}

/* First node with start >= x (the order ties on the node address, so every node with that start
 * comes after every node with a smaller one). */
static struct san_rnode *rtree_lower_bound(struct san_rtree *t, u64 x)
{
	struct san_rnode *n = RB_ROOT(t), *res = NULL;

	while (n) {
		if (n->start >= x) {
			res = n;
			n = RB_LEFT(n, link);
		} else {
			n = RB_RIGHT(n, link);
		}
	}
	return res;
}

typedef bool (*rnode_visit_fn)(struct san_rnode *n, void *arg);

/* Visit nodes intersecting [lo, hi) in one shard; true if the visitor asked to stop. */
static bool rshard_visit(struct san_rshard *s, u64 lo, u64 hi, rnode_visit_fn fn, void *arg)
{
	bool stop = false;
	struct san_rnode *n;

	san_lock(&s->lock);
	n = rtree_lower_bound(&s->root, lo > s->maxlen ? lo - s->maxlen : 0);
	for (; n && n->start < hi && !stop; n = RB_NEXT(san_rtree, &s->root, n))
		if (n->end > lo || (n->start == lo && n->end == lo))
			stop = fn(n, arg);
	san_unlock(&s->lock);
	return stop;
}

static void rindex_visit(struct san_rindex *ix, u64 lo, u64 hi, rnode_visit_fn fn, void *arg)
{
	u64 ml = atomic_load_explicit(&ix->maxlen, memory_order_relaxed);
	u64 first = lo > ml ? lo - ml : 0;
	u64 r0 = first >> ix->shift, r1 = (hi ? hi - 1 : 0) >> ix->shift;

	if (hi < lo)
		return;
	if (r1 - r0 >= ix->mask) {
		for (unsigned int i = 0; i <= ix->mask; i++)
			if (rshard_visit(&ix->shards[i], lo, hi, fn, arg))
				return;
		return;
	}
	for (u64 r = r0; r <= r1; r++)
		if (rshard_visit(&ix->shards[r & ix->mask], lo, hi, fn, arg))
			return;
}

/* ------------------------------------------------------------ device records ---- */

#define DEV_SHARDS 16
#define DEV_SLOTS 65536
#define DEV_PROBES 64

struct san_dev {
	struct san_rindex bus;
	struct san_rshard shards[DEV_SHARDS];
};

static struct {
	_Atomic(struct device *) key;
	_Atomic(struct san_dev *) rec;
} dev_slots[DEV_SLOTS];
/* Shared by devices beyond the slot table (entries carry their device, so sharing is exact). */
static struct san_dev *dev_overflow;
static atomic_ulong n_devices;

static struct san_dev *dev_record_new(void)
{
	struct san_dev *d = arena_alloc(sizeof(*d));

	if (d)
		rindex_init(&d->bus, d->shards, DEV_SHARDS);
	return d;
}

static inline unsigned int ptr_hash(const void *p)
{
	u64 x = (u64)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (unsigned int)x;
}

/* The record of dev; created on first sight when create is set. Records are never freed: a
 * device pointer reused later gets the same (empty) record back. */
static struct san_dev *dev_lookup(struct device *dev, bool create)
{
	unsigned int h = ptr_hash(dev);

	for (unsigned int i = 0; i < DEV_PROBES; i++) {
		unsigned int slot = (h + i) & (DEV_SLOTS - 1);
		struct device *k = atomic_load_explicit(&dev_slots[slot].key, memory_order_acquire);
		struct san_dev *rec;

		if (!k) {
			if (!create)
				return NULL;
			if (!atomic_compare_exchange_strong(&dev_slots[slot].key, &k, dev) && k != dev)
				continue;
			if (k == NULL) { /* we own the slot */
				rec = dev_record_new();
				atomic_store_explicit(&dev_slots[slot].rec, rec, memory_order_release);
				atomic_fetch_add(&n_devices, 1);
				return rec;
			}
		}
		if (k != dev)
			continue;
		while (!(rec = atomic_load_explicit(&dev_slots[slot].rec, memory_order_acquire)))
			sched_yield();
		return rec;
	}
	if (!create)
		return dev_overflow;
	san_lock(&bump_lock);
	if (!dev_overflow) {
		san_unlock(&bump_lock);
		struct san_dev *rec = dev_record_new();

		san_lock(&bump_lock);
		if (!dev_overflow)
			dev_overflow = rec;
	}
	san_unlock(&bump_lock);
	return dev_overflow;
}

/* ---------------------------------------------------------------- the hash ---- */

#define HASH_BITS 18

struct san_bucket {
	san_lock_t lock;
	struct san_entry *head;
};

static struct san_bucket buckets[1u << HASH_BITS];

#define PHYS_SHARDS 64
static struct san_rshard phys_shards[PHYS_SHARDS];
static struct san_rindex phys_index = { PHYS_SHARDS - 1, REGION_SHIFT, 0, phys_shards };
static atomic_ulong n_phys_live;
static atomic_ullong seq_next = 1;

/* (device, handle) → bucket: a 64-bit multiply-xorshift mix (murmur3's finaliser); uthash's
 * Jenkins hash over the 16-byte key measured 8% of a checked map+unmap pair. */
static struct san_bucket *bucket_of(struct device *dev, dma_addr_t handle)
{
	u64 x = handle ^ ((u64)(uintptr_t)dev * 0x9e3779b97f4a7c15ULL);

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return &buckets[x & ((1u << HASH_BITS) - 1)];
}

static inline struct san_entry *entry_of_bus(struct san_rnode *n)
{
	return (struct san_entry *)((char *)n - offsetof(struct san_entry, bus));
}

static inline struct san_entry *entry_of_phys(struct san_rnode *n)
{
	return (struct san_entry *)((char *)n - offsetof(struct san_entry, phys));
}

static inline bool has_phys(const struct san_entry *e)
{
	return e->phys.end > e->phys.start;
}

HIDDEN void san_table_insert(struct san_entry *e)
{
	struct san_dev *d = dev_lookup(e->dev, true);
	struct san_bucket *b = bucket_of(e->dev, e->bus.start);

	e->seq = atomic_fetch_add_explicit(&seq_next, 1, memory_order_relaxed);
	e->map_ns = san_now_ns();
	if (d)
		rindex_insert(&d->bus, &e->bus);
	if (has_phys(e)) {
		rindex_insert(&phys_index, &e->phys);
		atomic_fetch_add_explicit(&n_phys_live, 1, memory_order_relaxed);
	}
	/* Published to exact lookups last, when every index has it. */
	san_lock(&b->lock);
	LL_PREPEND2(b->head, e, hnext);
	san_unlock(&b->lock);
}

/* Kernel best fit: +1 per equal field among size, type, direction, sg nents; a perfect score
 * wins at once. Unlike the kernel (which gives up when several match imperfectly), the best
 * score wins, ties going to the oldest mapping. */
static struct san_entry **bucket_find(struct san_bucket *b, struct device *dev, dma_addr_t handle,
				      const struct san_ref *ref)
{
	struct san_entry **best = NULL, **pp;
	int best_score = -1;

	for (pp = &b->head; *pp; pp = &(*pp)->hnext) {
		struct san_entry *e = *pp;
		int score;

		if (e->dev != dev || e->bus.start != handle)
			continue;
		if (!ref)
			return pp;
		score = (san_size(e) == ref->size) + (e->type == ref->type) + (e->dir == ref->dir) +
			(e->sg_call_nents == ref->sg_call_nents);
		if (score == 4)
			return pp;
		if (score >= best_score) {
			best_score = score;
			best = pp;
		}
	}
	return best;
}

static void unlink_ranges(struct san_entry *e)
{
	struct san_dev *d = dev_lookup(e->dev, false);

	if (d)
		rindex_remove(&d->bus, &e->bus);
	if (has_phys(e)) {
		rindex_remove(&phys_index, &e->phys);
		atomic_fetch_sub_explicit(&n_phys_live, 1, memory_order_relaxed);
	}
}

HIDDEN struct san_entry *san_table_remove_exact(struct device *dev, dma_addr_t handle,
						const struct san_ref *ref)
{
	struct san_bucket *b = bucket_of(dev, handle);
	struct san_entry **pp, *e = NULL;

	san_lock(&b->lock);
	pp = bucket_find(b, dev, handle, ref);
	if (pp) {
		e = *pp;
		*pp = e->hnext;
	}
	san_unlock(&b->lock);
	if (e)
		unlink_ranges(e);
	return e;
}

HIDDEN bool san_table_get_exact(struct device *dev, dma_addr_t handle, const struct san_ref *ref,
				struct san_entry *copy)
{
	struct san_bucket *b = bucket_of(dev, handle);
	struct san_entry **pp;

	san_lock(&b->lock);
	pp = bucket_find(b, dev, handle, ref);
	if (pp)
		*copy = **pp;
	san_unlock(&b->lock);
	return pp != NULL;
}

HIDDEN bool san_table_mark_checked(struct device *dev, dma_addr_t handle)
{
	struct san_bucket *b = bucket_of(dev, handle);
	struct san_entry *e;
	bool done = false;

	san_lock(&b->lock);
	LL_FOREACH2(b->head, e, hnext) {
		if (e->dev == dev && e->bus.start == handle && e->map_err == SAN_MAPERR_NOT_CHECKED) {
			e->map_err = SAN_MAPERR_CHECKED;
			done = true;
			break;
		}
	}
	san_unlock(&b->lock);
	return done;
}

/* ----------------------------------------------------------------- visitors ---- */

struct visit_ctx {
	struct device *dev; /* NULL: any */
	san_visit_fn fn;
	void *arg;
};

static bool visit_bus_node(struct san_rnode *n, void *arg)
{
	struct visit_ctx *c = arg;
	struct san_entry *e = entry_of_bus(n);

	if (c->dev && e->dev != c->dev)
		return false;
	return c->fn(e, c->arg);
}

static bool visit_phys_node(struct san_rnode *n, void *arg)
{
	struct visit_ctx *c = arg;

	return c->fn(entry_of_phys(n), c->arg);
}

HIDDEN void san_table_visit_phys(u64 lo, u64 hi, san_visit_fn fn, void *arg)
{
	struct visit_ctx c = { NULL, fn, arg };

	if (atomic_load_explicit(&n_phys_live, memory_order_relaxed))
		rindex_visit(&phys_index, lo, hi, visit_phys_node, &c);
}

HIDDEN void san_table_visit_bus(struct device *dev, u64 lo, u64 hi, san_visit_fn fn, void *arg)
{
	struct visit_ctx c = { dev, fn, arg };
	struct san_dev *d = dev_lookup(dev, false);

	if (d)
		rindex_visit(&d->bus, lo, hi, visit_bus_node, &c);
}

/* In-order walk of one shard; true if stopped. */
static bool rshard_walk(struct san_rshard *s, struct visit_ctx *c)
{
	bool stop = false;
	struct san_rnode *n;

	san_lock(&s->lock);
	RB_FOREACH(n, san_rtree, &s->root) {
		if (visit_bus_node(n, c)) {
			stop = true;
			break;
		}
	}
	san_unlock(&s->lock);
	return stop;
}

static bool dev_walk(struct san_dev *d, struct visit_ctx *c)
{
	for (unsigned int i = 0; i < DEV_SHARDS; i++)
		if (rshard_walk(&d->shards[i], c))
			return true;
	return false;
}

HIDDEN void san_table_visit_all(struct device *dev, san_visit_fn fn, void *arg)
{
	struct visit_ctx c = { dev, fn, arg };

	if (dev) {
		struct san_dev *d = dev_lookup(dev, false);

		if (d)
			dev_walk(d, &c);
		return;
	}
	for (unsigned int i = 0; i < DEV_SLOTS; i++) {
		struct san_dev *d = atomic_load_explicit(&dev_slots[i].rec, memory_order_acquire);

		if (d && dev_walk(d, &c))
			return;
	}
	if (dev_overflow)
		dev_walk(dev_overflow, &c);
}

/* ------------------------------------------------------------------ draining ---- */

struct drain_pick {
	san_visit_fn pred;
	void *arg;
	struct san_entry *e;
	u64 seq;
};

static bool drain_pick_one(struct san_entry *e, void *arg)
{
	struct drain_pick *p = arg;

	if (p->pred && !p->pred(e, p->arg))
		return false;
	p->e = e;
	p->seq = e->seq;
	return true;
}

/* Unlink e from the hash if it is still the entry picked (same seq); false if someone else
 * (a concurrent unmap) removed it first. */
static bool unlink_hash_if(struct san_entry *e, struct device *dev, u64 seq)
{
	struct san_bucket *b = bucket_of(dev, e->bus.start);
	bool found = false;

	san_lock(&b->lock);
	for (struct san_entry **pp = &b->head; *pp; pp = &(*pp)->hnext) {
		if (*pp == e && e->seq == seq) {
			*pp = e->hnext;
			found = true;
			break;
		}
	}
	san_unlock(&b->lock);
	return found;
}

static unsigned long drain_dev(struct device *dev, san_visit_fn pred, void *pred_arg,
			       san_done_fn done, void *done_arg)
{
	unsigned long n = 0;

	for (;;) {
		struct drain_pick p = { pred, pred_arg, NULL, 0 };

		san_table_visit_all(dev, drain_pick_one, &p);
		if (!p.e)
			return n;
		if (!unlink_hash_if(p.e, p.e->dev, p.seq))
			continue;
		unlink_ranges(p.e);
		n++;
		done(p.e, done_arg);
	}
}

HIDDEN unsigned long san_table_drain(struct device *dev, san_visit_fn pred, void *pred_arg,
				     san_done_fn done, void *done_arg)
{
	return drain_dev(dev, pred, pred_arg, done, done_arg);
}

HIDDEN unsigned long san_table_phys_live(void)
{
	return atomic_load_explicit(&n_phys_live, memory_order_relaxed);
}

/* ----------------------------------------------------------------- history ---- */

#define HIST_SIZE 4096

static struct hist_slot {
	atomic_uint gen; /* odd while being written */
	struct san_hist h;
} hist[HIST_SIZE];
static atomic_ulong hist_head;

HIDDEN void san_history_add(const struct san_entry *e, dmasan_stack_id unmap_stack, u32 unmap_tid)
{
	unsigned long i = atomic_fetch_add_explicit(&hist_head, 1, memory_order_relaxed);
	struct hist_slot *s = &hist[i % HIST_SIZE];

	atomic_fetch_add_explicit(&s->gen, 1, memory_order_acq_rel);
	s->h = (struct san_hist){
		.dev = e->dev, .handle = e->bus.start, .size = san_size(e), .phys = e->phys.start,
		.map_seq = e->seq, .type = e->type, .dir = e->dir, .map_tid = e->tid,
		.unmap_tid = unmap_tid, .map_stack = e->map_stack, .unmap_stack = unmap_stack,
	};
	atomic_fetch_add_explicit(&s->gen, 1, memory_order_release);
}

/* Most recent unmapped entry of dev that `match` accepts, newest first; with `prefer`, one it
 * also prefers wins over a newer one it merely accepts. */
static bool history_search(struct device *dev, bool (*match)(const struct san_hist *, const void *),
			   bool (*prefer)(const struct san_hist *, const void *), const void *arg,
			   struct san_hist *out)
{
	unsigned long head = atomic_load_explicit(&hist_head, memory_order_acquire);
	unsigned long n = head < HIST_SIZE ? head : HIST_SIZE;
	bool found = false;

	for (unsigned long k = 1; k <= n; k++) {
		struct hist_slot *s = &hist[(head - k) % HIST_SIZE];
		unsigned int g = atomic_load_explicit(&s->gen, memory_order_acquire);
		struct san_hist h;

		if (g & 1)
			continue;
		h = s->h;
		if (atomic_load_explicit(&s->gen, memory_order_acquire) != g)
			continue;
		if (h.dev != dev || !match(&h, arg))
			continue;
		if (!prefer || prefer(&h, arg)) {
			*out = h;
			return true;
		}
		if (!found) {
			*out = h;
			found = true;
		}
	}
	return found;
}

struct hist_key {
	dma_addr_t addr;
	u64 len;
};

static bool hist_covers(const struct san_hist *h, const void *arg)
{
	const struct hist_key *k = arg;

	return k->len == 0 ? h->handle == k->addr
			   : (k->addr >= h->handle && k->addr - h->handle < h->size) ||
				     (k->addr == h->handle && h->size == 0);
}

static bool hist_same_size(const struct san_hist *h, const void *arg)
{
	return h->size == ((const struct hist_key *)arg)->len;
}

HIDDEN bool san_history_find(struct device *dev, dma_addr_t addr, u64 len, struct san_hist *out)
{
	struct hist_key k = { addr, len };

	return history_search(dev, hist_covers, NULL, &k, out);
}

HIDDEN bool san_history_find_unmap(struct device *dev, dma_addr_t handle, u64 size,
				   struct san_hist *out)
{
	struct hist_key k = { handle, 0 }, sized = { handle, size };

	/* handles are reused: among the mappings of this handle, the one of the same size is the
	 * likelier original (the kernel's best fit, applied to the history) */
	if (history_search(dev, hist_covers, hist_same_size, &sized, out) && out->size == size)
		return true;
	return history_search(dev, hist_covers, NULL, &k, out);
}

/* ------------------------------------------------------------------- stats ---- */

HIDDEN void san_table_stats(struct san_table_stats *st)
{
	unsigned long total = atomic_load(&n_total), live = atomic_load(&n_live);
	unsigned long minf = atomic_load(&n_min_free);

	st->live = live;
	st->peak = atomic_load(&n_peak);
	st->total = total;
	st->free = total - live;
	st->min_free = minf == ~0UL ? st->free : minf;
	st->devices = atomic_load(&n_devices);
	st->history = atomic_load(&hist_head);
	dmasan_report_counts(&st->errors, &st->warnings, NULL);
}

static void free_done(struct san_entry *e, void *arg)
{
	san_entry_free(e);
}

HIDDEN void san_table_reset(void)
{
	drain_dev(NULL, NULL, NULL, free_done, NULL);
	memset(hist, 0, sizeof(hist));
	atomic_store(&hist_head, 0);
}

/* ------------------------------------------------------------------- fork ---- */

/* A child keeps only the forking thread: a lock another thread held at fork() would never be
 * released. The child clears every held table lock (reading the bucket array does not copy
 * its pages; only held locks are written). */
static void reset_shards(struct san_rshard *s, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (atomic_load_explicit(&s[i].lock.v, memory_order_relaxed))
			atomic_store(&s[i].lock.v, 0);
}

static void table_atfork_child(void)
{
	for (unsigned int i = 0; i < (1u << HASH_BITS); i++)
		if (atomic_load_explicit(&buckets[i].lock.v, memory_order_relaxed))
			atomic_store(&buckets[i].lock.v, 0);
	reset_shards(phys_shards, PHYS_SHARDS);
	for (unsigned int i = 0; i < DEV_SLOTS; i++) {
		struct san_dev *d = atomic_load_explicit(&dev_slots[i].rec, memory_order_relaxed);

		if (d)
			reset_shards(d->shards, DEV_SHARDS);
	}
	if (dev_overflow)
		reset_shards(dev_overflow->shards, DEV_SHARDS);
	atomic_store(&free_lock.v, 0);
	atomic_store(&bump_lock.v, 0);
}

__attribute__((constructor)) static void table_init(void)
{
	pthread_atfork(NULL, NULL, table_atfork_child);
}
