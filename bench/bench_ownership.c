// SPDX-License-Identifier: MIT
/*
 * bench_ownership — what the ownership layer costs, per operation, through the public API.
 * Run it bare and under the preload in each configuration (run_ownership.py does, in one run,
 * and prints the ratios):
 *   map_unmap_rx    dma_map_single + dma_unmap_single, 4 KiB DMA_FROM_DEVICE
 *   map_unmap_tx    the same, DMA_TO_DEVICE
 *   sync_pair_rx    dma_sync_single_for_cpu + _for_device, 2 KiB of a FROM_DEVICE mapping
 *   cpu_read_owned  one CPU load from a device-owned line (a trapped access under mprotect: the
 *                   mapping leaves the page's first line out, so the page is not one mapping's
 *                   whole and its reads keep trapping)
 * Output: one "name ns-per-op" line each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void bench_map_unmap(struct device *dev, const char *name, enum dma_data_direction dir,
			    int iters)
{
	void *buf = kmalloc(4096, GFP_KERNEL);
	double t0 = now_ns();
	int i;

	for (i = 0; i < iters; i++) {
		dma_addr_t h = dma_map_single(dev, buf, 4096, dir);

		if (dma_mapping_error(dev, h))
			exit(1);
		dma_unmap_single(dev, h, 4096, dir);
	}
	printf("%s %.0f\n", name, (now_ns() - t0) / iters);
	kfree(buf);
}

/* A receive buffer the CPU reads right after each unmap: under cpu_access=mprotect with
 * mprotect_lazy the page's opening moves from the unmap to that first load. */
static void bench_rx_then_read(struct device *dev, int iters)
{
	volatile u8 *buf = kmalloc(4096, GFP_KERNEL);
	unsigned int sum = 0;
	double t0 = now_ns();
	int i;

	for (i = 0; i < iters; i++) {
		dma_addr_t h = dma_map_single(dev, (void *)buf, 4096, DMA_FROM_DEVICE);

		if (dma_mapping_error(dev, h))
			exit(1);
		dma_unmap_single(dev, h, 4096, DMA_FROM_DEVICE);
		sum += buf[i % 4096];
	}
	printf("rx_then_read %.0f\n", (now_ns() - t0) / iters);
	kfree((void *)buf);
	if (sum == 1)
		putchar('\n');
}

static void bench_sync(struct device *dev, int iters)
{
	void *buf = kmalloc(4096, GFP_KERNEL);
	dma_addr_t h = dma_map_single(dev, buf, 4096, DMA_FROM_DEVICE);
	double t0;
	int i;

	if (dma_mapping_error(dev, h))
		exit(1);
	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		dma_sync_single_for_cpu(dev, h, 2048, DMA_FROM_DEVICE);
		dma_sync_single_for_device(dev, h, 2048, DMA_FROM_DEVICE);
	}
	printf("sync_pair_rx %.0f\n", (now_ns() - t0) / iters);
	dma_unmap_single(dev, h, 4096, DMA_FROM_DEVICE);
	kfree(buf);
}

/* Loads from a device-owned receive line: a bug, made on purpose to time the trap. The
 * reports it produces are deduplicated to one and expected (run with exitcode=0). */
static void bench_cpu_read(struct device *dev, int iters)
{
	volatile u8 *buf = kmalloc(4096, GFP_KERNEL);
	dma_addr_t h = dma_map_single(dev, (void *)(buf + 64), 4096 - 64, DMA_FROM_DEVICE);
	unsigned int sum = 0;
	double t0;
	int i;

	if (dma_mapping_error(dev, h))
		exit(1);
	t0 = now_ns();
	for (i = 0; i < iters; i++)
		sum += buf[64 + (i * 64) % (4096 - 64)];
	printf("cpu_read_owned %.0f\n", (now_ns() - t0) / iters);
	dma_unmap_single(dev, h, 4096 - 64, DMA_FROM_DEVICE);
	kfree((void *)buf);
	if (sum == 1)
		putchar('\n');
}

int main(int argc, char **argv)
{
	int scale = argc > 1 ? atoi(argv[1]) : 1;
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = dmasim_device_create(&cfg);

	if (!dev || scale < 1)
		return 1;
	/* warm-up: first-touch page faults, lazy pool set-up, symbol resolution */
	for (int i = 0; i < 2; i++) {
		void *w = kmalloc(4096, GFP_KERNEL);
		dma_addr_t h = dma_map_single(dev, w, 4096, i ? DMA_TO_DEVICE : DMA_FROM_DEVICE);

		if (!dma_mapping_error(dev, h))
			dma_unmap_single(dev, h, 4096, i ? DMA_TO_DEVICE : DMA_FROM_DEVICE);
		kfree(w);
	}
	bench_map_unmap(dev, "map_unmap_rx", DMA_FROM_DEVICE, 20000 / scale);
	bench_map_unmap(dev, "map_unmap_tx", DMA_TO_DEVICE, 20000 / scale);
	bench_rx_then_read(dev, 20000 / scale);
	bench_sync(dev, 20000 / scale);
	bench_cpu_read(dev, 2000 / scale);
	dmasim_device_destroy(dev);
	return 0;
}
