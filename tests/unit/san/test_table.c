// SPDX-License-Identifier: MIT
/* The live-mapping table: exact and best-fit lookups, range visits over the bus and physical
 * indexes, history of unmapped entries, draining a device, counters. */
#include <criterion/criterion.h>

#include "san/table/table.h"

static struct device *const DEV_A = (struct device *)0x1000;
static struct device *const DEV_B = (struct device *)0x2000;

static struct san_entry *add(struct device *dev, dma_addr_t h, u64 size, u64 phys, int type,
			     int dir)
{
	struct san_entry *e = san_entry_alloc();

	cr_assert_not_null(e);
	e->dev = dev;
	e->bus.start = h;
	e->bus.end = h + size;
	e->phys.start = phys;
	e->phys.end = phys ? phys + size : 0;
	e->type = type;
	e->dir = dir;
	san_table_insert(e, NULL, NULL);
	return e;
}

static void fini(void)
{
	san_table_reset();
}

TestSuite(table, .fini = fini);

Test(table, exact_remove_and_history)
{
	struct san_ref ref = { 4096, KDMA_TYPE_SINGLE, DMA_TO_DEVICE, 0 };
	struct san_entry *e;
	struct san_hist h;

	add(DEV_A, 0x10000, 4096, 0x10000, KDMA_TYPE_SINGLE, DMA_TO_DEVICE);
	cr_assert_null(san_table_remove_exact(DEV_B, 0x10000, &ref), "other device must not match");
	cr_assert_null(san_table_remove_exact(DEV_A, 0x10040, &ref), "exact handle only");
	e = san_table_remove_exact(DEV_A, 0x10000, &ref);
	cr_assert_not_null(e);
	san_history_add(e, 7, 1);
	san_entry_free(e);
	cr_assert_null(san_table_remove_exact(DEV_A, 0x10000, &ref), "removed once");
	cr_assert(san_history_find(DEV_A, 0x10000, 0, &h));
	cr_assert_eq(h.unmap_stack, 7);
	cr_assert_eq(h.size, 4096);
	cr_assert_not(san_history_find(DEV_B, 0x10000, 0, &h));
}

Test(table, best_fit_among_duplicate_handles)
{
	struct san_ref ref = { 2048, KDMA_TYPE_PAGE, DMA_FROM_DEVICE, 0 };
	struct san_entry *page, *got;

	/* Without an IOMMU mapping one buffer twice gives the same handle twice. */
	add(DEV_A, 0x20000, 4096, 0x20000, KDMA_TYPE_SINGLE, DMA_TO_DEVICE);
	page = add(DEV_A, 0x20000, 2048, 0x20000, KDMA_TYPE_PAGE, DMA_FROM_DEVICE);
	got = san_table_remove_exact(DEV_A, 0x20000, &ref);
	cr_assert_eq(got, page, "the perfect fit wins");
	san_entry_free(got);
}

static bool count_visit(struct san_entry *e, void *arg)
{
	(*(int *)arg)++;
	return false;
}

Test(table, range_visits_find_sub_ranges_and_overlaps)
{
	int n = 0;

	add(DEV_A, 0x100000, 65536, 0x700000, KDMA_TYPE_SINGLE, DMA_FROM_DEVICE);
	add(DEV_A, 0x300000, 4096, 0x900000, KDMA_TYPE_SINGLE, DMA_FROM_DEVICE);
	san_table_visit_bus(DEV_A, 0x100000 + 60000, 0x100000 + 60001, count_visit, &n);
	cr_assert_eq(n, 1, "a sub-range deep inside the mapping finds it");
	n = 0;
	san_table_visit_bus(DEV_B, 0x100000, 0x100001, count_visit, &n);
	cr_assert_eq(n, 0, "bus ranges are per device");
	n = 0;
	san_table_visit_phys(0x700000 + 65535, 0x700000 + 65536 + 10, count_visit, &n);
	cr_assert_eq(n, 1, "overlap at the last byte");
	n = 0;
	san_table_visit_phys(0x700000 + 65536, 0x900000, count_visit, &n);
	cr_assert_eq(n, 0, "adjacent ranges do not overlap");
	cr_assert(san_table_phys_ever());
	cr_assert(san_table_phys_maybe(0x700000, 0x700001), "the shard of a live range");
	cr_assert(san_table_phys_maybe(0x700000 + 65535, 0x700000 + 65536), "its last byte");
	cr_assert_not(san_table_phys_maybe(0x40000000, 0x40001000), "a region nothing is in");
}

