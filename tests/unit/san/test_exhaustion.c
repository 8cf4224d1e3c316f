// SPDX-License-Identifier: MIT
/*
 * Resource exhaustion of the sanitizer itself: the live-mapping table at a million entries
 * (correct, and a bounded number of bytes per entry), and the runtime's own allocations failing
 * (san_mem_inject_failures): one message per kind of memory, no crash, and checking goes on.
 * The JSON file failing (full disk) is tests/exhaustion/. libkdma is linked statically and the
 * hook table attached by hand (attach.h).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

#include "attach.h"
#include "san/report/report.h"
#include "san/rt/oom.h"
#include "san/rt/options.h"
#include "san/table/table.h"

/* ------------------------------------------------------------ table growth ---- */

#define MILLION 1000000UL
#define BUS_BASE 0x100000ULL
#define PHYS_BASE 0x10000000000ULL
/* Bytes of resident memory one live entry may cost: the entry (192 bytes) and its share of
 * the allocator's chunks and the range trees, with room for a sanitizer build's shadow. */
#define MAX_BYTES_PER_ENTRY 384

static struct device *const DEV = (struct device *)0x4000;

static unsigned long rss_bytes(void)
{
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	cr_assert_not_null(f);
	cr_assert_eq(fscanf(f, "%lu %lu", &size, &resident), 2);
	fclose(f);
	return resident * (unsigned long)sysconf(_SC_PAGESIZE);
}

static bool count_visit(struct san_entry *e, void *arg)
{
	(*(unsigned long *)arg)++;
	return false;
}

static void insert_million(void)
{
	for (unsigned long i = 0; i < MILLION; i++) {
		struct san_entry *e = san_entry_alloc();

		cr_assert_not_null(e, "entry %lu", i);
		e->dev = DEV;
		e->bus.start = BUS_BASE + i * 4096;
		e->bus.end = e->bus.start + 4096;
		e->phys.start = PHYS_BASE + i * 4096;
		e->phys.end = e->phys.start + 4096;
		e->type = KDMA_TYPE_SINGLE;
		e->dir = DMA_TO_DEVICE;
		san_table_insert(e, NULL, NULL);
	}
}

static void remove_million(void)
{
	struct san_ref ref = { 4096, KDMA_TYPE_SINGLE, DMA_TO_DEVICE, 0 };

	for (unsigned long i = 0; i < MILLION; i++) {
		struct san_entry *e = san_table_remove_exact(DEV, BUS_BASE + i * 4096, &ref);

		cr_assert_not_null(e, "entry %lu is gone", i);
		san_entry_free(e);
	}
}

Test(growth, a_million_live_entries, .timeout = 240)
{
	struct san_ref ref = { 4096, KDMA_TYPE_SINGLE, DMA_TO_DEVICE, 0 };
	struct san_table_stats st;
	unsigned long before = rss_bytes(), grown, total;
	struct san_entry copy;

	insert_million();
	grown = rss_bytes() - before;
	san_table_stats(&st);
	cr_assert_eq(st.live, MILLION);
	cr_assert_leq(st.total - st.live, 2 * 4096, "allocator slack: %lu", st.total - st.live);
	cr_assert_leq(grown / MILLION, MAX_BYTES_PER_ENTRY, "%lu bytes per live entry",
		      grown / MILLION);
	cr_log_info("%lu bytes per live entry (entry: %zu)", grown / MILLION,
		    sizeof(struct san_entry));

	/* every index still answers exactly, at the ends and all over */
	for (unsigned long i = 0; i < MILLION; i += i < 8 || i > MILLION - 8 ? 1 : 997) {
		u64 bus = BUS_BASE + i * 4096, phys = PHYS_BASE + i * 4096;
		unsigned long hits = 0;

		cr_assert(san_table_get_exact(DEV, bus, &ref, &copy), "entry %lu", i);
		cr_assert_eq(copy.phys.start, phys);
		san_table_visit_bus(DEV, bus + 100, bus + 101, count_visit, &hits);
		cr_assert_eq(hits, 1, "bus lookup of entry %lu: %lu hits", i, hits);
		hits = 0;
		san_table_visit_phys(phys + 4095, phys + 4097, count_visit, &hits);
		cr_assert_eq(hits, i == MILLION - 1 ? 1 : 2, "phys lookup of entry %lu", i);
	}
	cr_assert_not(san_table_get_exact(DEV, BUS_BASE + MILLION * 4096, &ref, &copy));

	/* emptied and filled again: the same entries, no growth */
	remove_million();
	san_table_stats(&st);
	cr_assert_eq(st.live, 0);
	total = st.total;
	insert_million();
	san_table_stats(&st);
	cr_assert_eq(st.total, total, "entries are reused: %lu then %lu", total, st.total);
	remove_million();
	san_table_reset();
}

/* -------------------------------------------------- runtime out of memory ---- */

static struct device *dev;
static FILE *log_file;
static int saved_stderr;

/* The runtime's log is stderr: keep it in a file to count the messages. */
static void attach(void)
{
	attach_sanitizer();
	log_file = tmpfile();
	cr_assert_not_null(log_file);
	fflush(stderr);
	saved_stderr = dup(2);
	dup2(fileno(log_file), 2);
	dev = dmasim_device_create(&(struct dmasim_config){ .iommu = DMASIM_IOMMU_STRICT });
	cr_assert_not_null(dev);
}

static void detach(void)
{
	san_mem_inject_failures(~0UL);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	fclose(log_file);
}

