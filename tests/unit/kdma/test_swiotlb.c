// SPDX-License-Identifier: MIT
/*
 * SWIOTLB: what the device and the CPU see per direction and per sync call, alignment, the
 * 256 KiB limit, exhaustion and recovery, growth, and concurrent maps. The device side goes
 * through the bus address (dev_read/dev_write below), so it touches the slot, never the original.
 * Each Criterion test runs in its own process: the pool is created fresh with the options the
 * test sets.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdlib.h>
#include <string.h>

#include "kdma/dma/dma.h"

#define KIB 1024UL

static struct device_dma_parameters parms;
static u64 mask32 = DMA_BIT_MASK(32);
static struct kdma_dev kd;
static struct device dev;

static void setup_opts(const char *opts)
{
	setenv("KDMA_OPTIONS", opts, 1);
	kdma_options_reload();
	parms = (struct device_dma_parameters){ .max_segment_size = 65536,
						.segment_boundary_mask = 0xffffffff };
	kd = (struct kdma_dev){ .dev = &dev, .bounce = DMASIM_BOUNCE_FORCE };
	dev = (struct device){ .dma_mask = &mask32, .coherent_dma_mask = mask32, .dma_parms = &parms,
			       .dma_coherent = true, .kdma = &kd };
}

static void setup(void)
{
	setup_opts("swiotlb_size=4M:swiotlb_areas=2");
}

/* The simulated device: bus address == phys of the slot (no DMA offset). */
static void dev_write(dma_addr_t addr, const void *src, size_t len)
{
	cr_assert(is_swiotlb_buffer(&dev, addr), "device write outside the bounce pool");
	memcpy(kdma_phys_to_virt(addr), src, len);
}

static void dev_read(dma_addr_t addr, void *dst, size_t len)
{
	cr_assert(is_swiotlb_buffer(&dev, addr), "device read outside the bounce pool");
	memcpy(dst, kdma_phys_to_virt(addr), len);
}

static bool all_bytes(const void *p, int c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != (unsigned char)c)
			return false;
	return true;
}

static dma_addr_t map(void *buf, size_t size, enum dma_data_direction dir, unsigned long attrs)
{
	enum kdma_map_failure why = KDMA_FAIL_NONE;
	dma_addr_t a = swiotlb_map(&dev, kdma_virt_to_phys(buf), size, dir, attrs, &why);

	cr_assert_neq(a, DMA_MAPPING_ERROR, "swiotlb_map failed (why %d)", why);
	cr_assert_lt(a + size - 1, 1ULL << 32, "bounce slot not below 4 GiB");
	return a;
}

static void unmap(dma_addr_t a, size_t size, enum dma_data_direction dir, unsigned long attrs)
{
	swiotlb_tbl_unmap_single(&dev, a, size, dir, attrs);
}

TestSuite(swiotlb, .init = setup);

/* ---------------------------------------------------------------- copy rules ---- */

Test(swiotlb, map_copies_original_into_slot_whatever_dir)
{
	static const enum dma_data_direction dirs[] = { DMA_TO_DEVICE, DMA_FROM_DEVICE,
							DMA_BIDIRECTIONAL };
	char buf[3000], seen[3000];

	for (size_t d = 0; d < 3; d++) {
		dma_addr_t a;

		memset(buf, 0x40 + (int)d, sizeof(buf));
		a = map(buf, sizeof(buf), dirs[d], 0);
		cr_assert_neq(a, kdma_virt_to_phys(buf), "the mapping did not bounce");
		dev_read(a, seen, sizeof(seen));
		cr_assert(all_bytes(seen, 0x40 + (int)d, sizeof(seen)), "dir %d: slot not filled",
			  dirs[d]);
		cr_assert_eq(swiotlb_orig_phys(a + 100), kdma_virt_to_phys(buf) + 100);
		unmap(a, sizeof(buf), dirs[d], DMA_ATTR_SKIP_CPU_SYNC);
	}
}

Test(swiotlb, from_device_without_sync_for_cpu_cpu_reads_stale_bytes)
{
	char buf[512], data[512];
	dma_addr_t a;

	memset(buf, 0x11, sizeof(buf));
	a = map(buf, sizeof(buf), DMA_FROM_DEVICE, 0);
	memset(data, 0x22, sizeof(data));
	dev_write(a, data, sizeof(data));
	cr_assert(all_bytes(buf, 0x11, sizeof(buf)), "device write reached the original directly");
	swiotlb_sync_single_for_cpu(&dev, a, sizeof(buf), DMA_FROM_DEVICE);
	cr_assert(all_bytes(buf, 0x22, sizeof(buf)), "sync_for_cpu did not copy slot to original");
	unmap(a, sizeof(buf), DMA_FROM_DEVICE, 0);
}

