// SPDX-License-Identifier: MIT
/* sync-unknown on the wrong device: mapped with the PCI function's device, synced with a child
 * device (a netdev's or a sub-function's struct device). */
#include "e2e.h"

int main(void)
{
	struct dmasim_config pc = { .name = "0000:01:00.0" }, cc = { .name = "child" };
	struct device *pdev = e2e_device(&pc), *child = e2e_device(&cc);
	u8 *buf = kmalloc(1024, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(pdev, buf, 1024, DMA_FROM_DEVICE);

	if (dma_mapping_error(pdev, dma))
		return 1;
	dma_sync_single_for_cpu(BUGGY(child, pdev), dma, 1024, DMA_FROM_DEVICE);
	dma_unmap_single(pdev, dma, 1024, DMA_FROM_DEVICE);
	kfree(buf);
	dmasim_device_destroy(child);
	dmasim_device_destroy(pdev);
	return 0;
}
