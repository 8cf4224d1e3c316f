// SPDX-License-Identifier: MIT
/*
 * bench_iommu: costs of the emulated IOMMU.
 *   1. cached IOVA alloc+free (alloc_iova_fast/free_iova_fast, per-CPU rcache hit)
 *   2. dma_map_single + dma_unmap_single of a 4 KiB page, strict and lazy (average map and unmap
 *      latency, as the kernel's dma_map_benchmark reports them)
 *   3. the tree slow path (alloc_iova/free_iova) with 10^5 and 10^6 live IOVAs, on a fragmented
 *      tree where no hole fits the request, so the search has to prove it over the whole tree.
 * Usage: bench_iommu [CPU seconds per measurement, default 0.5]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <dmasan/sim.h>

#include "kdma/iommu/iova.h"

/* This thread's CPU time: the build machines are shared, and CPU time ignores the time other
 * processes run. (The lazy-mode timer thread's flushes are thereby not counted, as the kernel's
 * benchmark does not count its timer softirq either.) */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double budget = 0.5;

static void bench_cached_iova(void)
{
	struct iova_domain *d = iova_domain_create(1);
	unsigned long ops = 0;
	double t0 = now(), t;

	do {
		for (int i = 0; i < 10000; i++) {
			unsigned long pfn = alloc_iova_fast(d, 1, (1UL << 20) - 1, true);

			free_iova_fast(d, pfn, 1);
		}
		ops += 10000;
	} while ((t = now() - t0) < budget);
	printf("cached IOVA alloc+free:        %8.1f ns/pair  %6.1f M pairs/s\n", t / ops * 1e9,
	       ops / t / 1e6);
	iova_domain_destroy(d);
}

#define BATCH 256

static void bench_map(enum dmasim_iommu mode, const char *label)
{
	struct dmasim_config cfg = { .iommu = mode, .coherent = true, .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = dmasim_device_create(&cfg);
	static dma_addr_t h[BATCH];
	static void *buf[BATCH];
	double t_map = 0, t_unmap = 0, t0 = now();
	unsigned long ops = 0;

	for (int i = 0; i < BATCH; i++)
		buf[i] = page_address(alloc_pages(GFP_KERNEL, 0));
	do {
		double a = now(), b, c;

		for (int i = 0; i < BATCH; i++)
			h[i] = dma_map_single(dev, buf[i], 4096, DMA_BIDIRECTIONAL);
		b = now();
		for (int i = 0; i < BATCH; i++)
			dma_unmap_single(dev, h[i], 4096, DMA_BIDIRECTIONAL);
		c = now();
		t_map += b - a;
		t_unmap += c - b;
		ops += BATCH;
	} while (now() - t0 < budget);
	printf("map+unmap 4 KiB, %-6s:        map %6.3f us  unmap %6.3f us  %6.2f M pairs/s\n",
	       label, t_map / ops * 1e6, t_unmap / ops * 1e6, ops / (t_map + t_unmap) / 1e6);
	for (int i = 0; i < BATCH; i++)
		free_pages((unsigned long)buf[i], 0);
	dmasim_device_destroy(dev);
}

static void bench_slow_path(unsigned long live)
{
	struct iova_domain *d = iova_domain_create(1);
	unsigned long limit = (1UL << 36) - 1, ops = 0, pfn;
	double t0, t, fill;

	/* 2*live single granules top-down, then every other one freed: `live` ranges, holes of
	 * one granule between them, so a 2-granule request fits only below all of them. */
	t0 = now();
	for (unsigned long i = 0; i < 2 * live; i++)
		alloc_iova(d, 1, limit, false);
	for (unsigned long i = 0; i < 2 * live; i += 2)
		free_iova(d, limit - i);
	fill = now() - t0;
	t0 = now();
	do {
		for (int i = 0; i < 1000; i++) {
			pfn = alloc_iova(d, 2, limit, true);
			free_iova(d, pfn);
		}
		ops += 1000;
	} while ((t = now() - t0) < budget);
	printf("slow path, %7lu live IOVAs:   %8.1f ns per alloc_iova+free_iova  (tree built in "
	       "%.2f s; check %s)\n",
	       iova_live_ranges(d), t / ops * 1e9, fill, iova_domain_check(d) ? "ok" : "FAILED");
	iova_domain_destroy(d);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		budget = atof(argv[1]);
	bench_cached_iova();
	bench_map(DMASIM_IOMMU_STRICT, "strict");
	bench_map(DMASIM_IOMMU_LAZY, "lazy");
	bench_slow_path(100000);
	bench_slow_path(1000000);
	return 0;
}
