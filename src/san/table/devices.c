// SPDX-License-Identifier: MIT
/*
 * Device records: each device's bus-address index, found by the device pointer in an
 * open-addressing table (linear probing) that lookups read without a lock. Only creation and
 * retirement write the table, under one lock: a slot's record is stored before its key, so a
 * lookup that finds the key finds a record.
 *
 * A destroyed device's record (its entries drained by the leak check) goes back to a free list
 * for the next device created, and its slot becomes a tombstone that lookups probe past and
 * creation reclaims (or an empty slot again, when the next slot is empty). A thread may still hold
 * the record from before (a program mapping on a device being destroyed), and a lookup that read
 * the key just before may read the slot's next record: a record may be shared for a moment.
 * That stays exact: entries carry their device (visitors filter by it) and the index they are in
 * (unlinks go there). A record is handed out again only when it has no entry left.
 *
 * Devices beyond the table's probe reach (64 live devices in a row) share one overflow record.
 * A device whose record could not be made (out of memory) uses the overflow record too; without
 * one either, its mappings are in the hash and the physical index only (no bus-range checks).
 */
#include <unistd.h>

#include "rt/oom.h"
#include "report/log.h"
#include "table/table_internal.h"

#define DEV_SHARDS 64
#define DEV_SLOTS 65536
#define DEV_PROBES 64

struct san_dev {
	struct san_rindex bus;
	_Atomic(struct san_dev *) next; /* every record, oldest first (walks, fork) */
	struct san_dev *next_free;      /* retired records (create_lock) */
	struct san_rshard shards[DEV_SHARDS];
};

static struct {
	_Atomic(struct device *) key;
	_Atomic(struct san_dev *) rec;
} dev_slots[DEV_SLOTS];
static _Atomic(struct san_dev *) dev_overflow;
/* Every write to the slots and the lists; making a record (fork holds it). */
static san_lock_t create_lock;
static _Atomic(struct san_dev *) all_head;
static struct san_dev *all_tail, *free_head;
static atomic_ulong n_live, n_made;
static atomic_bool oom_noted;

/* A slot's record when it could not be made (out of memory): the device uses the overflow
 * record. A slot's key once its device is destroyed: lookups probe past it. */
#define REC_FAILED ((struct san_dev *)1)
#define KEY_DEAD ((struct device *)1)

static inline struct san_dev *load_rec(unsigned int slot)
{
	return atomic_load_explicit(&dev_slots[slot].rec, memory_order_acquire);
}

static inline struct device *load_key(unsigned int slot)
{
	return atomic_load_explicit(&dev_slots[slot].key, memory_order_acquire);
}

static void note_oom(void)
{
	if (!atomic_exchange(&oom_noted, true))
		dmasan_log_printf("==%d==DMASanitizer: out of memory for device records; bus-address "
				  "checks of the devices concerned are partial from now on\n", getpid());
}

/* A new record, on the list of all records; create_lock held. */
static struct san_dev *dev_record_new(void)
{
	struct san_dev *d = san_arena_alloc(sizeof(*d));

	if (!d) {
		san_mem_failed(SAN_MEM_DEVICE);
		return NULL;
	}
	san_rindex_init(&d->bus, d->shards, DEV_SHARDS);
	atomic_store_explicit(&d->next, NULL, memory_order_relaxed);
	atomic_store_explicit(all_tail ? &all_tail->next : &all_head, d, memory_order_release);
	all_tail = d;
	atomic_fetch_add(&n_made, 1);
	return d;
}

/* No entry in it. A map racing with its device's destroy may still add one afterwards: the record
 * is shared then, which stays exact. */
static bool dev_record_empty(struct san_dev *d)
{
	for (unsigned int i = 0; i < DEV_SHARDS; i++)
		if (atomic_load_explicit(&d->shards[i].count, memory_order_relaxed))
			return false;
	return true;
}

/* A retired record with no entry left, else a new one; create_lock held. A retired record that a
 * racing map left entries in waits on the free list until they are unmapped. */
static struct san_dev *dev_record_take(void)
{
	for (struct san_dev **pp = &free_head; *pp; pp = &(*pp)->next_free) {
		struct san_dev *d = *pp;

		if (dev_record_empty(d)) {
			*pp = d->next_free;
			return d;
		}
	}
	return dev_record_new();
}

static inline unsigned int ptr_hash(const void *p)
{
	u64 x = (u64)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (unsigned int)x;
}

static inline unsigned int probe_slot(unsigned int h, unsigned int i)
{
	return (h + i) & (DEV_SLOTS - 1);
}

static struct san_dev *overflow_record(void)
{
	struct san_dev *rec = atomic_load_explicit(&dev_overflow, memory_order_acquire);

	if (rec)
		return rec;
	san_lock(&create_lock);
	rec = atomic_load_explicit(&dev_overflow, memory_order_relaxed);
	if (!rec && (rec = dev_record_new()))
		atomic_store_explicit(&dev_overflow, rec, memory_order_release);
	san_unlock(&create_lock);
	if (!rec)
		note_oom();
	return rec;
}

/* dev's slot, or -1; *room: whether its probe reach has a slot to make it one. Without the
 * lock: no empty slot ever lies between a key's first probe and its slot (tombstones are emptied
 * only in front of an empty slot), so an empty slot ends the search. */
static int slot_find(struct device *dev, bool *room)
{
	unsigned int h = ptr_hash(dev);

	*room = false;
	for (unsigned int i = 0; i < DEV_PROBES; i++) {
		unsigned int slot = probe_slot(h, i);
		struct device *k = load_key(slot);

		if (k == dev)
			return (int)slot;
		if (!k || k == KEY_DEAD)
			*room = true;
		if (!k)
			break;
	}
	return -1;
}

