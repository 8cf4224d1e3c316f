// SPDX-License-Identifier: MIT
/*
 * invalid-device: the driver passes its private structure where the struct device belongs (a
 * cast that hid the type error). The map fails with DMA_MAPPING_ERROR instead of reading masks
 * and ops out of the wrong structure.
 * E2E_EXITCODE: 1
 */
#include "e2e.h"

struct priv {
	struct device *dev;
	unsigned long stats[64];
};

int main(void)
{
	struct priv *p = calloc(1, sizeof(*p));
	void *buf = kmalloc(512, GFP_KERNEL);
	struct device *dev;
	dma_addr_t dma;

	p->dev = e2e_device(NULL);
	dev = BUGGY((struct device *)p, p->dev);
	dma = dma_map_single(dev, buf, 512, DMA_TO_DEVICE);
	if (BUGGY(dma != DMA_MAPPING_ERROR, dma_mapping_error(dev, dma)))
		return 3;
	BUGGY((void)0, dma_unmap_single(dev, dma, 512, DMA_TO_DEVICE));
	kfree(buf);
	dmasim_device_destroy(p->dev);
	free(p);
	return 0;
}
