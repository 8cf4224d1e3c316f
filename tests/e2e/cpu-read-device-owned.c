// SPDX-License-Identifier: MIT
/*
 * cpu-read-device-owned. Modelled on "mtd: rawnand: qcom: Fix DMA sync on FLASH_STATUS register
 * read" (B.1 #32): the controller DMAs a status word into a FROM_DEVICE buffer after each
 * codeword and the driver read it without dma_sync_single_for_cpu, getting stale status.
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u32 *status = kzalloc(128, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, status, 128, DMA_FROM_DEVICE);
	u32 done = 0x1, seen;
	int cw;

	if (dma_mapping_error(dev, dma))
		return 1;
	for (cw = 0; cw < 4; cw++) {
		dmasim_dma_write(dev, dma, &done, sizeof(done)); /* the controller posts status */
		BUGGY((void)0, dma_sync_single_for_cpu(dev, dma, sizeof(u32), DMA_FROM_DEVICE));
		seen = READ_ONCE(status[0]);
		BUGGY((void)0, dma_sync_single_for_device(dev, dma, sizeof(u32), DMA_FROM_DEVICE));
		if (seen != done)
			fprintf(stderr, "codeword %d: stale status 0x%x\n", cw, seen);
	}
	dma_unmap_single(dev, dma, 128, DMA_FROM_DEVICE);
	kfree(status);
	dmasim_device_destroy(dev);
	return 0;
}