Test(swiotlb, to_device_cpu_update_needs_sync_for_device)
{
	char buf[700], seen[700];
	dma_addr_t a;

	memset(buf, 0xa1, sizeof(buf));
	a = map(buf, sizeof(buf), DMA_TO_DEVICE, 0);
	memset(buf, 0xb2, sizeof(buf)); /* CPU refills the buffer but forgets the sync */
	dev_read(a, seen, sizeof(seen));
	cr_assert(all_bytes(seen, 0xa1, sizeof(seen)), "device must see the stale map-time data");
	swiotlb_sync_single_for_device(&dev, a, sizeof(buf), DMA_TO_DEVICE);
	dev_read(a, seen, sizeof(seen));
	cr_assert(all_bytes(seen, 0xb2, sizeof(seen)), "sync_for_device(TO_DEVICE) did not copy");
	unmap(a, sizeof(buf), DMA_TO_DEVICE, 0);
}

static bool copies_to_device(enum dma_data_direction dir)
{
	return dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL;
}

static bool copies_to_cpu(enum dma_data_direction dir)
{
	return dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL;
}

/* Every cell of the kernel's SWIOTLB copy rules (docs/swiotlb.md): per mapping direction, each sync call in each
 * direction (a sync copies by its own dir, not the mapping's), and unmap with and without
 * DMA_ATTR_SKIP_CPU_SYNC. */
Test(swiotlb, copy_matrix_matches_the_kernel_table)
{
	static const enum dma_data_direction dirs[] = { DMA_TO_DEVICE, DMA_FROM_DEVICE,
							DMA_BIDIRECTIONAL };
	char buf[900], seen[900], data[900];

	for (int m = 0; m < 3; m++) {
		for (int sd = 0; sd < 3; sd++) {
			dma_addr_t a;

			memset(buf, 0xa0, sizeof(buf));
			a = map(buf, sizeof(buf), dirs[m], 0);
			/* sync_for_device: orig → slot only for TO_DEVICE / BIDIRECTIONAL */
			memset(buf, 0xb0, sizeof(buf));
			swiotlb_sync_single_for_device(&dev, a, sizeof(buf), dirs[sd]);
			dev_read(a, seen, sizeof(seen));
			cr_assert(all_bytes(seen, copies_to_device(dirs[sd]) ? 0xb0 : 0xa0, sizeof(seen)),
				  "map dir %d, sync_for_device(%d)", dirs[m], dirs[sd]);
			/* sync_for_cpu: slot → orig only for FROM_DEVICE / BIDIRECTIONAL */
			memset(data, 0xc0, sizeof(data));
			dev_write(a, data, sizeof(data));
			memset(buf, 0xd0, sizeof(buf));
			swiotlb_sync_single_for_cpu(&dev, a, sizeof(buf), dirs[sd]);
			cr_assert(all_bytes(buf, copies_to_cpu(dirs[sd]) ? 0xc0 : 0xd0, sizeof(buf)),
				  "map dir %d, sync_for_cpu(%d)", dirs[m], dirs[sd]);
			/* unmap: slot → orig for FROM_DEVICE / BIDIRECTIONAL unless SKIP_CPU_SYNC */
			memset(data, 0xe0, sizeof(data));
			dev_write(a, data, sizeof(data));
			memset(buf, 0xf0, sizeof(buf));
			unmap(a, sizeof(buf), dirs[m], sd == 0 ? DMA_ATTR_SKIP_CPU_SYNC : 0);
			cr_assert(all_bytes(buf, copies_to_cpu(dirs[m]) && sd ? 0xe0 : 0xf0, sizeof(buf)),
				  "unmap dir %d, attrs %s", dirs[m], sd ? "0" : "SKIP_CPU_SYNC");
		}
	}
}

/* CVE-2022-0854: bytes the device does not write keep the original's contents, even when the
 * slot held another mapping's data just before. */
