// SPDX-License-Identifier: MIT
/*
 * bench_sanitizer: the cost of the sanitizer on the streaming fast path, in one run.
 *   bare     dma_map_single + dma_unmap_single of 4 KiB on the direct path, no hooks
 *   checked  the same pair with the sanitizer's hook table attached (stacks at stack_depth)
 *   stack    dmasan_stack_capture() alone, from the same call depth
 * each measured with 10^3 and then 10^6 other mappings live (so the table's lookups run at
 * both sizes). Links libkdma and the sanitizer statically and switches libkdma's hook table
 * pointer between the two modes. Usage: bench_sanitizer [iterations [live]] (default 200000, and
 * both live counts; a live count given alone is for profiling one steady state).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

#include "kdma/base/base.h"
#include "san/rt/options.h"
#include "san/stacks/stack.h"
#include "san/table/table.h"

const struct kdma_hooks *__dmasan_kdma_hooks(const struct kdma_services *svc);

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static __attribute__((__noinline__)) double bench_pair(struct device *dev, void *buf, long iters)
{
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		dma_addr_t h = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE);

		if (dma_mapping_error(dev, h))
			abort();
		dma_unmap_single(dev, h, 4096, DMA_TO_DEVICE);
	}
	return (now_ns() - t0) / iters;
}

static __attribute__((__noinline__)) double bench_stack(long iters)
{
	double t0 = now_ns();
	volatile dmasan_stack_id sink = 0;

	for (long i = 0; i < iters; i++)
		sink = dmasan_stack_capture(0);
	(void)sink;
	return (now_ns() - t0) / iters;
}

/* Bring the number of other live mappings to n (64-byte slices of one arena). */
static void populate(struct device *dev, char *arena, long *live, long n)
{
	for (; *live < n; (*live)++) {
		dma_addr_t h = dma_map_single(dev, arena + *live * 64, 64, DMA_TO_DEVICE);

		if (dma_mapping_error(dev, h))
			abort();
	}
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 200000, live = 0;
	long sizes[] = { 1000, 1000000 };
	unsigned int nr_sizes = 2;
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64), .coherent = true,
				     .bounce = DMASIM_BOUNCE_OFF };
	const struct kdma_hooks *san;
	struct device *dev;
	char *arena, *buf;

	kdma_hooks_init(); /* resolve (and so freeze) the lookup first, then switch the pointer */
	san = __dmasan_kdma_hooks(&kdma_services);
	kdma_hooks_table = san;
	dev = dmasim_device_create(&cfg);
	arena = malloc(64 * sizes[1]);
	buf = kmalloc(4096, GFP_KERNEL);
	if (!dev || !arena || !buf)
		return 1;
	if (argc > 2) {
		sizes[0] = atol(argv[2]);
		nr_sizes = 1;
		if (sizes[0] < 0 || sizes[0] > 1000000)
			return 1;
	}
	printf("stack_depth=%d fast_unwind=%d iterations=%ld\n", dmasan_opts.stack_depth,
	       dmasan_opts.fast_unwind, iters);
	printf("%-12s %12s %12s %12s %8s\n", "live", "bare ns", "checked ns", "stack ns", "ratio");
	for (unsigned int i = 0; i < nr_sizes; i++) {
		double bare, checked, stack;
		struct san_table_stats st;

		kdma_hooks_table = san;
		populate(dev, arena, &live, sizes[i]);
		kdma_hooks_table = NULL;
		bench_pair(dev, buf, iters / 10); /* warm up */
		bare = bench_pair(dev, buf, iters);
		kdma_hooks_table = san;
		bench_pair(dev, buf, iters / 10);
		checked = bench_pair(dev, buf, iters);
		stack = bench_stack(iters);
		san_table_stats(&st);
		printf("%-12ld %12.1f %12.1f %12.1f %7.2fx   (table: live=%lu total=%lu, %zu B/entry)\n",
		       live, bare, checked, stack, checked / bare, st.live, st.total,
		       sizeof(struct san_entry));
	}
	return 0;
}
