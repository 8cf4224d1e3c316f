/* SPDX-License-Identifier: MIT */
/*
 * The live-mapping table, after kernel/dma/debug.c but sharper:
 *  - a hash of entries keyed by (device, handle), each bucket with its own lock (exact lookups
 *    for unmap/free/dma_mapping_error, best-fit among duplicate handles as the kernel does);
 *  - per device, an index by bus address range (a sync of any sub-range, a device access);
 *  - one index by physical range of the CPU memory behind each mapping (overlapping mappings
 *    over the whole range, memory freed while mapped).
 * The range indexes are sharded red-black trees (libbsd <bsd/sys/tree.h>), one lock per shard,
 * so no lock is global. Entries come from an mmap arena with per-thread caches; the table never
 * disables itself, it grows. A ring of recently unmapped entries names where a stale handle was
 * mapped and unmapped (double-unmap, device-use-after-unmap).
 *
 * Lookups hand out copies (snapshots) taken under the lock; the visitor callbacks run with a
 * shard lock held and must not report, allocate or take other table locks.
 */
#ifndef DMASAN_SAN_TABLE_H
#define DMASAN_SAN_TABLE_H

#ifndef __unused /* libbsd's RB_GENERATE_STATIC expects the BSD spelling */
#define __unused __attribute__((unused))
#endif
#include <bsd/sys/tree.h>
#include <time.h>
#include <linux/types.h>
#include <linux/dma-direction.h>

#include "common/kdma_hooks.h"
#include "stacks/stack.h"

struct device;
struct san_rindex;

/* The kernel's map_err_type: whether dma_mapping_error() was called on the handle. */
enum san_map_err { SAN_MAPERR_NA = 0, SAN_MAPERR_NOT_CHECKED, SAN_MAPERR_CHECKED };

/* entry flags */
#define SAN_E_BOUNCED 0x01u           /* KDMA_MAP_BOUNCED */
#define SAN_E_IOMMU 0x02u             /* KDMA_MAP_IOMMU */
#define SAN_E_UNCHECKED_REPORTED 0x04u /* unchecked-map-error already reported for it */
#define SAN_E_UNSAFE_AREA 0x08u       /* mapped memory is a stack, read-only or not mapped */

/* A node of a range index: [start, end). */
struct san_rnode {
	RB_ENTRY(san_rnode) link;
	u64 start, end;
};

struct san_entry {
	struct san_entry *hnext;   /* hash bucket chain */
	struct san_rnode bus;      /* [handle, handle + size) in the device's bus index */
	struct san_rnode phys;     /* CPU memory [phys, phys + len); empty: not indexed */
	struct san_rindex *bus_index; /* the index bus is in (NULL: none): dev's record may change */
	/* set before san_table_insert(), constant while the entry is linked */
	struct device *dev;
	const void *cpu_addr;      /* driver's pointer (NULL: resource / sg) */
	u64 seq;                   /* creation sequence number (age) */
	unsigned long attrs;       /* DMA_ATTR_*; for pool blocks: the struct dma_pool * */
	u64 map_ns;                /* san_now_ns() at insert: the age shown in dumps */
	dmasan_stack_id map_stack;
	u32 tid;                   /* thread that mapped it */
	u32 sg_call_nents, sg_mapped_nents;
	u8 type;                   /* enum kdma_map_type */
	u8 dir;                    /* enum dma_data_direction */
	/* Changed while linked, each under one index's lock while readers may hold another's:
	 * read and written with __atomic (the accessors below, san_entry_snapshot). */
	u8 map_err;                /* enum san_map_err; under the bucket lock */
	u8 flags;                  /* SAN_E_*; under the bus index lock */
	u16 sync_cpu_tid, sync_dev_tid; /* threads of the last syncs (reports' "Tn"); bus lock */
	dmasan_stack_id sync_cpu_stack, sync_dev_stack; /* bus lock */
	void *shadow;              /* per-mapping state of the ownership layer (acquire/release) */
};

/* A copy of e for use after the table lock is dropped (lookups, visitors): its data without the
 * links, which other threads rewrite under the other indexes' locks (tree rebalancing, a bucket
 * chain), and the changing fields read atomically. */
void san_entry_snapshot(struct san_entry *copy, const struct san_entry *e);

static inline u8 san_entry_map_err(const struct san_entry *e)
{
	return __atomic_load_n(&e->map_err, __ATOMIC_RELAXED);
}

static inline u8 san_entry_flags(const struct san_entry *e)
{
	return __atomic_load_n(&e->flags, __ATOMIC_RELAXED);
}

/* Under the bus index lock (a visitor of san_table_visit_bus): whether e is a mapping nobody
 * checked with dma_mapping_error() and not reported as such yet; if so it is marked reported. */
static inline bool san_entry_take_unchecked(struct san_entry *e)
{
	if (san_entry_map_err(e) != SAN_MAPERR_NOT_CHECKED ||
	    (san_entry_flags(e) & SAN_E_UNCHECKED_REPORTED))
		return false;
	__atomic_fetch_or(&e->flags, SAN_E_UNCHECKED_REPORTED, __ATOMIC_RELAXED);
	return true;
}

/* The last sync of e (under the bus index lock), for_cpu or for the device. */
static inline void san_entry_set_sync(struct san_entry *e, bool for_cpu, dmasan_stack_id stack,
				      u16 tid)
{
	__atomic_store_n(for_cpu ? &e->sync_cpu_stack : &e->sync_dev_stack, stack,
			 __ATOMIC_RELAXED);
	__atomic_store_n(for_cpu ? &e->sync_cpu_tid : &e->sync_dev_tid, tid, __ATOMIC_RELAXED);
}

