// SPDX-License-Identifier: MIT
/*
 * bench_devices: a program that creates and destroys devices at new addresses (a unit-test style
 * driver suite, a fuzzer), as the sanitizer's table sees it. Each cycle is one new device pointer:
 * a mapping made, looked up by bus address and unmapped, then the device destroyed (its entries
 * drained and its record retired, as the device_destroy hook does). Every block of cycles prints
 * the time per cycle, the time of one walk over every device's index (what a dump or the exit
 * leak check costs) and the device records made. With --keep the records are never retired,
 * which is how the table behaved before records were reused.
 * Usage: bench_devices [devices [--keep]] (default 200000).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "san/table/table_internal.h"

#define BLOCK 20000
#define HANDLE 0x40000ULL

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void free_done(struct san_entry *e, void *arg)
{
	san_entry_free(e);
}

static bool count_visit(struct san_entry *e, void *arg)
{
	(*(unsigned long *)arg)++;
	return false;
}

static void cycle(struct device *dev, bool keep)
{
	struct san_ref ref = { 4096, KDMA_TYPE_SINGLE, DMA_TO_DEVICE, 0 };
	struct san_entry *e = san_entry_alloc();
	unsigned long seen = 0;

	if (!e)
		abort();
	e->dev = dev;
	e->bus.start = HANDLE;
	e->bus.end = HANDLE + 4096;
	e->type = KDMA_TYPE_SINGLE;
	e->dir = DMA_TO_DEVICE;
	san_table_insert(e, NULL, NULL);
	san_table_visit_bus(dev, HANDLE, HANDLE + 1, count_visit, &seen);
	if (seen != 1)
		abort();
	san_entry_free(san_table_remove_exact(dev, HANDLE, &ref));
	san_table_drain(dev, NULL, NULL, free_done, NULL);
	if (!keep)
		san_table_device_gone(dev);
}

int main(int argc, char **argv)
{
	long devices = argc > 1 ? atol(argv[1]) : 200000;
	bool keep = argc > 2 && !strcmp(argv[2], "--keep");

	if (devices <= 0)
		return 1;
	printf("%s: %ld devices, one mapping each\n", keep ? "records kept" : "records reused",
	       devices);
	printf("%-10s %14s %14s %10s %10s\n", "devices", "ns per cycle", "ns per walk",
	       "records", "live");
	for (long done = 0; done < devices;) {
		long n = devices - done < BLOCK ? devices - done : BLOCK;
		unsigned long seen = 0;
		double t0 = now_ns(), t1, t2;

		for (long i = 0; i < n; i++)
			cycle((struct device *)(0x10000000UL + (done + i) * 0x140), keep);
		t1 = now_ns();
		san_table_visit_all(NULL, count_visit, &seen);
		t2 = now_ns();
		done += n;
		printf("%-10ld %14.1f %14.0f %10lu %10lu\n", done, (t1 - t0) / n, t2 - t1,
		       san_device_records(), san_device_count());
	}
	return 0;
}
