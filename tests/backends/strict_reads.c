// SPDX-License-Identifier: MIT
/*
 * strict_reads=1: a CPU load from a TO_DEVICE buffer the device owns is reported too (by default
 * loads from transmit buffers are allowed: the device only reads them). Here a driver re-reads
 * a header it already handed to the device, to decide on a statistics counter.
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

int main(void)
{
	struct device *dev = dmasim_device_create(NULL);
	unsigned char *frame = kmalloc(256, GFP_KERNEL), fetched[16];
	unsigned long multicast = 0;
	dma_addr_t h;

	frame[0] = 0x01; /* a multicast destination */
	h = dma_map_single(dev, frame, 256, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, h))
		return 1;
	dmasim_dma_read(dev, h, fetched, sizeof(fetched)); /* the device fetches it */
	if (*(volatile unsigned char *)frame & 1) /* re-read while the device owns it */
		multicast++;
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);
	kfree(frame);
	dmasim_device_destroy(dev);
	return fetched[0] == 0x01 && multicast == 1 ? 0 : 2;
}
