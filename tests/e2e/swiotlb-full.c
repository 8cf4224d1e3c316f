// SPDX-License-Identifier: MIT
/*
 * swiotlb-full (a warning). "swiotlb buffer is full": with every mapping bounced (swiotlb=force,
 * as in confidential-computing guests) a driver that maps a whole queue before unmapping any
 * exhausts a small bounce pool; cf. netmap (B.2 #50, IOVA/bounce exhaustion). The fix unmaps each
 * buffer when its transfer completes.
 * E2E_OPTIONS: fail_on=warning
 * E2E_KDMA_OPTIONS: swiotlb_force=1:swiotlb_size=1M
 */
#include "e2e.h"

#define NBUF 16
#define LEN (128 * 1024)

int main(void)
{
	struct device *dev = e2e_device(NULL);
	void *buf[NBUF];
	dma_addr_t dma[NBUF];
	int i, n = 0;

	for (i = 0; i < NBUF; i++) {
		buf[i] = kmalloc(LEN, GFP_KERNEL);
		memset(buf[i], i, LEN);
	}
	for (i = 0; i < NBUF; i++) {
		dma[i] = dma_map_single(dev, buf[i], LEN, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, dma[i]))
			break;
		n++;
		BUGGY((void)0, (dma_unmap_single(dev, dma[i], LEN, DMA_TO_DEVICE), n--));
	}
	for (i = 0; i < n; i++)
		dma_unmap_single(dev, dma[i], LEN, DMA_TO_DEVICE);
	for (i = 0; i < NBUF; i++)
		kfree(buf[i]);
	dmasim_device_destroy(dev);
	return 0;
}
