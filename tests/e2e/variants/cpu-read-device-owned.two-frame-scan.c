// SPDX-License-Identifier: MIT
/*
 * cpu-read-device-owned by byte loops over two receive frames (two mappings) before their
 * dma_sync_single_for_cpu: two bugs, two reports, one per mapping, however many loads repeat
 * each. Reports are told apart by their stack, so each frame is scanned from a call site of its
 * own (a loop over both would be one call site unless the compiler unrolled it). The fix syncs
 * each frame first and sees the device's bytes.
 * E2E_COUNT: 2
 * E2E_ONLY: yes
 */
#include "e2e.h"

#define FRAME (3 * 4096)

/* Reads one frame as the stack would: the sync is the driver's to do first. */
static noinline unsigned long scan(struct device *dev, dma_addr_t dma, const u8 *rx)
{
	unsigned long sum = 0;
	size_t i;

	BUGGY((void)0, dma_sync_single_for_cpu(dev, dma, FRAME, DMA_FROM_DEVICE));
	for (i = 0; i < FRAME; i++)
		sum += READ_ONCE(rx[i]);
	BUGGY(dma_sync_single_for_cpu(dev, dma, FRAME, DMA_FROM_DEVICE), (void)0);
	return sum;
}

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *rx[2] = { kmalloc(FRAME, GFP_KERNEL), kmalloc(FRAME, GFP_KERNEL) };
	u8 *frame = malloc(FRAME);
	dma_addr_t dma[2];
	unsigned long sum = 0, want = 0;
	size_t i;
	int f;

	if (!rx[0] || !rx[1] || !frame)
		return 1;
	for (i = 0; i < FRAME; i++)
		frame[i] = (u8)(i * 11 + 3);
	for (f = 0; f < 2; f++) {
		dma[f] = dma_map_single(dev, rx[f], FRAME, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, dma[f]))
			return 1;
		dmasim_dma_write(dev, dma[f], frame, FRAME);
	}
	for (i = 0; i < FRAME; i++)
		want += 2 * frame[i];
	sum += scan(dev, dma[0], rx[0]);
	sum += scan(dev, dma[1], rx[1]);
	for (f = 0; f < 2; f++) {
		dma_unmap_single(dev, dma[f], FRAME, DMA_FROM_DEVICE);
		kfree(rx[f]);
	}
	free(frame);
	dmasim_device_destroy(dev);
	return BUGGY(0, sum == want ? 0 : 3);
}
