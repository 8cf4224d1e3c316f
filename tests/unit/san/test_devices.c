// SPDX-License-Identifier: MIT
/*
 * Device records: a destroyed device's record goes to the next device created, whatever its
 * address, so a program that creates and destroys devices keeps a bounded number of records;
 * lookups stay exact across the reuse, also when a map racing with a destroy leaves an entry in
 * a record; a device pointer used again after its destroy works. The last tests go through
 * libkdma's device lifecycle (attach.h).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

#include "attach.h"
#include "san/report/report.h"
#include "san/table/table_internal.h"


#define HANDLE 0x40000ULL
#define SIZE 4096

/* The n-th of many distinct device pointers (never dereferenced by the table). */
static struct device *dev_n(unsigned long n)
{
	return (struct device *)(0x10000000UL + n * 0x140);
}

static struct san_entry *add(struct device *dev, dma_addr_t h)
{
	struct san_entry *e = san_entry_alloc();

	cr_assert_not_null(e);
	e->dev = dev;
	e->bus.start = h;
	e->bus.end = h + SIZE;
	e->type = KDMA_TYPE_SINGLE;
	e->dir = DMA_TO_DEVICE;
	san_table_insert(e, NULL, NULL);
	return e;
}

static void free_done(struct san_entry *e, void *arg)
{
	san_entry_free(e);
}

/* What the device_destroy hook does to the table: drain the device's entries, then retire it. */
static void destroy(struct device *dev)
{
	san_table_drain(dev, NULL, NULL, free_done, NULL);
	san_table_device_gone(dev);
}

struct seen {
	struct device *dev;
	unsigned int n, others;
};

static bool note(struct san_entry *e, void *arg)
{
	struct seen *s = arg;

	s->n++;
	s->others += e->dev != s->dev;
	return false;
}

/* How many entries a bus lookup of dev around HANDLE sees, failing if one is not dev's. */
static unsigned int bus_seen(struct device *dev)
{
	struct seen s = { dev, 0, 0 };

	san_table_visit_bus(dev, HANDLE, HANDLE + SIZE, note, &s);
	cr_assert_eq(s.others, 0, "another device's entry seen through %p", (void *)dev);
	return s.n;
}

static unsigned int all_seen(void)
{
	struct seen s = { NULL, 0, 0 };

	san_table_visit_all(NULL, note, &s);
	return s.n;
}

TestSuite(devices, .fini = san_table_reset);

Test(devices, create_destroy_cycles_keep_the_records_bounded)
{
	unsigned long live = san_device_count(), made = san_device_records();

	/* More devices than the table has slots: without reuse they would end in the overflow. */
	for (unsigned long i = 0; i < 100000; i++) {
		struct device *d = dev_n(i);

		add(d, HANDLE);
		cr_assert_eq(san_device_count(), live + 1, "cycle %lu", i);
		cr_assert_eq(bus_seen(d), 1, "cycle %lu", i);
		destroy(d);
	}
	cr_assert_eq(san_device_count(), live);
	cr_assert_leq(san_device_records(), made + 1, "%lu records made",
		      san_device_records() - made);
	cr_assert_eq(all_seen(), 0);
}

Test(devices, many_live_devices_then_churn)
{
	unsigned long live = san_device_count(), made;

	/* 2000 live devices; then each round destroys one and creates a new one elsewhere. */
	for (unsigned long i = 0; i < 2000; i++)
		add(dev_n(i), HANDLE);
	cr_assert_eq(san_device_count(), live + 2000);
	made = san_device_records();
	for (unsigned long i = 2000; i < 60000; i++) {
		destroy(dev_n(i - 2000));
		add(dev_n(i), HANDLE);
	}
	cr_assert_eq(san_device_count(), live + 2000);
	cr_assert_leq(san_device_records(), made + 1);
	for (unsigned long i = 0; i < 60000; i++)
		cr_assert_eq(bus_seen(dev_n(i)), i >= 58000, "device %lu", i);
	for (unsigned long i = 58000; i < 60000; i++)
		destroy(dev_n(i));
	cr_assert_eq(san_device_count(), live);
	cr_assert_eq(all_seen(), 0);
}

Test(devices, the_next_device_gets_the_record_and_sees_only_its_entries)
{
	struct device *a = dev_n(1), *b = dev_n(7777);
	struct san_rindex *ix;

	add(a, HANDLE);
	add(a, HANDLE + 2 * SIZE);
	ix = san_dev_index(a, false);
	cr_assert_not_null(ix);
	destroy(a);
	cr_assert_eq(bus_seen(a), 0);
	add(b, HANDLE);
	cr_assert_eq(san_dev_index(b, false), ix, "the destroyed device's record is reused");
	cr_assert_eq(bus_seen(b), 1);
	cr_assert_eq(bus_seen(a), 0);
}