Test(swiotlb, partial_device_write_leaves_rest_of_original_intact, .init = NULL)
{
	char *buf = malloc(8192), secret[8192], data[100];
	dma_addr_t a;

	setup_opts("swiotlb_size=256K:swiotlb_areas=1");
	memset(secret, 0xee, sizeof(secret));
	a = map(secret, sizeof(secret), DMA_TO_DEVICE, 0);
	unmap(a, sizeof(secret), DMA_TO_DEVICE, 0);

	memset(buf, 0x10, 8192);
	for (int i = 0; i < 40; i++) { /* walk the next-fit index round until the slot is reused */
		dma_addr_t b = map(buf, 8192, DMA_FROM_DEVICE, 0);

		if (b == a || i == 39) {
			cr_assert_eq(b, a, "the pool never handed the old slot out again");
			break;
		}
		unmap(b, 8192, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
	}
	memset(data, 0x99, sizeof(data));
	dev_write(a + 1000, data, sizeof(data));
	unmap(a, 8192, DMA_FROM_DEVICE, 0);
	cr_assert(all_bytes(buf, 0x10, 1000));
	cr_assert(all_bytes(buf + 1000, 0x99, 100));
	cr_assert(all_bytes(buf + 1100, 0x10, 8192 - 1100), "stale slot bytes leaked into the buffer");
	free(buf);
}

Test(swiotlb, sync_of_a_sub_range_copies_only_that_range)
{
	char *buf = malloc(8192), data[8192];
	dma_addr_t a;

	memset(buf, 0x01, 8192);
	a = map(buf, 8192, DMA_FROM_DEVICE, 0);
	memset(data, 0x02, sizeof(data));
	dev_write(a, data, sizeof(data));
	swiotlb_sync_single_for_cpu(&dev, a + 4096 + 100, 50, DMA_FROM_DEVICE);
	cr_assert(all_bytes(buf, 0x01, 4196));
	cr_assert(all_bytes(buf + 4196, 0x02, 50));
	cr_assert(all_bytes(buf + 4246, 0x01, 8192 - 4246));
	unmap(a, 8192, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
	free(buf);
}

/* ------------------------------------------------------------------ alignment ---- */

Test(swiotlb, min_align_mask_bits_of_the_original_are_preserved)
{
	char *page = aligned_alloc(16384, 16384);
	static const size_t offs[] = { 0x234, 0xa34, 0x800, 0x1, 0xfff };

	parms.min_align_mask = 0xfff; /* NVMe */
	for (size_t i = 0; i < 5; i++) {
		dma_addr_t a = map(page + offs[i], 3000, DMA_TO_DEVICE, 0);

		cr_assert_eq(a & 0xfff, offs[i], "offset %#zx became %#llx", offs[i],
			     (unsigned long long)(a & 0xfff));
		unmap(a, 3000, DMA_TO_DEVICE, 0);
	}
	free(page);
}

Test(swiotlb, page_or_more_is_page_aligned_without_min_align_mask)
{
	char *buf = malloc(3 * 4096);

	for (int i = 0; i < 8; i++) {
		dma_addr_t small = map(buf + 3, 100, DMA_TO_DEVICE, 0);
		dma_addr_t big = map(buf + 3, 4096, DMA_TO_DEVICE, 0);

		cr_assert_eq(small & (IO_TLB_SIZE - 1), 0, "not slot-aligned");
		cr_assert_eq(big & 4095, 0, "a one-page bounce is not page-aligned");
		unmap(big, 4096, DMA_TO_DEVICE, 0);
		unmap(small, 100, DMA_TO_DEVICE, 0);
	}
	free(buf);
}

Test(swiotlb, alloc_align_mask_of_tbl_map_single)
{
	char buf[600];

	cr_redirect_stderr(); /* 0x3fff > PAGE_SIZE - 1: the kernel's "Alloc alignment" WARN */
	for (int i = 0; i < 8; i++) {
		phys_addr_t t = swiotlb_tbl_map_single(&dev, kdma_virt_to_phys(buf), sizeof(buf),
						       0x3fff, DMA_TO_DEVICE, 0);
		phys_addr_t u = swiotlb_tbl_map_single(&dev, kdma_virt_to_phys(buf), sizeof(buf),
						       0, DMA_TO_DEVICE, 0);

		cr_assert_neq(t, (phys_addr_t)-1);
		cr_assert_eq(t & 0x3fff, 0, "alloc_align_mask 0x3fff not honoured");
		swiotlb_tbl_unmap_single(&dev, u, sizeof(buf), DMA_TO_DEVICE, 0);
		swiotlb_tbl_unmap_single(&dev, t, sizeof(buf), DMA_TO_DEVICE, 0);
	}
}

Test(swiotlb, no_bounce_crosses_the_segment_boundary_mask)
{
	char *buf = malloc(48 * KIB);
	dma_addr_t a[16];

	parms.segment_boundary_mask = 0xffff; /* 64 KiB */
	for (int i = 0; i < 16; i++) {
		a[i] = map(buf, 40 * KIB, DMA_TO_DEVICE, 0);
		cr_assert_eq(a[i] >> 16, (a[i] + 40 * KIB - 1) >> 16, "crosses a 64 KiB boundary");
	}
	for (int i = 0; i < 16; i++)
		unmap(a[i], 40 * KIB, DMA_TO_DEVICE, 0);
	free(buf);
}

/* --------------------------------------------------------------- size limits ---- */

Test(swiotlb, max_mapping_size_is_256k_minus_min_align)
{
	char *buf = aligned_alloc(4096, 512 * KIB);
	enum kdma_map_failure why = KDMA_FAIL_NONE;
	dma_addr_t a;

	cr_assert_eq(swiotlb_max_mapping_size(&dev), 256 * KIB);
	a = map(buf, 256 * KIB, DMA_BIDIRECTIONAL, 0);
	unmap(a, 256 * KIB, DMA_BIDIRECTIONAL, 0);
	cr_assert_eq(swiotlb_map(&dev, kdma_virt_to_phys(buf), 256 * KIB + 1, DMA_TO_DEVICE,
				 DMA_ATTR_NO_WARN, &why), DMA_MAPPING_ERROR);
	cr_assert_eq(why, KDMA_FAIL_SWIOTLB_FULL);

	parms.min_align_mask = 0xfff;
	cr_assert_eq(swiotlb_max_mapping_size(&dev), 252 * KIB);
	a = map(buf + 0x10, 252 * KIB, DMA_TO_DEVICE, 0);
	unmap(a, 252 * KIB, DMA_TO_DEVICE, 0);
	cr_assert_eq(swiotlb_map(&dev, kdma_virt_to_phys(buf + 0x10), 256 * KIB, DMA_TO_DEVICE,
				 DMA_ATTR_NO_WARN, &why), DMA_MAPPING_ERROR);
	free(buf);
}

/* ------------------------------------------------------- exhaustion and growth ---- */

Test(swiotlb, exhaustion_fails_cleanly_and_recovers, .init = NULL)
{
	char *buf = malloc(256 * KIB), line[256] = "";
	struct kdma_swiotlb_stats st;
	enum kdma_map_failure why = KDMA_FAIL_NONE;
	dma_addr_t a[4];

	setup_opts("swiotlb_size=1M:swiotlb_areas=1");
	cr_redirect_stderr();
	for (int i = 0; i < 4; i++)
		a[i] = map(buf, 256 * KIB, DMA_TO_DEVICE, 0);
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.nslabs, 512);
	cr_assert_eq(st.used, 512);
	cr_assert_eq(swiotlb_map(&dev, kdma_virt_to_phys(buf), 2048, DMA_TO_DEVICE, 0, &why),
		     DMA_MAPPING_ERROR);
	cr_assert_eq(why, KDMA_FAIL_SWIOTLB_FULL);
	fflush(stderr);
	cr_assert_not_null(fgets(line, sizeof(line), cr_get_redirected_stderr()));
	cr_assert_not_null(strstr(line, "swiotlb buffer is full (sz: 2048 bytes), total 512 (slots), used 512 (slots)"),
			   "message: %s", line);
	unmap(a[2], 256 * KIB, DMA_TO_DEVICE, 0);
	a[2] = map(buf, 256 * KIB, DMA_TO_DEVICE, 0);
	for (int i = 0; i < 4; i++)
		unmap(a[i], 256 * KIB, DMA_TO_DEVICE, 0);
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.used, 0);
	cr_assert_eq(st.used_hiwater, 512);
	cr_assert_eq(st.full, 1);
	free(buf);
}