static inline dma_addr_t san_handle(const struct san_entry *e)
{
	return e->bus.start;
}

static inline u64 san_size(const struct san_entry *e)
{
	return e->bus.end - e->bus.start;
}

/* CLOCK_MONOTONIC_COARSE in nanoseconds, for san_entry.map_ns: an age in a dump needs no more
 * than the clock tick, and the coarse clock costs a fraction of the precise one, which is a
 * measurable share of a checked map. */
static inline u64 san_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (u64)ts.tv_sec * 1000000000u + (u64)ts.tv_nsec;
}

/* What the releasing/syncing call passed, to pick the best fit among entries that share a
 * handle (as the kernel does). */
struct san_ref {
	u64 size;
	u8 type, dir;
	u32 sg_call_nents; /* 0: not an sg call */
};

/* A recently unmapped entry. */
struct san_hist {
	struct device *dev;
	dma_addr_t handle;
	u64 size;
	phys_addr_t phys;
	u8 type, dir;
	u32 map_tid, unmap_tid;
	dmasan_stack_id map_stack, unmap_stack;
	u64 order; /* san_table_seq_now() at the unmap: later unmaps have larger or equal ones */
};

struct san_table_stats {
	unsigned long live;        /* entries in use now */
	unsigned long free, total; /* allocator: free, all */
	unsigned long devices, history;
	unsigned long errors, warnings; /* reports so far (dmasan_report_counts), for dumps */
};

/* Entries: zeroed on allocation; freed only after san_table_remove* unlinked them. */
struct san_entry *san_entry_alloc(void);
/* An entry that is a copy of tmpl (one pass over it instead of zeroing it first). */
struct san_entry *san_entry_alloc_from(const struct san_entry *tmpl);
void san_entry_free(struct san_entry *e);

typedef bool (*san_visit_fn)(struct san_entry *e, void *arg);

/* Insert into every index (phys only when e->phys is non-empty); sets e->seq and e->map_ns.
 * phys_fn (or NULL) first visits the live entries whose CPU memory intersects e's, as
 * san_table_visit_phys: the overlap check, in the same pass as the insertion. */
void san_table_insert(struct san_entry *e, san_visit_fn phys_fn, void *arg);

/* Exact (dev, handle) lookup with best fit: unlink the entry from every index and return it (the
 * caller owns it and frees it with san_entry_free), or NULL. */
struct san_entry *san_table_remove_exact(struct device *dev, dma_addr_t handle,
					 const struct san_ref *ref);
/* Exact lookup: copy of the best-fit entry. */
bool san_table_get_exact(struct device *dev, dma_addr_t handle, const struct san_ref *ref,
			 struct san_entry *copy);
/* dma_mapping_error(): mark the first NOT_CHECKED entry of (dev, handle) CHECKED. */
bool san_table_mark_checked(struct device *dev, dma_addr_t handle);

/* Visit live entries whose range intersects [lo, hi) (hi > lo). fn returns true to stop. */
void san_table_visit_phys(u64 lo, u64 hi, san_visit_fn fn, void *arg);
void san_table_visit_bus(struct device *dev, u64 lo, u64 hi, san_visit_fn fn, void *arg);
/* Every live entry (dev NULL) or every entry of dev. */
void san_table_visit_all(struct device *dev, san_visit_fn fn, void *arg);

/* Unlink every entry of dev for which pred (under the lock) returns true (pred NULL: all) and
 * hand each to done() outside the locks, which must free it. Returns how many. */
typedef void (*san_done_fn)(struct san_entry *e, void *arg);
unsigned long san_table_drain(struct device *dev, san_visit_fn pred, void *pred_arg,
			      san_done_fn done, void *done_arg);
/* dev was destroyed and its entries drained: its device record goes back for the next device. */
void san_table_device_gone(struct device *dev);

/* Whether an entry with CPU memory was ever inserted: one load (the intercepts' first test). */
bool san_table_phys_ever(void);
/* Whether a live entry's CPU memory may intersect [lo, hi) (hi > lo): false is sure, true means
 * a visit is worth it. Lock free, a few loads. */
bool san_table_phys_maybe(u64 lo, u64 hi);

/* Whether e was made before this process was forked from its parent: the mapping is the
 * parent's (it unmaps it), so it is never a leak of the child. */
bool san_entry_inherited(const struct san_entry *e);

/* Sequence numbers given out so far: a clock that moves at every insert, read without a locked
 * instruction. */
u64 san_table_seq_now(void);

/* History of unmapped entries. */
void san_history_add(const struct san_entry *e, dmasan_stack_id unmap_stack, u32 unmap_tid);
/* Most recent unmapped entry of dev containing [addr, addr + len) (len 0: starting at addr). */
bool san_history_find(struct device *dev, dma_addr_t addr, u64 len, struct san_hist *out);
/* For an unmap of a handle no live mapping has: the most recent unmapped mapping of that handle
 * with the same size, else the most recent of that handle. */
bool san_history_find_unmap(struct device *dev, dma_addr_t handle, u64 size, struct san_hist *out);

void san_table_stats(struct san_table_stats *st);

/* Test hook: forget every entry and the history (single-threaded use only). */
void san_table_reset(void);

#endif
