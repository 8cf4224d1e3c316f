// SPDX-License-Identifier: MIT
/*
 * device-use-after-unmap. Modelled on litex_m2sdr (B.2 #58): after an unclean teardown the
 * device was still bus-mastering and kept writing into buffers the driver had unmapped. With a
 * lazy IOMMU the stale IOTLB entry lets the write through. Fixed: stop the device first.
 */
#include "e2e.h"

/* E2E_KDMA_OPTIONS: iommu_fq_timeout_ms=100000 */

int main(void)
{
	struct dmasim_config cfg = { .iommu = DMASIM_IOMMU_LAZY };
	struct device *dev = e2e_device(&cfg);
	u8 *buf = kzalloc(4096, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, 4096, DMA_FROM_DEVICE);
	u8 sample[64] = { 1 };
	bool running = true;

	if (dma_mapping_error(dev, dma))
		return 1;
	dmasim_dma_write(dev, dma, sample, sizeof(sample)); /* streaming: fills the IOTLB */
	BUGGY((void)0, running = false);                    /* the fix: stop the engine */
	dma_unmap_single(dev, dma, 4096, DMA_FROM_DEVICE);
	if (running)
		dmasim_dma_write(dev, dma, sample, sizeof(sample)); /* the next sample lands */
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
