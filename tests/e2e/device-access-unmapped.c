// SPDX-License-Identifier: MIT
/*
 * device-access-unmapped. Modelled on litex_m2sdr's zero-copy path (B.2 #59): the device was
 * programmed with the buffer's physical address (__pa) instead of the DMA handle, which is only
 * the same thing without an IOMMU. Behind one, the access faults.
 */
#include <linux/mm.h>

#include "e2e.h"

int main(void)
{
	struct dmasim_config cfg = { .iommu = DMASIM_IOMMU_STRICT };
	struct device *dev = e2e_device(&cfg);
	u8 *buf = kzalloc(4096, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, 4096, DMA_FROM_DEVICE);
	u8 sample[64] = { 7 };

	if (dma_mapping_error(dev, dma))
		return 1;
	dmasim_dma_write(dev, BUGGY((dma_addr_t)virt_to_phys(buf), dma), sample, sizeof(sample));
	dma_unmap_single(dev, dma, 4096, DMA_FROM_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