Test(swiotlb, dynamic_growth_adds_a_pool_when_full, .init = NULL)
{
	char *buf = malloc(256 * KIB);
	struct kdma_swiotlb_stats st;
	dma_addr_t a, b;

	setup_opts("swiotlb_size=256K:swiotlb_areas=1:swiotlb_dynamic=1");
	a = map(buf, 256 * KIB, DMA_TO_DEVICE, 0);
	b = map(buf, 256 * KIB, DMA_TO_DEVICE, 0);
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.npools, 2);
	cr_assert_eq(st.nslabs, 256);
	cr_assert(is_swiotlb_buffer(&dev, b));
	unmap(b, 256 * KIB, DMA_TO_DEVICE, 0);
	unmap(a, 256 * KIB, DMA_TO_DEVICE, 0);
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.used, 0);
	free(buf);
}

Test(swiotlb, stats_count_slots_per_area, .init = NULL)
{
	char buf[5000];
	struct kdma_swiotlb_stats st;
	dma_addr_t a;
	unsigned long sum = 0;

	setup_opts("swiotlb_size=2M:swiotlb_areas=4");
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.npools, 0, "the pool must not exist before the first bounce");
	a = map(buf, sizeof(buf), DMA_TO_DEVICE, 0);
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.nareas, 4);
	cr_assert_eq(st.area_nslabs, 256);
	cr_assert_eq(st.used, 3);
	for (unsigned int i = 0; i < st.nareas; i++)
		sum += st.area_used[i];
	cr_assert_eq(sum, 3);
	cr_assert_lt(st.end, 1ULL << 32);
	unmap(a, sizeof(buf), DMA_TO_DEVICE, 0);
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.used, 0);
	cr_assert_eq(st.used_hiwater, 3);
}

