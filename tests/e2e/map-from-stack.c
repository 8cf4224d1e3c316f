// SPDX-License-Identifier: MIT
/*
 * map-from-stack. Modelled on "[media] cxusb: don't do DMA on stack" (B.1 #25) and mt7601u
 * (B.2 #57): a USB control message buffer on the stack was mapped ("device driver maps memory
 * from stack"). The fix allocates the buffer.
 */
#include "e2e.h"

static int ctrl_msg(struct device *dev, u8 *buf, size_t len)
{
	dma_addr_t dma = dma_map_single(dev, buf, len, DMA_TO_DEVICE);

	if (dma_mapping_error(dev, dma))
		return -1;
	dma_unmap_single(dev, dma, len, DMA_TO_DEVICE);
	return 0;
}

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 stack_buf[64] __attribute__((unused));
	u8 *buf = BUGGY(stack_buf, kmalloc(64, GFP_KERNEL));

	memset(buf, 0xa5, 64);
	ctrl_msg(dev, buf, 64);
	BUGGY((void)0, kfree(buf));
	dmasim_device_destroy(dev);
	return 0;
}
