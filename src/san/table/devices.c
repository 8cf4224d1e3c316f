// SPDX-License-Identifier: MIT
/*
 * Device records: each device's bus-address index, found by the device pointer in a lock-free
 * open-addressing table (linear probing, keys claimed by compare-and-swap). Devices beyond the
 * table's probe reach share one overflow record; entries carry their device, so sharing is exact.
 * A device whose record could not be made (out of memory) uses the overflow record too; without
 * one either, its mappings are in the hash and the physical index only (no bus-range checks).
 */
#include <sched.h>
#include <unistd.h>

#include "rt/oom.h"
#include "report/log.h"
#include "table/table_internal.h"

#define DEV_SHARDS 64
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
static _Atomic(struct san_dev *) dev_overflow;
static san_lock_t create_lock; /* making a record and publishing it (fork holds it) */
static atomic_ulong n_devices;
static atomic_bool oom_noted;

/* A slot's record while its creator makes it is NULL; these mark a slot whose creator failed
 * (out of memory) or vanished (a thread that was making it when the process forked). */
#define REC_FAILED ((struct san_dev *)1)
#define KEY_DEAD ((struct device *)1)

static void note_oom(void)
{
	if (!atomic_exchange(&oom_noted, true))
		dmasan_log_printf("==%d==DMASanitizer: out of memory for device records; bus-address "
				  "checks of the devices concerned are partial from now on\n", getpid());
}

static struct san_dev *dev_record_new(void)
{
	struct san_dev *d = san_arena_alloc(sizeof(*d));

	if (d)
		san_rindex_init(&d->bus, d->shards, DEV_SHARDS);
	else
		san_mem_failed(SAN_MEM_DEVICE);
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
				san_lock(&create_lock);
				rec = dev_record_new();
				atomic_store_explicit(&dev_slots[slot].rec, rec ? rec : REC_FAILED,
						      memory_order_release);
				san_unlock(&create_lock);
				atomic_fetch_add(&n_devices, 1);
				if (rec)
					return rec;
				note_oom();
				break;
			}
		}
		if (k != dev)
			continue;
		/* its creator is making it now (a few instructions and one mmap at most) */
		while (!(rec = atomic_load_explicit(&dev_slots[slot].rec, memory_order_acquire)))
			sched_yield();
		if (rec != REC_FAILED)
			return rec;
		break;
	}
	return create ? overflow_record() : atomic_load_explicit(&dev_overflow, memory_order_acquire);
}

struct san_rindex *san_dev_index(struct device *dev, bool create)
{
	struct san_dev *d = dev_lookup(dev, create);

	return d ? &d->bus : NULL;
}

bool san_devices_walk(san_rnode_visit_fn fn, void *arg)
{
	struct san_dev *d;

	for (unsigned int i = 0; i < DEV_SLOTS; i++) {
		d = atomic_load_explicit(&dev_slots[i].rec, memory_order_acquire);
		if (d && d != REC_FAILED && san_rindex_walk(&d->bus, fn, arg))
			return true;
	}
	d = atomic_load_explicit(&dev_overflow, memory_order_acquire);
	return d && san_rindex_walk(&d->bus, fn, arg);
}

unsigned long san_device_count(void)
{
	return atomic_load(&n_devices);
}

/* Every record's shard locks (fork: table.c). create_lock held: no record appears meanwhile,
 * and records are never freed, so both walks see the same set. */
static void devices_each_index(void (*fn)(struct san_rindex *ix))
{
	struct san_dev *d;

	for (unsigned int i = 0; i < DEV_SLOTS; i++) {
		d = atomic_load_explicit(&dev_slots[i].rec, memory_order_acquire);
		if (d && d != REC_FAILED)
			fn(&d->bus);
	}
	d = atomic_load_explicit(&dev_overflow, memory_order_acquire);
	if (d)
		fn(&d->bus);
}

void san_devices_fork_lock(void)
{
	san_lock(&create_lock);
	devices_each_index(san_rindex_fork_lock);
}

/* A slot whose creator was another thread is dead in the child: that thread is gone and will
 * never publish the record, so the slot is retired (lookups probe past it). */
void san_devices_fork_unlock(bool child)
{
	devices_each_index(san_rindex_fork_unlock);
	san_unlock(&create_lock);
	if (!child)
		return;
	for (unsigned int i = 0; i < DEV_SLOTS; i++)
		if (atomic_load_explicit(&dev_slots[i].key, memory_order_relaxed) &&
		    !atomic_load_explicit(&dev_slots[i].rec, memory_order_relaxed))
			atomic_store(&dev_slots[i].key, KEY_DEAD);
}
