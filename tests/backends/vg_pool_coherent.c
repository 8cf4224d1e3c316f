// SPDX-License-Identifier: MIT
/*
 * Use after dma_free_coherent under memcheck, for each allocator behind dma_alloc_coherent:
 * argv[1] is "direct" (pages), "region" (a per-device coherent region) or "atomic" (an atomic
 * pool: GFP_ATOMIC on a non-coherent device); with KDMA_OPTIONS=global_coherent_size=N,
 * "direct" is served by the global coherent pool. The device fills a status ring; the buggy driver
 * frees the ring before reading the last status and clearing it (the fixed one reads and
 * clears first). libkdma describes each allocation as a heap block, so both accesses are
 * memcheck's "Invalid read/write" naming dma_free_attrs and dma_alloc_attrs. Allocating the
 * same memory again afterwards is silent.
 */
#include "e2e.h"

#define RING_ENTRIES 64

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "direct";
	struct dmasim_config cfg = { .reserved_mem_size = 0 };
	size_t size = RING_ENTRIES * sizeof(u32);
	gfp_t gfp = GFP_KERNEL;
	struct device *dev;
	volatile u32 *ring;
	u32 done = 7, last;
	dma_addr_t h;

	if (!strcmp(mode, "region"))
		cfg.reserved_mem_size = 64 << 10;
	else if (!strcmp(mode, "atomic"))
		gfp = GFP_ATOMIC;
	else if (strcmp(mode, "direct"))
		return 2;
	dev = e2e_device(&cfg);
	ring = dma_alloc_coherent(dev, size, &h, gfp);
	if (!ring)
		return 1;
	dmasim_dma_write(dev, h + (RING_ENTRIES - 1) * sizeof(u32), &done, sizeof(done));
#ifdef FIXED
	last = ring[RING_ENTRIES - 1];
	ring[0] = 0;
	dma_free_coherent(dev, size, (void *)ring, h);
#else
	dma_free_coherent(dev, size, (void *)ring, h);
	last = ring[RING_ENTRIES - 1];
	ring[0] = 0;
#endif
	/* The allocator hands the same memory out again: addressable and zeroed to memcheck. */
	ring = dma_alloc_coherent(dev, size, &h, gfp);
	if (!ring)
		return 1;
	last += ring[RING_ENTRIES - 1];
	ring[0] = 1;
	dma_free_coherent(dev, size, (void *)ring, h);
	dmasim_device_destroy(dev);
	printf("%s: last status %u\n", mode, last);
	return 0;
}