Test(devices, a_device_pointer_used_again_after_destroy_works)
{
	struct san_ref ref = { SIZE, KDMA_TYPE_SINGLE, DMA_TO_DEVICE, 0 };
	struct device *a = dev_n(3);
	unsigned long live = san_device_count();

	for (int round = 0; round < 3; round++) {
		add(a, HANDLE);
		cr_assert_eq(san_device_count(), live + 1);
		cr_assert_eq(bus_seen(a), 1);
		san_entry_free(san_table_remove_exact(a, HANDLE, &ref));
		cr_assert_eq(bus_seen(a), 0);
		add(a, HANDLE + SIZE);
		destroy(a);
		cr_assert_eq(san_device_count(), live);
		cr_assert_eq(bus_seen(a), 0);
	}
}

/* The entries a destroy could not drain (a map racing with it) keep the record its device's. */
Test(devices, a_record_with_entries_left_is_not_handed_out)
{
	struct san_ref ref = { SIZE, KDMA_TYPE_SINGLE, DMA_TO_DEVICE, 0 };
	struct device *a = dev_n(10), *b = dev_n(20);
	unsigned long live = san_device_count();
	struct san_rindex *ix;

	add(a, HANDLE);
	ix = san_dev_index(a, false);
	san_table_device_gone(a); /* not drained */
	cr_assert_eq(san_device_count(), live + 1);
	add(b, HANDLE);
	cr_assert_neq(san_dev_index(b, false), ix);
	cr_assert_eq(bus_seen(a), 1, "still found through its device");
	cr_assert_eq(bus_seen(b), 1);
	san_entry_free(san_table_remove_exact(a, HANDLE, &ref));
	san_table_device_gone(a);
	cr_assert_eq(san_device_count(), live + 1);
	destroy(b);
	cr_assert_eq(san_device_count(), live);
}

/* A thread that looked the record up before the destroy inserts into it after: the record waits
 * on the free list until that entry is gone, and meanwhile lookups and walks stay exact. */
Test(devices, a_late_entry_in_a_retired_record)
{
	struct device *a = dev_n(30), *b = dev_n(40), *c = dev_n(50);
	struct san_rindex *ix;
	struct san_entry *late;

	add(a, HANDLE);
	ix = san_dev_index(a, false);
	destroy(a);
	late = san_entry_alloc(); /* what san_table_insert does with a record found before */
	cr_assert_not_null(late);
	late->dev = a;
	late->bus.start = HANDLE;
	late->bus.end = HANDLE + SIZE;
	late->bus_index = ix;
	san_rindex_insert(ix, &late->bus, NULL, NULL);

	add(b, HANDLE);
	cr_assert_neq(san_dev_index(b, false), ix, "a record with an entry is not handed out");
	cr_assert_eq(all_seen(), 2, "walks reach the retired record");
	san_rindex_remove(ix, &late->bus);
	san_entry_free(late);
	add(c, HANDLE);
	cr_assert_eq(san_dev_index(c, false), ix, "empty again: handed out");
	cr_assert_eq(bus_seen(b), 1);
	cr_assert_eq(bus_seen(c), 1);
}

/* The first slot devices.c probes for a device (its hash, copied): devices with the same one
 * compete for the same 64 slots. */
static unsigned int home_slot(const struct device *dev)
{
	u64 x = (u64)(uintptr_t)dev;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (unsigned int)x & 65535;
}

#define REACH 64

/* REACH + 1 device pointers with the same first slot. */
static void same_home(struct device **out, unsigned int n)
{
	unsigned int found = 0;

	for (unsigned long k = 1; found < n; k++) {
		struct device *d = (struct device *)(0x700000000000UL + k * 64);

		if (home_slot(d) == 12345)
			out[found++] = d;
	}
}

Test(devices, a_device_in_the_overflow_record_keeps_its_entries_visible)
{
	struct device *c[REACH + 2];
	unsigned long live = san_device_count();
	struct seen all = { NULL, 0, 0 };
	struct device *last = NULL;

	same_home(c, REACH + 2);
	for (int i = 0; i <= REACH; i++)
		add(c[i], HANDLE);
	cr_assert_eq(san_device_count(), live + REACH, "the last one is in the overflow record");
	last = c[REACH];
	cr_assert_eq(bus_seen(last), 1);

	/* A slot in its reach frees: the next map finds it, and still the earlier entry. */
	destroy(c[0]);
	add(last, HANDLE + 2 * SIZE);
	cr_assert_eq(san_device_count(), live + REACH - 1);
	cr_assert_eq(bus_seen(last), 1, "the entry made in the overflow record is still found");
	all.dev = last;
	san_table_visit_all(last, note, &all);
	cr_assert_eq(all.n, 2);
	cr_assert_eq(all.others, 0);

	/* Once drained, the slot is a tombstone again, and a newcomer gets a record of its own. */
	destroy(last);
	add(c[REACH + 1], HANDLE);
	cr_assert_eq(san_device_count(), live + REACH);
	cr_assert_eq(bus_seen(c[REACH + 1]), 1);
	for (int i = 1; i <= REACH + 1; i++)
		destroy(c[i]);
	cr_assert_eq(san_device_count(), live);
	cr_assert_eq(all_seen(), 0);
}

