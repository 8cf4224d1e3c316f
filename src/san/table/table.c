// SPDX-License-Identifier: MIT
/*
 * The live-mapping table's operations (see table.h): the hash of entries by (device, handle) under
 * striped bucket locks, and the physical-range index, kept in step with each device's bus index
 * (devices.c). No two table locks are ever held together: an entry is published to the range
 * indexes first and to the hash last, and unlinked from the hash first.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>

#include <utlist.h> /* Debian uthash-dev: the singly linked bucket chains (LL_*) */

#include "report/report.h"
#include "rt/fork.h"
#include "table/table_internal.h"

/* ---------------------------------------------------------------- the hash ---- */

#define HASH_BITS 18
#define LOCK_BITS 10

struct san_bucket {
	struct san_entry *head;
};

static struct san_bucket buckets[1u << HASH_BITS];

/* Bucket locks are striped: 1024 of them, each on its own cache line, guard the 2^18 buckets
 * (bucket i under lock i mod 1024). Threads rarely meet on one, and fork() takes them all
 * cheaply (san_table_fork_lock). */
static struct {
	san_lock_t lock;
} __attribute__((aligned(64))) bucket_locks[1u << LOCK_BITS];

static inline san_lock_t *bucket_lock(const struct san_bucket *b)
{
	return &bucket_locks[(size_t)(b - buckets) & ((1u << LOCK_BITS) - 1)].lock;
}

#define PHYS_SHARDS 256
static struct san_rshard phys_shards[PHYS_SHARDS];
static struct san_rindex phys_index = SAN_RINDEX_INIT(phys_shards, PHYS_SHARDS);
static atomic_ullong seq_next = 1;
static u64 first_own_seq; /* in a forked child: the first sequence number the child made */

/* (device, handle) → bucket: the page of the handle, mixed with the device (murmur3's 64-bit
 * finaliser), picks where a run of buckets starts, and the handle's offset in the page (in
 * 16-byte steps) walks along it. Page-aligned handles spread over the whole array, and the
 * blocks of a dma_pool page or a ring's buffers, mapped and freed in address order, use
 * neighbouring buckets instead of a cache miss each (the miss was most of an insert). */
static struct san_bucket *bucket_of(struct device *dev, dma_addr_t handle)
{
	u64 x = (handle >> 12) ^ ((u64)(uintptr_t)dev * 0x9e3779b97f4a7c15ULL);

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return &buckets[(x + ((handle & 4095) >> 4)) & ((1u << HASH_BITS) - 1)];
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

/* The entry this thread inserted last: drivers check a handle with dma_mapping_error() right
 * after mapping it, and finding the entry here takes no lock (whose locked instruction would wait
 * for the stores of the map's copies). Its sequence number tells whether it is still that
 * mapping; this thread forgets it when it unlinks it. */
static __thread struct {
	struct san_entry *e;
	u64 seq;
} last_insert __attribute__((tls_model("initial-exec")));

struct visit_ctx {
	struct device *dev; /* NULL: any */
	san_visit_fn fn;
	void *arg;
};

static bool visit_phys_node(struct san_rnode *n, void *arg);

void san_table_insert(struct san_entry *e, san_visit_fn phys_fn, void *arg)
{
	struct san_rindex *bus = san_dev_index(e->dev, true);
	struct san_bucket *b = bucket_of(e->dev, e->bus.start);
	struct visit_ctx c = { NULL, phys_fn, arg };

	e->seq = atomic_fetch_add_explicit(&seq_next, 1, memory_order_relaxed);
	e->map_ns = san_now_ns();
	e->bus_index = bus;
	if (bus)
		san_rindex_insert(bus, &e->bus, NULL, NULL);
	if (has_phys(e))
		san_rindex_insert(&phys_index, &e->phys, phys_fn ? visit_phys_node : NULL, &c);
	/* remembered before it is published: from then on another thread may unmap it */
	last_insert.e = e;
	last_insert.seq = e->seq;
	/* Published to exact lookups last, when every index has it. */
	san_lock(bucket_lock(b));
	LL_PREPEND2(b->head, e, hnext);
	san_unlock(bucket_lock(b));
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
	struct san_rindex *bus = e->bus_index;

	if (last_insert.e == e)
		last_insert.e = NULL;
	if (bus)
		san_rindex_remove(bus, &e->bus);
	if (has_phys(e))
		san_rindex_remove(&phys_index, &e->phys);
}

struct san_entry *san_table_remove_exact(struct device *dev, dma_addr_t handle,
						const struct san_ref *ref)
{
	struct san_bucket *b = bucket_of(dev, handle);
	struct san_entry **pp, *e = NULL;

	san_lock(bucket_lock(b));
	pp = bucket_find(b, dev, handle, ref);
	if (pp) {
		e = *pp;
		*pp = e->hnext;
	}
	san_unlock(bucket_lock(b));
	if (e)
		unlink_ranges(e);
	return e;
}

void san_entry_snapshot(struct san_entry *copy, const struct san_entry *e)
{
	memset(copy, 0, offsetof(struct san_entry, dev));
	copy->bus.start = e->bus.start;
	copy->bus.end = e->bus.end;
	copy->phys.start = e->phys.start;
	copy->phys.end = e->phys.end;
	memcpy(&copy->dev, &e->dev, offsetof(struct san_entry, map_err) -
	       offsetof(struct san_entry, dev));
	copy->map_err = san_entry_map_err(e);
	copy->flags = san_entry_flags(e);
	copy->sync_cpu_tid = __atomic_load_n(&e->sync_cpu_tid, __ATOMIC_RELAXED);
	copy->sync_dev_tid = __atomic_load_n(&e->sync_dev_tid, __ATOMIC_RELAXED);
	copy->sync_cpu_stack = __atomic_load_n(&e->sync_cpu_stack, __ATOMIC_RELAXED);
	copy->sync_dev_stack = __atomic_load_n(&e->sync_dev_stack, __ATOMIC_RELAXED);
	copy->shadow = __atomic_load_n(&e->shadow, __ATOMIC_ACQUIRE);
}

bool san_table_get_exact(struct device *dev, dma_addr_t handle, const struct san_ref *ref,
				struct san_entry *copy)
{
	struct san_bucket *b = bucket_of(dev, handle);
	struct san_entry **pp;