/* The log so far, and how often needle occurs in it. */
static unsigned int log_count(const char *needle)
{
	static char text[1 << 20];
	size_t n;
	unsigned int count = 0;

	fflush(stderr);
	rewind(log_file);
	n = fread(text, 1, sizeof(text) - 1, log_file);
	text[n] = '\0';
	for (const char *p = text; (p = strstr(p, needle)); p++)
		count++;
	return count;
}

static unsigned long errors(void)
{
	unsigned long e;

	dmasan_report_counts(&e, NULL, NULL);
	return e;
}

TestSuite(oom, .init = attach, .fini = detach);

Test(oom, untracked_mappings_are_said_once_and_checking_goes_on)
{
	char *buf = kzalloc(16 * 256, GFP_KERNEL);
	dma_addr_t h[8], fresh;
	unsigned long e0;

	san_mem_inject_failures(0);
	for (int i = 0; i < 8; i++) {
		h[i] = dma_map_single(dev, buf + i * 256, 256, DMA_TO_DEVICE);
		cr_assert_not(dma_mapping_error(dev, h[i]), "libkdma itself still maps");
	}
	cr_assert_eq(san_mem_failures(SAN_MEM_ENTRY), 8);
	cr_assert_eq(log_count("out of memory for a table entry"), 1, "said once");
	san_mem_inject_failures(~0UL);

	/* Unmapping what could not be tracked is reported, with the reason attached. */
	e0 = errors();
	for (int i = 0; i < 8; i++)
		dma_unmap_single(dev, h[i], 256, DMA_TO_DEVICE);
	cr_assert_gt(errors(), e0);
	cr_assert_geq(log_count("untracked mappings=8"), 1);

	/* Checking goes on: a double unmap made now is found. */
	e0 = errors();
	fresh = dma_map_single(dev, buf + 8 * 256, 256, DMA_TO_DEVICE);
	cr_assert_not(dma_mapping_error(dev, fresh));
	dma_unmap_single(dev, fresh, 256, DMA_TO_DEVICE);
	dma_unmap_single(dev, fresh, 256, DMA_TO_DEVICE);
	cr_assert_eq(errors(), e0 + 1);
	cr_assert_eq(log_count("ERROR: DMASanitizer: double-unmap"), 1);
	cr_assert_eq(log_count("out of memory for a table entry"), 1, "still said once");
	kfree(buf);
	dmasim_device_destroy(dev);
}

/* Everything a driver does, so that each of the runtime's allocators is reached. */
static void workload(struct device *d)
{
	struct dma_pool *pool = dma_pool_create("oom", d, 64, 64, 0);
	struct scatterlist sg[3];
	char *buf = kzalloc(3 * 4096, GFP_KERNEL);
	dma_addr_t h, ch, ph;
	void *cpu, *blk;
	int n;

	h = dma_map_single(d, buf, 512, DMA_FROM_DEVICE);
	if (!dma_mapping_error(d, h)) {
		dmasim_dma_write(d, h, "data", 4);
		dma_sync_single_for_cpu(d, h, 512, DMA_FROM_DEVICE);
		dma_sync_single_for_device(d, h, 512, DMA_FROM_DEVICE);
		dma_unmap_single(d, h, 512, DMA_FROM_DEVICE);
	}
	sg_init_table(sg, 3);
	for (int i = 0; i < 3; i++)
		sg_set_buf(&sg[i], buf + 4096 + i * 1024, 1024);
	n = dma_map_sg(d, sg, 3, DMA_BIDIRECTIONAL);
	if (n > 0) {
		dma_sync_sg_for_cpu(d, sg, 3, DMA_BIDIRECTIONAL);
		dma_unmap_sg(d, sg, 3, DMA_BIDIRECTIONAL);
	}
	cpu = dma_alloc_coherent(d, 4096, &ch, GFP_KERNEL);
	if (cpu)
		dma_free_coherent(d, 4096, cpu, ch);
	blk = pool ? dma_pool_alloc(pool, GFP_KERNEL, &ph) : NULL;
	if (blk)
		dma_pool_free(pool, blk, ph);
	if (pool)
		dma_pool_destroy(pool);
	kfree(buf);
}

/* Every allocation from the n-th on fails, for each n over the workload: no crash, each kind of
 * memory said at most once, and a double unmap after the memory returns is still found. */
Test(oom, failures_at_every_point_never_crash)
{
	static const char *const kinds[] = { "a table entry", "a stack trace", "ownership state",
					     "CPU-access tracking" };
	char *buf = kzalloc(256, GFP_KERNEL);
	dma_addr_t h;
	unsigned long e0;

	for (unsigned long n = 0; n < 48; n++) {
		struct device *d = dmasim_device_create(&(struct dmasim_config){
			.iommu = n % 2 ? DMASIM_IOMMU_STRICT : DMASIM_IOMMU_NONE });

		cr_assert_not_null(d);
		san_mem_inject_failures(n);
		workload(d);
		san_mem_inject_failures(~0UL);
		dmasim_device_destroy(d);
	}
	for (unsigned int i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char needle[64];

		snprintf(needle, sizeof(needle), "out of memory for %s", kinds[i]);
		cr_assert_leq(log_count(needle), 1, "'%s' said more than once", kinds[i]);
	}
	cr_assert_gt(san_mem_failures(SAN_MEM_ENTRY), 0);
	cr_assert_gt(san_mem_failures(SAN_MEM_SHADOW) + san_mem_failures(SAN_MEM_STACK), 0);

	e0 = errors();
	h = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	cr_assert_not(dma_mapping_error(dev, h));
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);
	cr_assert_eq(errors(), e0 + 1, "checking went on");
	kfree(buf);
	dmasim_device_destroy(dev);
}
