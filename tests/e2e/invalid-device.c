// SPDX-License-Identifier: MIT
/*
 * invalid-device. A map after the device is gone: the remove path destroys the device while a
 * deferred refill still holds its pointer and maps for it. dmasan refuses the map
 * (DMA_MAPPING_ERROR) instead of reading the freed device.
 * E2E_EXITCODE: 1
 */
#include "e2e.h"

struct ring {
	struct device *dev;
	void *buf;
};

static int refill(struct ring *r)
{
	dma_addr_t dma = dma_map_single(r->dev, r->buf, 2048, DMA_FROM_DEVICE);

	if (dma_mapping_error(r->dev, dma))
		return -ENOMEM;
	dma_unmap_single(r->dev, dma, 2048, DMA_FROM_DEVICE);
	return 0;
}

int main(void)
{
	struct ring r = { e2e_device(NULL), kmalloc(2048, GFP_KERNEL) };

	if (refill(&r))
		return 3;
	BUGGY(dmasim_device_destroy(r.dev), (void)0); /* remove before the refill is cancelled */
	if (BUGGY(refill(&r) != -ENOMEM, refill(&r) != 0))
		return 3; /* the map must fail, not map for a freed device */
	BUGGY((void)0, dmasim_device_destroy(r.dev));
	kfree(r.buf);
	return 0;
}
