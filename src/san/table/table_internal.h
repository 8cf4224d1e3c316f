/* SPDX-License-Identifier: MIT */
/*
 * Between the files of the table module (not its interface: that is table.h): the allocators
 * (arena.c), the sharded range index (rbindex.c), the device records (devices.c) and the history
 * (history.c), used by the hash and the table operations (table.c).
 */
#ifndef DMASAN_SAN_TABLE_INTERNAL_H
#define DMASAN_SAN_TABLE_INTERNAL_H

#include "table/spinlock.h"
#include "table/table.h"


/* ---- arena.c: mmap'ed memory that is never returned ---- */

/* Small, rare, never-freed objects (device records, per-thread records), 64-byte aligned; NULL
 * when out of memory. */
void *san_arena_alloc(size_t size);
/* The entry allocator's counters, for san_table_stats(): entries made, entries in use. */
void san_entry_counts(unsigned long *total, unsigned long *live);
/*
 * Per-thread records (live counts, history rings): a thread owns one while it runs, taken from
 * the list of every record made (one a thread that exited left, else a new one from the arena);
 * never freed. Readers walk the list without its lock: records are only prepended, whole.
 */
struct san_thread_rec {
	struct san_thread_rec *next;
	bool used; /* under the list's lock; the owner clears it (under the lock) when it exits */
};

struct san_thread_recs {
	san_lock_t lock;
	_Atomic(struct san_thread_rec *) head;
};

/* A record of size bytes, starting with its struct san_thread_rec, for the calling thread; NULL
 * when out of memory. */
struct san_thread_rec *san_thread_rec_claim(struct san_thread_recs *l, size_t size);

/* fork: the allocator's locks (table.c takes every table lock). */
void san_arena_fork_lock(void);
void san_arena_fork_unlock(void);

/* ---- rbindex.c: an index of [start, end) ranges, sharded by 1 MiB region, a lock per shard ---- */

RB_HEAD(san_rtree, san_rnode);

struct san_rshard {
	san_lock_t lock;
	u64 maxlen; /* longest range inserted since the shard was last empty: how far back a scan
		     * must start */
	atomic_ulong count; /* written under the lock; read without it to pass an empty shard by */
	struct san_rtree root;
} __attribute__((aligned(64)));

struct san_rindex {
	unsigned int mask;  /* shards - 1 */
	unsigned int shift; /* log2 of the region size that selects a shard */
	atomic_ullong maxlen;
	struct san_rshard *shards;
};

#define SAN_REGION_SHIFT 20 /* 1 MiB regions */
#define SAN_RINDEX_INIT(shards, n) { (n) - 1, SAN_REGION_SHIFT, 0, (shards) }

/* Visitors run with the shard lock held; true stops the walk. */
typedef bool (*san_rnode_visit_fn)(struct san_rnode *n, void *arg);

void san_rindex_init(struct san_rindex *ix, struct san_rshard *shards, unsigned int n);
/* Insert n; with fn, first visit the nodes intersecting it (as san_rindex_visit), its own shard
 * under the lock that inserts it. */
void san_rindex_insert(struct san_rindex *ix, struct san_rnode *n, san_rnode_visit_fn fn,
		       void *arg);
void san_rindex_remove(struct san_rindex *ix, struct san_rnode *n);
/* Nodes intersecting [lo, hi); an empty node at lo counts as intersecting. */
void san_rindex_visit(struct san_rindex *ix, u64 lo, u64 hi, san_rnode_visit_fn fn, void *arg);
/* Whether a node may intersect [lo, hi): false when every shard it could be in is empty. No lock:
 * a node being inserted meanwhile may or may not be seen, as by a visit a moment earlier. */
bool san_rindex_maybe(struct san_rindex *ix, u64 lo, u64 hi);
/* Every node, shard by shard, in order within a shard; true if the visitor stopped the walk. */
bool san_rindex_walk(struct san_rindex *ix, san_rnode_visit_fn fn, void *arg);
void san_rindex_fork_lock(struct san_rindex *ix);
void san_rindex_fork_unlock(struct san_rindex *ix);

/* ---- devices.c: each device's bus-address index ---- */

/* The bus index of dev; created on first sight when create is set (NULL if out of memory).
 * Another device's for a moment when dev is being destroyed (see devices.c): filter by device. */
struct san_rindex *san_dev_index(struct device *dev, bool create);
/* Walk every device's index (see san_rindex_walk); true if stopped. */
bool san_devices_walk(san_rnode_visit_fn fn, void *arg);
unsigned long san_device_count(void);   /* records of live devices */
unsigned long san_device_records(void); /* records made (their memory is never returned) */
void san_devices_fork_lock(void);
void san_devices_fork_unlock(bool child);

/* ---- history.c ---- */

unsigned long san_history_count(void); /* entries ever added */
void san_history_reset(void);
void san_history_fork_lock(void);
void san_history_fork_unlock(void);

#endif
