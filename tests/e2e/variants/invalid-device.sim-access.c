// SPDX-License-Identifier: MIT
/*
 * invalid-device: a device model keeps transferring after its device was destroyed (a timer the
 * remove path did not stop). The simulated access fails with -EINVAL, as <dmasan/sim.h> says.
 * E2E_EXITCODE: 1
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(256, GFP_KERNEL), rx[256];
	dma_addr_t dma = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 3;
	dma_unmap_single(dev, dma, 256, DMA_TO_DEVICE);
	BUGGY(dmasim_device_destroy(dev), (void)0);
	/* the device model's timer fires */
	if (BUGGY(dmasim_dma_read(dev, dma, rx, sizeof(rx)) != -EINVAL, ((void)rx, false)))
		return 3;
	BUGGY((void)0, dmasim_device_destroy(dev));
	kfree(buf);
	return 0;
}
