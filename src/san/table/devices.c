// SPDX-License-Identifier: MIT
/*
 * Device records: each device's bus-address index, found by the device pointer in a lock-free
 * open-addressing table (linear probing, keys claimed by compare-and-swap). Devices beyond the
 * table's probe reach share one overflow record; entries carry their device, so sharing is exact.
 */
#include <sched.h>

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
static struct san_dev *dev_overflow;
static san_lock_t overflow_lock;
static atomic_ulong n_devices;

static struct san_dev *dev_record_new(void)
{
	struct san_dev *d = san_arena_alloc(sizeof(*d));

	if (d)
		san_rindex_init(&d->bus, d->shards, DEV_SHARDS);
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
	struct san_dev *rec;

	san_lock(&overflow_lock);
	rec = dev_overflow;
	san_unlock(&overflow_lock);
	if (rec)
		return rec;
	rec = dev_record_new(); /* outside the lock: it may mmap */
	san_lock(&overflow_lock);
	if (!dev_overflow)
		dev_overflow = rec;
	rec = dev_overflow;
	san_unlock(&overflow_lock);
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
	return create ? overflow_record() : dev_overflow;
}

struct san_rindex *san_dev_index(struct device *dev, bool create)
{
	struct san_dev *d = dev_lookup(dev, create);

	return d ? &d->bus : NULL;
}

bool san_devices_walk(san_rnode_visit_fn fn, void *arg)
{
	for (unsigned int i = 0; i < DEV_SLOTS; i++) {
		struct san_dev *d = atomic_load_explicit(&dev_slots[i].rec, memory_order_acquire);

		if (d && san_rindex_walk(&d->bus, fn, arg))
			return true;
	}
	return dev_overflow && san_rindex_walk(&dev_overflow->bus, fn, arg);
}

unsigned long san_device_count(void)
{
	return atomic_load(&n_devices);
}

void san_devices_atfork_child(void)
{
	for (unsigned int i = 0; i < DEV_SLOTS; i++) {
		struct san_dev *d = atomic_load_explicit(&dev_slots[i].rec, memory_order_relaxed);

		if (d)
			san_rindex_atfork_child(&d->bus);
	}
	if (dev_overflow)
		san_rindex_atfork_child(&dev_overflow->bus);
	san_lock_reset_in_child(&overflow_lock);
}
