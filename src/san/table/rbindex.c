// SPDX-License-Identifier: MIT
/*
 * A range index: red-black trees (libbsd <bsd/sys/tree.h>) of [start, end) nodes ordered by
 * start, sharded by the 1 MiB region of the start so threads working on different memory do not
 * share a lock. A range can only intersect [lo, hi) if it starts at most maxlen (the longest range
 * ever inserted) before lo, which bounds both the shards and the part of each tree to scan; each
 * shard keeps its own maxlen too, forgotten whenever the shard empties (a pool of small blocks
 * after a large buffer was unmapped scans only its own neighbours again).
 */
#include "table/table_internal.h"

static inline int rnode_cmp(const struct san_rnode *a, const struct san_rnode *b)
{
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a < b ? -1 : a > b;
}

RB_GENERATE_STATIC(san_rtree, san_rnode, link, rnode_cmp)

static struct san_rshard *shard_of(struct san_rindex *ix, u64 start)
{
	return &ix->shards[(start >> ix->shift) & ix->mask];
}

/* Under the shard's lock: a load and a store, no locked instruction. */
static inline unsigned long shard_count_add(struct san_rshard *s, long d)
{
	unsigned long n = atomic_load_explicit(&s->count, memory_order_relaxed) + (unsigned long)d;

	atomic_store_explicit(&s->count, n, memory_order_relaxed);
	return n;
}

static inline bool shard_empty(const struct san_rshard *s)
{
	return !atomic_load_explicit(&s->count, memory_order_relaxed);
}

void san_rindex_init(struct san_rindex *ix, struct san_rshard *shards, unsigned int n)
{
	ix->mask = n - 1;
	ix->shift = SAN_REGION_SHIFT;
	atomic_init(&ix->maxlen, 0);
	ix->shards = shards;
	for (unsigned int i = 0; i < n; i++)
		RB_INIT(&shards[i].root);
}

void san_rindex_remove(struct san_rindex *ix, struct san_rnode *n)
{
	struct san_rshard *s = shard_of(ix, n->start);

	san_lock(&s->lock);
	RB_REMOVE(san_rtree, &s->root, n);
	if (!shard_count_add(s, -1))
		s->maxlen = 0;
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

/* Visit nodes intersecting [lo, hi) in one shard, its lock held; true if the visitor asked to
 * stop. */
static bool rshard_visit_locked(struct san_rshard *s, u64 lo, u64 hi, san_rnode_visit_fn fn,
				void *arg)
{
	bool stop = false;
	struct san_rnode *n;

	n = rtree_lower_bound(&s->root, lo > s->maxlen ? lo - s->maxlen : 0);
	for (; n && n->start < hi && !stop; n = RB_NEXT(san_rtree, &s->root, n))
		if (n->end > lo || (n->start == lo && n->end == lo))
			stop = fn(n, arg);
	return stop;
}

static bool rshard_visit(struct san_rshard *s, u64 lo, u64 hi, san_rnode_visit_fn fn, void *arg)
{
	bool stop;

	if (shard_empty(s))
		return false;
	san_lock(&s->lock);
	stop = rshard_visit_locked(s, lo, hi, fn, arg);
	san_unlock(&s->lock);
	return stop;
}

/* The regions [r0, r1] whose shards may hold a node intersecting [lo, hi); false if none. */
static bool visit_regions(struct san_rindex *ix, u64 lo, u64 hi, u64 *r0, u64 *r1)
{
	u64 ml = atomic_load_explicit(&ix->maxlen, memory_order_relaxed);
	u64 first = lo > ml ? lo - ml : 0;

	if (hi < lo)
		return false;
	*r0 = first >> ix->shift;
	*r1 = (hi ? hi - 1 : 0) >> ix->shift;
	if (*r1 - *r0 >= ix->mask) { /* every shard */
		*r0 = 0;
		*r1 = ix->mask;
	}
	return true;
}

void san_rindex_visit(struct san_rindex *ix, u64 lo, u64 hi, san_rnode_visit_fn fn,
			     void *arg)
{
	u64 r0, r1;

	if (!visit_regions(ix, lo, hi, &r0, &r1))
		return;
	for (u64 r = r0; r <= r1; r++)
		if (rshard_visit(&ix->shards[r & ix->mask], lo, hi, fn, arg))
			return;
}

void san_rindex_insert(struct san_rindex *ix, struct san_rnode *n, san_rnode_visit_fn fn,
		       void *arg)
{
	struct san_rshard *s = shard_of(ix, n->start);
	u64 len = n->end - n->start, r0, r1;
	unsigned long long ml;
	bool stop = !fn || !visit_regions(ix, n->start, n->end, &r0, &r1);

	/* the other shards first; the node's own under the lock that inserts it (one lock and a
	 * warm path down the tree instead of two of each) */
	for (u64 r = r0; !stop && r <= r1; r++)
		if (&ix->shards[r & ix->mask] != s)
			stop = rshard_visit(&ix->shards[r & ix->mask], n->start, n->end, fn, arg);
	san_lock(&s->lock);
	if (!stop && !shard_empty(s))
		rshard_visit_locked(s, n->start, n->end, fn, arg);
	RB_INSERT(san_rtree, &s->root, n);
	shard_count_add(s, 1);
	if (len > s->maxlen)
		s->maxlen = len;
	san_unlock(&s->lock);
	ml = atomic_load_explicit(&ix->maxlen, memory_order_relaxed);
	while (len > ml && !atomic_compare_exchange_weak(&ix->maxlen, &ml, len))
		;
}

bool san_rindex_maybe(struct san_rindex *ix, u64 lo, u64 hi)
{
	u64 r0, r1;

	if (!visit_regions(ix, lo, hi, &r0, &r1))
		return false;
	for (u64 r = r0; r <= r1; r++)
		if (!shard_empty(&ix->shards[r & ix->mask]))
			return true;
	return false;
}

/* In-order walk of one shard; true if stopped. */
static bool rshard_walk(struct san_rshard *s, san_rnode_visit_fn fn, void *arg)
{
	bool stop = false;
	struct san_rnode *n;

	san_lock(&s->lock);
	RB_FOREACH(n, san_rtree, &s->root) {
		if (fn(n, arg)) {
			stop = true;
			break;
		}
	}
	san_unlock(&s->lock);
	return stop;
}

bool san_rindex_walk(struct san_rindex *ix, san_rnode_visit_fn fn, void *arg)
{
	for (unsigned int i = 0; i <= ix->mask; i++)
		if (rshard_walk(&ix->shards[i], fn, arg))
			return true;
	return false;
}

void san_rindex_fork_lock(struct san_rindex *ix)
{
	for (unsigned int i = 0; i <= ix->mask; i++)
		san_lock(&ix->shards[i].lock);
}

void san_rindex_fork_unlock(struct san_rindex *ix)
{
	for (unsigned int i = 0; i <= ix->mask; i++)
		san_unlock(&ix->shards[i].lock);
}