	san_lock(bucket_lock(b));
	pp = bucket_find(b, dev, handle, ref);
	if (pp)
		san_entry_snapshot(copy, *pp);
	san_unlock(bucket_lock(b));
	return pp != NULL;
}

bool san_table_mark_checked(struct device *dev, dma_addr_t handle)
{
	struct san_bucket *b = bucket_of(dev, handle);
	struct san_entry *e = last_insert.e;
	bool done = false;

	/* The kernel marks the first unchecked entry of (dev, handle) in the bucket; ours are newest
	 * first, and the newest this thread made is the last it inserted. */
	if (e && e->seq == last_insert.seq && e->dev == dev && san_handle(e) == handle &&
	    san_entry_map_err(e) == SAN_MAPERR_NOT_CHECKED) {
		__atomic_store_n(&e->map_err, SAN_MAPERR_CHECKED, __ATOMIC_RELAXED);
		last_insert.e = NULL;
		return true;
	}

	san_lock(bucket_lock(b));
	LL_FOREACH2(b->head, e, hnext) {
		if (e->dev == dev && e->bus.start == handle &&
		    san_entry_map_err(e) == SAN_MAPERR_NOT_CHECKED) {
			__atomic_store_n(&e->map_err, SAN_MAPERR_CHECKED, __ATOMIC_RELAXED);
			done = true;
			break;
		}
	}
	san_unlock(bucket_lock(b));
	return done;
}

/* ----------------------------------------------------------------- visitors ---- */

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

void san_table_visit_phys(u64 lo, u64 hi, san_visit_fn fn, void *arg)
{
	struct visit_ctx c = { NULL, fn, arg };

	san_rindex_visit(&phys_index, lo, hi, visit_phys_node, &c);
}

void san_table_visit_bus(struct device *dev, u64 lo, u64 hi, san_visit_fn fn, void *arg)
{
	struct visit_ctx c = { dev, fn, arg };
	struct san_rindex *bus = san_dev_index(dev, false);

	if (bus)
		san_rindex_visit(bus, lo, hi, visit_bus_node, &c);
}

void san_table_visit_all(struct device *dev, san_visit_fn fn, void *arg)
{
	struct visit_ctx c = { dev, fn, arg };

	if (dev) {
		struct san_rindex *bus = san_dev_index(dev, false);

		if (bus)
			san_rindex_walk(bus, visit_bus_node, &c);
		return;
	}
	san_devices_walk(visit_bus_node, &c);
}

/* ------------------------------------------------------------------ draining ---- */

/* The entry picked, and what identifies it, copied under the index lock: once the lock is
 * dropped a concurrent unmap may free the entry and a map reuse it. */
struct drain_pick {
	san_visit_fn pred;
	void *arg;
	struct san_entry *e;
	struct device *dev;
	dma_addr_t handle;
	u64 seq;
};

static bool drain_pick_one(struct san_entry *e, void *arg)
{
	struct drain_pick *p = arg;

	if (p->pred && !p->pred(e, p->arg))
		return false;
	p->e = e;
	p->dev = e->dev;
	p->handle = e->bus.start;
	p->seq = e->seq;
	return true;
}

/* Unlink the picked entry from the hash if it is still there as picked (same seq, read under
 * the bucket lock); false if someone else (a concurrent unmap) removed it first. */
static bool unlink_hash_if(const struct drain_pick *p)
{
	struct san_bucket *b = bucket_of(p->dev, p->handle);
	struct san_entry *e = p->e;
	bool found = false;

	san_lock(bucket_lock(b));
	for (struct san_entry **pp = &b->head; *pp; pp = &(*pp)->hnext) {
		if (*pp == e && e->seq == p->seq) {
			*pp = e->hnext;
			found = true;
			break;
		}
	}
	san_unlock(bucket_lock(b));
	return found;
}

static unsigned long drain_dev(struct device *dev, san_visit_fn pred, void *pred_arg,
			       san_done_fn done, void *done_arg)
{
	unsigned long n = 0;

	for (;;) {
		struct drain_pick p = { .pred = pred, .arg = pred_arg };

		san_table_visit_all(dev, drain_pick_one, &p);
		if (!p.e)
			return n;
		if (!unlink_hash_if(&p))
			continue;
		unlink_ranges(p.e);
		n++;
		done(p.e, done_arg);
	}
}

unsigned long san_table_drain(struct device *dev, san_visit_fn pred, void *pred_arg,
				     san_done_fn done, void *done_arg)
{
	return drain_dev(dev, pred, pred_arg, done, done_arg);
}

/* Not instrumented: free() asks it inside ASan's and TSan's own start-up (rt/intercept.c), before
 * ASan's shadow exists. The index holds no empty range, so its longest one is 0 until the first
 * insert. */
__attribute__((no_sanitize_address, no_sanitize_thread)) bool san_table_phys_ever(void)
{
	return atomic_load_explicit(&phys_index.maxlen, memory_order_relaxed) != 0;
}

bool san_table_phys_maybe(u64 lo, u64 hi)
{
	return san_rindex_maybe(&phys_index, lo, hi);
}

u64 san_table_seq_now(void)
{
	return atomic_load_explicit(&seq_next, memory_order_relaxed);
}

bool san_entry_inherited(const struct san_entry *e)
{
	return e->seq < first_own_seq;
}

/* ------------------------------------------------------------------- stats ---- */

void san_table_stats(struct san_table_stats *st)
{
	san_entry_counts(&st->total, &st->live);
	st->free = st->total - st->live;
	st->devices = san_device_count();
	st->history = san_history_count();
	dmasan_report_counts(&st->errors, &st->warnings, NULL);
}

static void free_done(struct san_entry *e, void *arg)
{
	san_entry_free(e);
}

void san_table_reset(void)
{
	drain_dev(NULL, NULL, NULL, free_done, NULL);
	san_history_reset();
}

/* ------------------------------------------------------------------- fork ---- */

/* Every table lock, so no other thread is half-way through an update at fork() (rt/fork.c).
 * Table locks do not nest, but for the creation of a device record, a thread's history ring or
 * count (their lock, then the arena's): the arena comes last. */
void san_table_fork_lock(void)
{
	for (unsigned int i = 0; i < (1u << LOCK_BITS); i++)
		san_lock(&bucket_locks[i].lock);
	san_rindex_fork_lock(&phys_index);
	san_devices_fork_lock();
	san_history_fork_lock();
	san_arena_fork_lock();
}

/* In the child, entries made so far are its parent's (san_entry_inherited). */
void san_table_fork_unlock(bool child)
{
	if (child)
		first_own_seq = atomic_load_explicit(&seq_next, memory_order_relaxed);
	san_arena_fork_unlock();
	san_history_fork_unlock();
	san_devices_fork_unlock(child);
	san_rindex_fork_unlock(&phys_index);
	for (unsigned int i = 0; i < (1u << LOCK_BITS); i++)
		san_unlock(&bucket_locks[i].lock);
}
