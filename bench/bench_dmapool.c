// SPDX-License-Identifier: MIT
/*
 * bench_dmapool — the kernel's mm/dmapool_test.c loop through the public API: per block size,
 * allocate `blocks` blocks then free them all, 100 times; blocks = clamp(PAGE_SIZE / size * 512,
 * 1024, 8192), as the kernel's test. Prints one line per parameter set with the total time and
 * the time per alloc+free pair. Run it bare or under the preload.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/dmapool.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <dmasan/sim.h>

#define NR_TESTS 100

struct pool_params {
	size_t size, align, boundary;
};

static const struct pool_params params[] = {
	{ 16, 16, 0 }, { 64, 64, 0 }, { 256, 256, 0 }, { 1024, 1024, 0 }, { 4096, 4096, 0 },
	{ 68, 32, 4096 },
};

struct pair {
	void *v;
	dma_addr_t dma;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int nr_blocks(size_t size)
{
	long n = (long)(PAGE_SIZE / size) * 512;

	return n < 1024 ? 1024 : n > 8192 ? 8192 : (int)n;
}

static int run(struct device *dev, const struct pool_params *p)
{
	int blocks = nr_blocks(p->size);
	struct dma_pool *pool = dma_pool_create("bench pool", dev, p->size, p->align, p->boundary);
	struct pair *pairs = calloc((size_t)blocks, sizeof(*pairs));
	double t0;

	if (!pool || !pairs)
		return 1;
	t0 = now_ns();
	for (int t = 0; t < NR_TESTS; t++) {
		for (int i = 0; i < blocks; i++) {
			pairs[i].v = dma_pool_alloc(pool, GFP_KERNEL, &pairs[i].dma);
			if (!pairs[i].v)
				return 1;
		}
		for (int i = 0; i < blocks; i++)
			dma_pool_free(pool, pairs[i].v, pairs[i].dma);
	}
	t0 = now_ns() - t0;
	printf("dmapool size:%-4zu align:%-4zu blocks:%-4d time:%.3f s  %.0f ns/pair\n", p->size,
	       p->align, blocks, t0 / 1e9, t0 / ((double)blocks * NR_TESTS));
	dma_pool_destroy(pool);
	free(pairs);
	return 0;
}

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = dmasim_device_create(&cfg);

	if (!dev)
		return 1;
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (run(dev, &params[i]))
			return 1;
	dmasim_device_destroy(dev);
	return 0;
}