static bool node_of_dev(struct san_rnode *n, void *dev)
{
	return ((struct san_entry *)((char *)n - offsetof(struct san_entry, bus)))->dev == dev;
}

/* A device that fell to the overflow record while its probe reach was full of live devices keeps
 * it while it has entries there: its slot names the overflow record, so its lookups see them.
 * Under create_lock, then the record's shard locks: the order fork takes them in. */
static bool in_overflow(struct san_dev *ovf, struct device *dev)
{
	return ovf && san_rindex_walk(&ovf->bus, node_of_dev, dev);
}

/* dev's record, made if it has none: its slot is the first tombstone or empty slot in its probe
 * reach. NULL: beyond the reach, or out of memory. */
static struct san_dev *dev_create(struct device *dev)
{
	unsigned int h = ptr_hash(dev);
	struct san_dev *rec = NULL;
	int free_slot = -1;

	san_lock(&create_lock);
	for (unsigned int i = 0; i < DEV_PROBES; i++) {
		unsigned int slot = probe_slot(h, i);
		struct device *k = atomic_load_explicit(&dev_slots[slot].key, memory_order_relaxed);

		if (k == dev) { /* another thread made it meanwhile */
			rec = atomic_load_explicit(&dev_slots[slot].rec, memory_order_relaxed);
			free_slot = -1;
			break;
		}
		if (!k || k == KEY_DEAD) {
			if (free_slot < 0)
				free_slot = (int)slot;
			if (!k)
				break;
		}
	}
	if (free_slot >= 0) {
		struct san_dev *ovf = atomic_load_explicit(&dev_overflow, memory_order_relaxed);

		rec = in_overflow(ovf, dev) ? ovf : dev_record_take();
		atomic_store_explicit(&dev_slots[free_slot].rec, rec ? rec : REC_FAILED,
				      memory_order_relaxed);
		atomic_store_explicit(&dev_slots[free_slot].key, dev, memory_order_release);
		if (rec && rec != ovf)
			atomic_fetch_add(&n_live, 1);
	}
	san_unlock(&create_lock);
	if (rec == REC_FAILED || (free_slot >= 0 && !rec)) {
		note_oom();
		return NULL;
	}
	return rec;
}

struct san_rindex *san_dev_index(struct device *dev, bool create)
{
	struct san_dev *d = NULL;
	bool room;
	int slot;

	if (dev != NULL && dev != KEY_DEAD) {
		slot = slot_find(dev, &room);
		if (slot >= 0)
			d = load_rec((unsigned int)slot);
		else if (create && room)
			d = dev_create(dev);
		if (d == REC_FAILED)
			d = NULL;
	}
	if (!d)
		d = create ? overflow_record() : atomic_load_explicit(&dev_overflow,
								      memory_order_acquire);
	return d ? &d->bus : NULL;
}

void san_table_device_gone(struct device *dev)
{
	struct san_dev *rec, *ovf;
	unsigned int next;
	bool room, own;
	int slot;

	san_lock(&create_lock);
	slot = dev != NULL && dev != KEY_DEAD ? slot_find(dev, &room) : -1;
	if (slot < 0)
		goto out;
	rec = atomic_load_explicit(&dev_slots[slot].rec, memory_order_relaxed);
	ovf = atomic_load_explicit(&dev_overflow, memory_order_relaxed);
	own = rec != REC_FAILED && rec != ovf;
	/* A map racing with the destroy left an entry: the record stays the device's. */
	if (own ? !dev_record_empty(rec) : rec == ovf && in_overflow(ovf, dev))
		goto out;
	atomic_store_explicit(&dev_slots[slot].key, KEY_DEAD, memory_order_release);
	if (own) {
		rec->next_free = free_head;
		free_head = rec;
		atomic_fetch_sub(&n_live, 1);
	}
	/* Tombstones in front of an empty slot end no search: empty them, so lookups stop early. */
	next = probe_slot((unsigned int)slot, 1);
	if (atomic_load_explicit(&dev_slots[next].key, memory_order_relaxed))
		goto out;
	for (unsigned int s = (unsigned int)slot;
	     atomic_load_explicit(&dev_slots[s].key, memory_order_relaxed) == KEY_DEAD;
	     s = (s - 1) & (DEV_SLOTS - 1))
		atomic_store_explicit(&dev_slots[s].key, NULL, memory_order_release);
out:
	san_unlock(&create_lock);
}

static inline struct san_dev *first_record(void)
{
	return atomic_load_explicit(&all_head, memory_order_acquire);
}

static inline struct san_dev *next_record(struct san_dev *d)
{
	return atomic_load_explicit(&d->next, memory_order_acquire);
}

/* Every record, in use or retired: a retired one may hold a racing map's entries. */
bool san_devices_walk(san_rnode_visit_fn fn, void *arg)
{
	for (struct san_dev *d = first_record(); d; d = next_record(d))
		if (san_rindex_walk(&d->bus, fn, arg))
			return true;
	return false;
}

unsigned long san_device_count(void)
{
	return atomic_load(&n_live);
}

unsigned long san_device_records(void)
{
	return atomic_load(&n_made);
}

/* Every record's shard locks (fork: table.c); create_lock held, so no record appears meanwhile. */
void san_devices_fork_lock(void)
{
	san_lock(&create_lock);
	for (struct san_dev *d = first_record(); d; d = next_record(d))
		san_rindex_fork_lock(&d->bus);
}

/* Slots and lists change only under create_lock: the child finds them whole. */
void san_devices_fork_unlock(bool child)
{
	for (struct san_dev *d = first_record(); d; d = next_record(d))
		san_rindex_fork_unlock(&d->bus);
	san_unlock(&create_lock);
}
