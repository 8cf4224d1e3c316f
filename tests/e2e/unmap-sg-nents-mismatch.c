// SPDX-License-Identifier: MIT
/*
 * unmap-sg-nents-mismatch. Modelled on "tty: serial: pch_uart: correct usage of dma_unmap_sg"
 * (B.1 #16) and the crypto series #17-#20: the driver stored the count dma_map_sg() returned and
 * passed it to dma_unmap_sg(). Behind an IOMMU contiguous pages coalesce, so the two differ.
 * E2E_FACTS: map_count=4 unmap_count=1
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
	mapped = dma_map_sg(dev, sg, NPAGES, DMA_TO_DEVICE);
	if (mapped <= 0)
		return 1;
	dma_unmap_sg(dev, sg, BUGGY(mapped, NPAGES), DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