/* ------------------------------------------------------------ who bounces ---- */

Test(swiotlb, per_device_and_process_wide_force, .init = NULL)
{
	setup_opts("swiotlb_force=0");
	cr_assert(is_swiotlb_force_bounce(&dev));
	kd.bounce = DMASIM_BOUNCE_AUTO;
	cr_assert_not(is_swiotlb_force_bounce(&dev));
	cr_assert(is_swiotlb_active(&dev));
	kd.bounce = DMASIM_BOUNCE_OFF;
	cr_assert_not(is_swiotlb_active(&dev));

	setup_opts("swiotlb_force=1");
	kd.bounce = DMASIM_BOUNCE_AUTO;
	cr_assert(is_swiotlb_force_bounce(&dev));
	kd.bounce = DMASIM_BOUNCE_OFF;
	cr_assert_not(is_swiotlb_force_bounce(&dev));
}

Test(swiotlb, first_bounce_clears_dma_skip_sync)
{
	char buf[64];
	dma_addr_t a;

	dev.dma_skip_sync = true;
	a = map(buf, sizeof(buf), DMA_TO_DEVICE, 0);
	cr_assert_not(dev.dma_skip_sync);
	unmap(a, sizeof(buf), DMA_TO_DEVICE, 0);
}

Test(swiotlb, bad_unmaps_and_syncs_warn_and_change_nothing)
{
	char buf[4096];
	struct kdma_swiotlb_stats st;
	dma_addr_t a;

	cr_redirect_stderr();
	a = map(buf, sizeof(buf), DMA_TO_DEVICE, 0);
	unmap(a + 2048, sizeof(buf), DMA_TO_DEVICE, 0);      /* not where the mapping starts */
	unmap(kdma_virt_to_phys(buf), sizeof(buf), DMA_TO_DEVICE, 0); /* not a bounce buffer */
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.used, 2);
	unmap(a, sizeof(buf), DMA_TO_DEVICE, 0);
	unmap(a, sizeof(buf), DMA_TO_DEVICE, 0);             /* double unmap */
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.used, 0);
	parms.min_align_mask = 0xfff;
	memset(buf, 0x11, sizeof(buf));
	a = map(buf + 0x100, 1000, DMA_FROM_DEVICE, 0);
	memset(buf, 0x3c, sizeof(buf));
	swiotlb_sync_single_for_cpu(&dev, a - 0x10, 0x20, DMA_FROM_DEVICE); /* starts before it */
	cr_assert(all_bytes(buf, 0x3c, sizeof(buf)), "a sync before the mapping copied");
	unmap(a, 1000, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
	cr_assert_eq(swiotlb_tbl_map_single(NULL, kdma_virt_to_phys(buf), 10, 0, DMA_TO_DEVICE, 0),
		     (phys_addr_t)-1);
	cr_assert_eq(swiotlb_tbl_map_single(&dev, kdma_virt_to_phys(buf), 10, 0, DMA_NONE, 0),
		     (phys_addr_t)-1);
}

/* ---------------------------------------------------------------- concurrency ---- */

struct worker {
	pthread_t thread;
	int id;
	int errors;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned int seed = 12345u + (unsigned int)w->id;
	char *buf = malloc(64 * KIB), *seen = malloc(64 * KIB);

