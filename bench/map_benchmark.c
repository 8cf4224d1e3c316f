// SPDX-License-Identifier: MIT
/*
 * map_benchmark — the kernel's dma_map_benchmark (kernel/dma/map_benchmark.c) in userspace:
 * each thread maps and unmaps one buffer of `granule` pages in a loop for `seconds`, timing every
 * map and every unmap, and the averages are printed. `live` other mappings (64 bytes each, to
 * the device) are made first and kept through the loop, so the loop runs against a table of that
 * size; their resident memory is reported per mapping. Run it bare and under the preload
 * (bench/run_map_benchmark.py does both, per backend and platform, in one run).
 *
 *   map_benchmark [--threads=N] [--granule=PAGES] [--dir=bidi|to|from] [--seconds=S]
 *                 [--platform=direct|swiotlb_force|iommu_strict|iommu_lazy] [--live=N]
 *
 * Output, one line: "map_ns M unmap_ns U loops L mem_per_live_mapping B".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

struct params {
	int threads, granule, seconds;
	long live;
	enum dma_data_direction dir;
	struct device *dev;
};

struct result {
	double map_ns, unmap_ns;
	long loops;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static struct params P = { .threads = 1, .granule = 1, .seconds = 2, .live = 20000,
			   .dir = DMA_BIDIRECTIONAL };
static struct result results[64];

static void *bench_thread(void *arg)
{
	struct result *r = arg;
	size_t size = (size_t)P.granule * PAGE_SIZE;
	void *buf = kmalloc(size, GFP_KERNEL);
	double end, t0, t1, t2;

	if (!buf)
		exit(2);
	memset(buf, 0x5a, size); /* fault the pages in before timing */
	end = now_ns() + P.seconds * 1e9;
	do {
		dma_addr_t h;

		t0 = now_ns();
		h = dma_map_single(P.dev, buf, size, P.dir);
		t1 = now_ns();
		if (dma_mapping_error(P.dev, h)) {
			fprintf(stderr, "map_benchmark: mapping failed\n");
			exit(2);
		}
		dma_unmap_single(P.dev, h, size, P.dir);
		t2 = now_ns();
		r->map_ns += t1 - t0;
		r->unmap_ns += t2 - t1;
		r->loops++;
	} while (t2 < end);
	kfree(buf);
	return NULL;
}

static long resident_bytes(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * sysconf(_SC_PAGESIZE);
}

static char *live_arena;
static dma_addr_t *live_handles;

/* Make P.live 64-byte mappings and keep them; returns the resident bytes each costs (the buffers'
 * own memory excluded: it is faulted in before the measurement). */
static double map_live(void)
{
	long before;

	if (P.live <= 0)
		return 0;
	live_arena = malloc((size_t)P.live * 64);
	live_handles = malloc((size_t)P.live * sizeof(*live_handles));
	if (!live_arena || !live_handles)
		exit(2);
	memset(live_arena, 0, (size_t)P.live * 64);
	memset(live_handles, 0, (size_t)P.live * sizeof(*live_handles));
	before = resident_bytes();
	for (long i = 0; i < P.live; i++) {
		live_handles[i] = dma_map_single(P.dev, live_arena + i * 64, 64, DMA_TO_DEVICE);
		if (dma_mapping_error(P.dev, live_handles[i])) {
			fprintf(stderr, "map_benchmark: live mapping %ld failed\n", i);
			exit(2);
		}
	}
	return (double)(resident_bytes() - before) / (double)P.live;
}

static void unmap_live(void)
{
	for (long i = 0; i < P.live; i++)
		dma_unmap_single(P.dev, live_handles[i], 64, DMA_TO_DEVICE);
	free(live_handles);
	free(live_arena);
}

static int parse(int argc, char **argv, struct dmasim_config *cfg)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "--threads=", 10))
			P.threads = atoi(a + 10);
		else if (!strncmp(a, "--granule=", 10))
			P.granule = atoi(a + 10);
		else if (!strncmp(a, "--seconds=", 10))
			P.seconds = atoi(a + 10);
		else if (!strncmp(a, "--live=", 7))
			P.live = atol(a + 7);
		else if (!strcmp(a, "--dir=bidi"))
			P.dir = DMA_BIDIRECTIONAL;
		else if (!strcmp(a, "--dir=to"))
			P.dir = DMA_TO_DEVICE;
		else if (!strcmp(a, "--dir=from"))
			P.dir = DMA_FROM_DEVICE;
		else if (!strcmp(a, "--platform=direct"))
			cfg->bounce = DMASIM_BOUNCE_OFF;
		else if (!strcmp(a, "--platform=swiotlb_force"))
			cfg->bounce = DMASIM_BOUNCE_FORCE;
		else if (!strcmp(a, "--platform=iommu_strict"))
			cfg->iommu = DMASIM_IOMMU_STRICT;
		else if (!strcmp(a, "--platform=iommu_lazy"))
			cfg->iommu = DMASIM_IOMMU_LAZY;
		else
			return -1;
	}
	if (P.threads < 1 || P.threads > 64 || P.granule < 1 || P.granule > 1024 ||
	    P.seconds < 1 || P.live < 0 || P.live > 10000000)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64),
				     .coherent_dma_mask = DMA_BIT_MASK(64) };
	pthread_t tids[64];
	struct result sum = { 0 };
	double mem;

	if (parse(argc, argv, &cfg)) {
		fprintf(stderr, "usage: map_benchmark [--threads=1..64] [--granule=1..1024] "
				"[--dir=bidi|to|from] [--seconds=S] "
				"[--platform=direct|swiotlb_force|iommu_strict|iommu_lazy] [--live=N]\n");
		return 2;
	}
	P.dev = dmasim_device_create(&cfg);
	if (!P.dev)
		return 2;
	mem = map_live();
	for (int i = 0; i < P.threads; i++)
		if (pthread_create(&tids[i], NULL, bench_thread, &results[i]))
			return 2;
	for (int i = 0; i < P.threads; i++) {
		pthread_join(tids[i], NULL);
		sum.map_ns += results[i].map_ns;
		sum.unmap_ns += results[i].unmap_ns;
		sum.loops += results[i].loops;
	}
	printf("map_ns %.1f unmap_ns %.1f loops %ld mem_per_live_mapping %.0f\n",
	       sum.map_ns / sum.loops, sum.unmap_ns / sum.loops, sum.loops, mem);
	unmap_live();
	dmasim_device_destroy(P.dev);
	return 0;
}
