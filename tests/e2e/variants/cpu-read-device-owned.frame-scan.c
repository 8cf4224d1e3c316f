// SPDX-License-Identifier: MIT
/*
 * cpu-read-device-owned by a byte loop over a whole multi-page receive frame before its
 * dma_sync_single_for_cpu: one bug, one report, however many loads repeat it (and under the
 * mprotect backend not a trap per load). The fix syncs first and sees the device's bytes.
 * E2E_COUNT: 1
 * E2E_ONLY: yes
 */
#include "e2e.h"

#define FRAME (4 * 4096)

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *rx = kmalloc(FRAME, GFP_KERNEL), *frame = malloc(FRAME);
	dma_addr_t dma = dma_map_single(dev, rx, FRAME, DMA_FROM_DEVICE);
	unsigned long sum = 0, want = 0;
	size_t i;

	if (!rx || !frame || dma_mapping_error(dev, dma))
		return 1;
	for (i = 0; i < FRAME; i++) {
		frame[i] = (u8)(i * 13 + 5);
		want += frame[i];
	}
	dmasim_dma_write(dev, dma, frame, FRAME);
	BUGGY((void)0, dma_sync_single_for_cpu(dev, dma, FRAME, DMA_FROM_DEVICE));
	for (i = 0; i < FRAME; i++)
		sum += READ_ONCE(rx[i]);
	BUGGY(dma_sync_single_for_cpu(dev, dma, FRAME, DMA_FROM_DEVICE), (void)0);
	dma_unmap_single(dev, dma, FRAME, DMA_FROM_DEVICE);
	kfree(rx);
	free(frame);
	dmasim_device_destroy(dev);
	return BUGGY(0, sum == want ? 0 : 3);
}