	for (int it = 0; it < 2000; it++) {
		size_t len = 1 + (size_t)rand_r(&seed) % (64 * KIB);
		int fill = (w->id * 16 + it) & 0xff;
		enum kdma_map_failure why;
		dma_addr_t a;

		memset(buf, fill, len);
		a = swiotlb_map(&dev, kdma_virt_to_phys(buf), len, DMA_BIDIRECTIONAL, 0, &why);
		if (a == DMA_MAPPING_ERROR) {
			w->errors++;
			continue;
		}
		memcpy(seen, kdma_phys_to_virt(a), len);
		if (!all_bytes(seen, fill, len))
			w->errors++;
		memset(kdma_phys_to_virt(a), fill ^ 0xff, len);
		swiotlb_tbl_unmap_single(&dev, a, len, DMA_BIDIRECTIONAL, 0);
		if (!all_bytes(buf, fill ^ 0xff, len))
			w->errors++;
	}
	free(buf);
	free(seen);
	return NULL;
}

Test(swiotlb, concurrent_maps_keep_data_apart)
{
	struct worker w[4];
	struct kdma_swiotlb_stats st;

	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .id = i };
		cr_assert_eq(pthread_create(&w[i].thread, NULL, worker_main, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(w[i].thread, NULL);
		cr_assert_eq(w[i].errors, 0, "thread %d saw %d errors", i, w[i].errors);
	}
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.used, 0);
	cr_assert_eq(st.maps, 8000);
}

/* ------------------------------------------------ through the public DMA API ---- */

/* The simulated device's own accesses: translated like hardware, so they land in the slot. */
static void bus_write(struct device *d, dma_addr_t addr, const void *src, size_t len)
{
	cr_assert(is_swiotlb_buffer(d, kdma_dma_to_phys(d, addr)), "device write did not bounce");
	cr_assert_eq(dmasim_dma_write(d, addr, src, len), 0);
}

static void bus_read(struct device *d, dma_addr_t addr, void *dst, size_t len)
{
	cr_assert_eq(dmasim_dma_read(d, addr, dst, len), 0);
}

/* Heap memory sits above 4 GiB in this model: a 32-bit device must bounce it. Not under
 * Valgrind, whose heap is low: the tests that need it skip there. */
static char *high_buffer(size_t size)
{
	char *p = malloc(size);

	if ((uintptr_t)p <= 0xffffffffUL) {
		free(p);
		cr_skip_test("the heap is below 4 GiB here (Valgrind): nothing bounces");
	}
	return p;
}

Test(swiotlb_api, dma32_device_bounces_heap_and_forgotten_sync_reads_stale, .init = NULL)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(32), .coherent = true };
	struct device *d;
	char *rx = high_buffer(1500), data[1500];
	dma_addr_t a;

	setup_opts("swiotlb_size=4M");
	d = dmasim_device_create(&cfg);
	cr_assert_not_null(d);
	cr_assert_eq(dma_max_mapping_size(d), 256 * KIB);
	memset(rx, 0, 1500);
	a = dma_map_single(d, rx, 1500, DMA_FROM_DEVICE);
	cr_assert_not(dma_mapping_error(d, a));
	cr_assert_lt(a, 1ULL << 32);
	memset(data, 0x5e, sizeof(data));
	bus_write(d, a, data, sizeof(data));
	/* The driver peeks at the packet without dma_sync_single_for_cpu: */
	cr_assert(all_bytes(rx, 0, 1500), "bounced data reached the CPU without a sync");
	dma_sync_single_for_cpu(d, a, 1500, DMA_FROM_DEVICE);
	cr_assert(all_bytes(rx, 0x5e, 1500));
	dma_unmap_single(d, a, 1500, DMA_FROM_DEVICE);
	dmasim_device_destroy(d);
	free(rx);
}

Test(swiotlb_api, force_per_device_and_process_wide, .init = NULL)
{
	struct dmasim_config forced = { .dma_mask = DMA_BIT_MASK(64), .bounce = DMASIM_BOUNCE_FORCE };
	struct dmasim_config plain = { .dma_mask = DMA_BIT_MASK(64) };
	struct dmasim_config off32 = { .dma_mask = DMA_BIT_MASK(32), .bounce = DMASIM_BOUNCE_OFF };
	struct device *f, *p, *o;
	char *buf = high_buffer(4096);
	dma_addr_t a;

	setup_opts("swiotlb_size=4M");
	f = dmasim_device_create(&forced);
	p = dmasim_device_create(&plain);
	o = dmasim_device_create(&off32);
	a = dma_map_single(f, buf, 4096, DMA_TO_DEVICE);
	cr_assert(is_swiotlb_buffer(f, a), "DMASIM_BOUNCE_FORCE did not bounce");
	dma_unmap_single(f, a, 4096, DMA_TO_DEVICE);
	a = dma_map_single(p, buf, 4096, DMA_TO_DEVICE);
	cr_assert_eq(a, kdma_virt_to_phys(buf), "a 64-bit device bounced without force");
	dma_unmap_single(p, a, 4096, DMA_TO_DEVICE);
	cr_redirect_stderr();
	a = dma_map_single(o, buf, 4096, DMA_TO_DEVICE);
	cr_assert(dma_mapping_error(o, a), "DMASIM_BOUNCE_OFF: unreachable buffer must not map");

	setup_opts("swiotlb_size=4M:swiotlb_force=1");
	a = dma_map_single(p, buf, 4096, DMA_TO_DEVICE);
	cr_assert(is_swiotlb_buffer(p, a), "swiotlb_force=1 did not bounce");
	dma_unmap_single(p, a, 4096, DMA_TO_DEVICE);
	dmasim_device_destroy(f);
	dmasim_device_destroy(p);
	dmasim_device_destroy(o);
	free(buf);
}

