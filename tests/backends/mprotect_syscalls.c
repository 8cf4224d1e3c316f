// SPDX-License-Identifier: MIT
/*
 * Syscalls on protected pages under cpu_access=mprotect. A receive buffer (device-owned, so
 * its page is protected) shares a page with a CPU-owned buffer. read(2) into the CPU-owned one
 * must simply work (the kernel would otherwise return EFAULT); the buggy build reads into the
 * device-owned buffer, the kernel writing where the device owns the memory: reported as
 * cpu-write-device-owned, and the read still happens.
 */
#include <stdio.h>
#include <unistd.h>

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = dmasim_device_create(&cfg);
	char *page = kmalloc(4096, GFP_KERNEL);
	char *rx = page, *cpu_buf = page + 2048;
	dma_addr_t h = dma_map_single(dev, rx, 2048, DMA_FROM_DEVICE);
	int fds[2];
	ssize_t got;

	if (dma_mapping_error(dev, h) || pipe(fds))
		return 1;
	if (write(fds[1], "hello", 5) != 5)
		return 1;
#ifdef FIXED
	got = read(fds[0], cpu_buf, 5); /* a CPU-owned line of a protected page */
#else
	got = read(fds[0], rx + 64, 5); /* BUG: into the buffer the device owns */
#endif
	if (got != 5) {
		perror("read");
		return 2;
	}
	dma_unmap_single(dev, h, 2048, DMA_FROM_DEVICE);
	kfree(page);
	dmasim_device_destroy(dev);
	return 0;
}
