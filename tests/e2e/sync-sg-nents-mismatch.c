// SPDX-License-Identifier: MIT
/*
 * sync-sg-nents-mismatch. The kernel's S6 ("device driver syncs DMA sg list with different entry
 * count"), the sync twin of the pch_uart/crypto NENTS bugs (B.1 #16-#20): the driver synced with
 * the count dma_map_sg() returned. The fix passes the original nents (or uses
 * dma_sync_sgtable_*).
 * E2E_ONLY: yes (the entries the short sync left to the device are never read)
 */
#include <linux/mm.h>
#include <linux/scatterlist.h>

#include "e2e.h"

#define NPAGES 4

int main(void)
{
	struct dmasim_config cfg = { .iommu = DMASIM_IOMMU_STRICT };
	struct device *dev = e2e_device(&cfg);
	struct scatterlist sg[NPAGES];
	u8 *buf = kmalloc(NPAGES * PAGE_SIZE, GFP_KERNEL);
	int i, mapped;

	sg_init_table(sg, NPAGES);
	for (i = 0; i < NPAGES; i++)
		sg_set_buf(&sg[i], buf + i * PAGE_SIZE, PAGE_SIZE);
	mapped = dma_map_sg(dev, sg, NPAGES, DMA_FROM_DEVICE);
	if (mapped <= 0)
		return 1;
	dma_sync_sg_for_cpu(dev, sg, BUGGY(mapped, NPAGES), DMA_FROM_DEVICE);
	dma_unmap_sg(dev, sg, NPAGES, DMA_FROM_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