Test(swiotlb_api, sg_entries_bounce_one_by_one, .init = NULL)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64), .bounce = DMASIM_BOUNCE_FORCE };
	static const unsigned int len[3] = { 100, 5000, 2048 };
	struct scatterlist sgl[3], *sg;
	char *buf[3], data[5000];
	struct device *d;
	int n, i;

	setup_opts("swiotlb_size=4M");
	d = dmasim_device_create(&cfg);
	sg_init_table(sgl, 3);
	for (i = 0; i < 3; i++) {
		buf[i] = high_buffer(len[i]);
		memset(buf[i], 0x10 + i, len[i]);
		sg_set_buf(&sgl[i], buf[i], len[i]);
	}
	n = dma_map_sg(d, sgl, 3, DMA_BIDIRECTIONAL);
	cr_assert_eq(n, 3, "the direct path never merges");
	for_each_sg(sgl, sg, n, i) {
		char seen[5000];

		cr_assert(is_swiotlb_buffer(d, sg_dma_address(sg)), "entry %d did not bounce", i);
		cr_assert_eq(sg_dma_len(sg), len[i]);
		bus_read(d, sg_dma_address(sg), seen, len[i]);
		cr_assert(all_bytes(seen, 0x10 + i, len[i]), "entry %d: slot not filled", i);
		memset(data, 0x20 + i, len[i]);
		bus_write(d, sg_dma_address(sg), data, len[i]);
	}
	cr_assert(all_bytes(buf[1], 0x11, len[1]), "device data visible before the sync");
	dma_sync_sg_for_cpu(d, sgl, 3, DMA_BIDIRECTIONAL);
	for (i = 0; i < 3; i++)
		cr_assert(all_bytes(buf[i], 0x20 + i, len[i]), "entry %d not copied back", i);
	dma_unmap_sg(d, sgl, 3, DMA_BIDIRECTIONAL);
	dmasim_device_destroy(d);
	for (i = 0; i < 3; i++)
		free(buf[i]);
}

/* ------------------------------------------------------------ the bounce hook ---- */

static int bounce_calls[2]; /* [to_device] */
static size_t bounce_bytes;

static void count_bounce(struct device *d, phys_addr_t orig, phys_addr_t tlb, size_t size,
			 bool to_device)
{
	cr_assert_eq(swiotlb_orig_phys(tlb), orig);
	bounce_calls[to_device]++;
	bounce_bytes += size;
}

static const struct kdma_hooks counting_hooks = { .size = sizeof(struct kdma_hooks),
						  .bounce = count_bounce };

Test(swiotlb, every_copy_calls_the_bounce_hook)
{
	char buf[3000];
	dma_addr_t a;

	kdma_hooks_init();
	kdma_hooks_table = &counting_hooks;
	a = map(buf, sizeof(buf), DMA_FROM_DEVICE, 0);
	swiotlb_sync_single_for_device(&dev, a, sizeof(buf), DMA_FROM_DEVICE); /* no copy */
	swiotlb_sync_single_for_cpu(&dev, a, 1000, DMA_FROM_DEVICE);
	unmap(a, sizeof(buf), DMA_FROM_DEVICE, 0);
	kdma_hooks_table = NULL;
	cr_assert_eq(bounce_calls[true], 1);
	cr_assert_eq(bounce_calls[false], 2);
	cr_assert_eq(bounce_bytes, 3000 + 1000 + 3000);
}

/* ------------------------------------------- public API: need_sync and threads ---- */