Test(table, large_range_across_shards)
{
	int n = 0;

	/* 64 MiB: longer than all shards' regions together. */
	add(DEV_A, 0x40000000, 64 << 20, 0x40000000, KDMA_TYPE_SG, DMA_BIDIRECTIONAL);
	san_table_visit_phys(0x40000000 + (50 << 20), 0x40000000 + (50 << 20) + 1, count_visit, &n);
	cr_assert_eq(n, 1);
}

Test(table, mark_checked_once_per_entry)
{
	struct san_entry *a = add(DEV_A, 0x50000, 64, 0x50000, KDMA_TYPE_SINGLE, DMA_TO_DEVICE);
	struct san_entry *b = add(DEV_A, 0x50000, 64, 0x50000, KDMA_TYPE_SINGLE, DMA_TO_DEVICE);

	a->map_err = b->map_err = SAN_MAPERR_NOT_CHECKED;
	cr_assert(san_table_mark_checked(DEV_A, 0x50000));
	cr_assert(san_table_mark_checked(DEV_A, 0x50000));
	cr_assert_not(san_table_mark_checked(DEV_A, 0x50000), "each check marks one mapping");
}

static void free_done(struct san_entry *e, void *arg)
{
	(*(int *)arg)++;
	san_entry_free(e);
}

Test(table, drain_device_and_counters_grow)
{
	struct san_table_stats st;
	int drained = 0;

	for (int i = 0; i < 10000; i++)
		add(i & 1 ? DEV_A : DEV_B, 0x1000000 + i * 64ULL, 64, 0, KDMA_TYPE_SINGLE,
		    DMA_TO_DEVICE);
	san_table_stats(&st);
	cr_assert_geq(st.live, 10000);
	cr_assert_geq(st.total, st.live, "the pool grew instead of disabling itself");
	cr_assert_eq(san_table_drain(DEV_A, NULL, NULL, free_done, &drained), 5000);
	cr_assert_eq(drained, 5000);
	cr_assert_leq(sizeof(struct san_entry), 256);
}

#include <pthread.h>

struct worker {
	int id;
	int misses;
};

/* Threads map and unmap on one device while others scan the physical index: no entry is lost
 * or found twice. */
static void *churn(void *arg)
{
	struct worker *w = arg;
	struct san_ref ref = { 256, KDMA_TYPE_SINGLE, DMA_TO_DEVICE, 0 };

	for (int i = 0; i < 20000; i++) {
		dma_addr_t h = 0x10000000ULL * (w->id + 1) + (i % 512) * 256ULL;
		struct san_entry *e;
		int seen = 0;

		add(DEV_A, h, 256, h, KDMA_TYPE_SINGLE, DMA_TO_DEVICE);
		san_table_visit_phys(h, h + 256, count_visit, &seen);
		if (seen != 1)
			w->misses++;
		e = san_table_remove_exact(DEV_A, h, &ref);
		if (!e)
			w->misses++;
		san_entry_free(e);
	}
	return NULL;
}

Test(table, concurrent_map_unmap)
{
	pthread_t t[4];
	struct worker w[4];
	struct san_table_stats before, after;

	san_table_stats(&before);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ i, 0 };
		pthread_create(&t[i], NULL, churn, &w[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(w[i].misses, 0, "thread %d lost entries", i);
	}
	san_table_stats(&after);
	cr_assert_eq(after.live, before.live);
}