/* Threads map on devices that others destroy meanwhile (the bug of a driver that maps during
 * remove): nothing is lost or seen through the wrong device, and no record stays stuck. A map
 * after the destroy makes the pointer a device again (as a new device at that address would):
 * destroyed once more at the end. */
#define PAIRS 2
#define ROUNDS 20000

static _Atomic(struct device *) current[PAIRS];

static struct device *racing_dev(long pair, unsigned long i)
{
	return dev_n(1000000 + pair * ROUNDS + i);
}

static void *destroyer(void *arg)
{
	long pair = (long)arg;

	for (unsigned long i = 0; i < ROUNDS; i++) {
		struct device *d = racing_dev(pair, i);

		add(d, HANDLE + SIZE);
		atomic_store(&current[pair], d);
		cr_assert_leq(bus_seen(d), 2);
		destroy(d);
	}
	atomic_store(&current[pair], NULL);
	return NULL;
}

static void *mapper(void *arg)
{
	struct san_ref ref = { SIZE, KDMA_TYPE_SINGLE, DMA_TO_DEVICE, 0 };
	long pair = (long)arg;
	struct device *d;

	while ((d = atomic_load(&current[pair]))) {
		add(d, HANDLE);
		bus_seen(d);
		/* NULL: the destroy drained it first */
		san_entry_free(san_table_remove_exact(d, HANDLE, &ref));
	}
	return NULL;
}

Test(devices, maps_racing_with_destroys)
{
	pthread_t t[2 * PAIRS];
	unsigned long live = san_device_count();
	struct san_table_stats st;

	for (long i = 0; i < PAIRS; i++)
		atomic_store(&current[i], racing_dev(i, 0));
	for (long i = 0; i < PAIRS; i++) {
		pthread_create(&t[2 * i], NULL, destroyer, (void *)i);
		pthread_create(&t[2 * i + 1], NULL, mapper, (void *)i);
	}
	for (int i = 0; i < 2 * PAIRS; i++)
		pthread_join(t[i], NULL);
	/* What a racing map left behind is still reachable: the walk finds it and drains it. */
	san_table_reset();
	san_table_stats(&st);
	cr_assert_eq(st.live, 0, "%lu entries lost", st.live);
	for (long i = 0; i < PAIRS; i++)
		for (unsigned long n = 0; n < ROUNDS; n++)
			san_table_device_gone(racing_dev(i, n));
	cr_assert_eq(san_device_count(), live);
}

/* ------------------------------------------------ through libkdma's lifecycle ---- */

static unsigned long errors(void)
{
	unsigned long e;

	dmasan_report_counts(&e, NULL, NULL);
	return e;
}

TestSuite(lifecycle, .init = attach_sanitizer);

Test(lifecycle, destroyed_devices_give_their_records_back)
{
	unsigned long live = san_device_count(), made = san_device_records();
	char *buf = kzalloc(SIZE, GFP_KERNEL);

	for (int i = 0; i < 300; i++) {
		struct device *d = dmasim_device_create(&(struct dmasim_config){ 0 });
		dma_addr_t h;

		cr_assert_not_null(d);
		h = dma_map_single(d, buf, SIZE, DMA_TO_DEVICE);
		cr_assert_not(dma_mapping_error(d, h));
		cr_assert_eq(san_device_count(), live + 1);
		dma_unmap_single(d, h, SIZE, DMA_TO_DEVICE);
		dmasim_device_destroy(d);
		cr_assert_eq(san_device_count(), live);
	}
	cr_assert_leq(san_device_records(), made + 1);
	cr_assert_eq(errors(), 0);
	kfree(buf);
}

Test(lifecycle, a_leak_is_reported_then_the_record_is_reused)
{
	unsigned long live = san_device_count();
	char *buf = kzalloc(SIZE, GFP_KERNEL);
	struct device *a = dmasim_device_create(&(struct dmasim_config){ 0 }), *b;
	dma_addr_t h;

	cr_assert_not_null(a);
	h = dma_map_single(a, buf, SIZE, DMA_TO_DEVICE);
	cr_assert_not(dma_mapping_error(a, h));
	dmasim_device_destroy(a); /* leaks h */
	cr_assert_eq(errors(), 1, "the leak is reported at the destroy");
	cr_assert_eq(san_device_count(), live);
	b = dmasim_device_create(&(struct dmasim_config){ 0 });
	h = dma_map_single(b, buf, SIZE, DMA_TO_DEVICE);
	cr_assert_not(dma_mapping_error(b, h));
	dma_unmap_single(b, h, SIZE, DMA_TO_DEVICE);
	cr_assert_eq(errors(), 1, "the new device inherits nothing");
	dmasim_device_destroy(b);
	cr_assert_eq(errors(), 1);
	kfree(buf);
}