Test(swiotlb_api, first_bounce_rearms_syncs_of_a_coherent_device, .init = NULL)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(32), .coherent = true };
	struct device *d;
	char *buf = high_buffer(256);
	dma_addr_t a;

	setup_opts("swiotlb_size=1M");
	d = dmasim_device_create(&cfg);
	cr_assert_eq(dma_set_mask(d, DMA_BIT_MASK(32)), 0);
	cr_assert(d->dma_skip_sync, "a coherent direct device starts with syncs skipped");
	a = dma_map_single(d, buf, 256, DMA_FROM_DEVICE);
	cr_assert_not(dma_mapping_error(d, a));
	cr_assert_not(d->dma_skip_sync, "the first bounce must re-arm syncs (dma_reset_need_sync)");
	cr_assert(dma_need_sync(d, a));
	dma_unmap_single(d, a, 256, DMA_FROM_DEVICE);
	dmasim_device_destroy(d);
	free(buf);
}

struct rx_worker {
	pthread_t thread;
	struct device *dev;
	int id, errors;
};

/* A receive loop as a driver runs it: map, the device writes, sync for the CPU, check, unmap. */
static void *rx_main(void *arg)
{
	struct rx_worker *w = arg;
	char *buf = malloc(9000), pkt[9000]; /* no cr_assert off the test thread */
	unsigned int seed = 99u + (unsigned int)w->id;

	for (int it = 0; it < 500; it++) {
		size_t len = 64 + (size_t)rand_r(&seed) % (sizeof(pkt) - 64);
		dma_addr_t a;

		memset(buf, 0, len);
		a = dma_map_single(w->dev, buf, len, DMA_FROM_DEVICE);
		if (dma_mapping_error(w->dev, a)) {
			w->errors++;
			continue;
		}
		memset(pkt, w->id * 32 + (it & 31), len);
		if (dmasim_dma_write(w->dev, a, pkt, len) || !all_bytes(buf, 0, len))
			w->errors++;
		dma_sync_single_for_cpu(w->dev, a, len, DMA_FROM_DEVICE);
		if (memcmp(buf, pkt, len))
			w->errors++;
		dma_unmap_single(w->dev, a, len, DMA_FROM_DEVICE);
	}
	free(buf);
	return NULL;
}

Test(swiotlb_api, concurrent_receive_loops_on_three_devices, .init = NULL)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(32) };
	struct rx_worker w[3];
	struct kdma_swiotlb_stats st;

	setup_opts("swiotlb_size=2M:swiotlb_areas=2");
	free(high_buffer(9000)); /* the loops' buffers must bounce */
	for (int i = 0; i < 3; i++) {
		w[i] = (struct rx_worker){ .dev = dmasim_device_create(&cfg), .id = i };
		cr_assert_not_null(w[i].dev);
		cr_assert_eq(pthread_create(&w[i].thread, NULL, rx_main, &w[i]), 0);
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(w[i].thread, NULL);
		cr_assert_eq(w[i].errors, 0, "device %d: %d errors", i, w[i].errors);
		dmasim_device_destroy(w[i].dev);
	}
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.used, 0);
	cr_assert_eq(st.maps, 1500);
}

/* The IOMMU path bounces sub-granule buffers of untrusted devices (swiotlb_tbl_map_single with
 * the granule as alloc_align_mask): the device's writes through its IOVA land in the slot. */
Test(swiotlb_api, untrusted_iommu_device_bounces_sub_granule_buffers, .init = NULL)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64), .iommu = DMASIM_IOMMU_STRICT,
				     .untrusted = true };
	struct device *d;
	char *buf = high_buffer(300), data[100];
	struct kdma_swiotlb_stats st;
	dma_addr_t a;

	setup_opts("swiotlb_size=1M");
	d = dmasim_device_create(&cfg);
	cr_assert_not_null(d);
	memset(buf, 0x01, 300);
	a = dma_map_single(d, buf + 100, 100, DMA_FROM_DEVICE);
	cr_assert_not(dma_mapping_error(d, a));
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.used, 2, "a 4 KiB-aligned bounce of two slots was expected");
	memset(data, 0x02, sizeof(data));
	cr_assert_eq(dmasim_dma_write(d, a, data, sizeof(data)), 0);
	cr_assert(all_bytes(buf + 100, 0x01, 100), "the device wrote the original directly");
	dma_sync_single_for_cpu(d, a, 100, DMA_FROM_DEVICE);
	cr_assert(all_bytes(buf + 100, 0x02, 100));
	cr_assert(all_bytes(buf, 0x01, 100) && all_bytes(buf + 200, 0x01, 100));
	dma_unmap_single(d, a, 100, DMA_FROM_DEVICE);
	kdma_swiotlb_stats(&st);
	cr_assert_eq(st.used, 0);
	dmasim_device_destroy(d);
	free(buf);
}
