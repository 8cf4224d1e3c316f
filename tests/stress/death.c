// SPDX-License-Identifier: MIT
/*
 * death MODE: five violations at five call sites (five JSON records), then the process ends
 * without its normal exit path: MODE is "handler" (_exit from a signal handler), "_exit",
 * "abort", "kill" (SIGKILL from itself) or "segv" (a NULL store, the default SIGSEGV). Every
 * record written before the end must be complete on disk: run_stress.py reads them back and
 * runs dmasan-report on them.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

static void die_in_handler(int sig)
{
	_exit(3);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "_exit";
	struct device *dev = dmasim_device_create(NULL);
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	dma_addr_t h;

	if (!dev || !buf)
		return 70;
	memset(buf, 0, 4096);
	h = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, h))
		return 70;
	dma_unmap_single(dev, h, 2048, DMA_TO_DEVICE);          /* unmap-size-mismatch */
	dma_unmap_single(dev, h, 4096, DMA_TO_DEVICE);          /* double-unmap */
	dma_sync_single_for_cpu(dev, h, 4096, DMA_TO_DEVICE);   /* sync-unknown */
	h = dma_map_single(dev, buf, 0, DMA_TO_DEVICE);         /* zero-length-map */
	h = dma_map_single(dev, buf, 4096, DMA_FROM_DEVICE);    /* left mapped: the leak */
	if (dma_mapping_error(dev, h))
		return 70;
	dma_unmap_single(dev, h, 4096, DMA_TO_DEVICE);          /* unmap-direction-mismatch */
	fflush(NULL);
	if (!strcmp(mode, "handler")) {
		signal(SIGUSR2, die_in_handler);
		raise(SIGUSR2);
	} else if (!strcmp(mode, "abort")) {
		abort();
	} else if (!strcmp(mode, "kill")) {
		kill(getpid(), SIGKILL);
	} else if (!strcmp(mode, "segv")) {
		*(volatile int *)(uintptr_t)argc = 0; /* address 2: unmapped */
	}
	_exit(4);
}
