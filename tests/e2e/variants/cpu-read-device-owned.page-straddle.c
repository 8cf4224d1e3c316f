// SPDX-License-Identifier: MIT
/*
 * cpu-read-device-owned by one load that spans two pages: the driver syncs the end of the first
 * page back but reads 8 bytes across the page boundary, into the second page's first line, which
 * the device still owns (the rest of both pages stays device-owned too, so both trap). The fix
 * syncs both lines. The fixed twin checks it reads the device's bytes.
 */
#include <stdint.h>

#include "e2e.h"

#define BUF (3 * 4096)
#define LINE 64

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *rx = kmalloc(BUF, GFP_KERNEL), frame[BUF];
	dma_addr_t dma = dma_map_single(dev, rx, BUF, DMA_FROM_DEVICE);
	size_t boundary, i;
	uint64_t got, want;

	if (dma_mapping_error(dev, dma))
		return 1;
	for (i = 0; i < BUF; i++)
		frame[i] = (u8)(i * 7 + 1);
	dmasim_dma_write(dev, dma, frame, BUF);
	boundary = (((uintptr_t)rx + 4096) & ~(uintptr_t)4095) - (uintptr_t)rx;
	dma_sync_single_range_for_cpu(dev, dma, boundary - LINE, BUGGY(LINE, 2 * LINE),
				      DMA_FROM_DEVICE);
	memcpy(&want, frame + boundary - 4, sizeof(want));
	/* one 8-byte load, 4 bytes on each page (misaligned on purpose: a packed type says so) */
	got = ((volatile struct { uint64_t v; } __attribute__((packed)) *)(rx + boundary - 4))->v;
	if (got != want)
		fprintf(stderr, "read 0x%llx, the device wrote 0x%llx\n", (unsigned long long)got,
			(unsigned long long)want);
	dma_unmap_single(dev, dma, BUF, DMA_FROM_DEVICE);
	kfree(rx);
	dmasim_device_destroy(dev);
	return BUGGY(0, got != want);
}
