// SPDX-License-Identifier: MIT
/*
 * device-access-out-of-bounds. The openbmc ftgmac100 pattern (B.2 #49) seen from the device:
 * the RX buffer is mapped for the length in use, but the descriptor is programmed with the
 * buffer's capacity, so a long frame is written past the mapping.
 */
#include "e2e.h"

#define RX_CAPACITY 2048
#define RX_MAPPED 1536

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kzalloc(RX_CAPACITY, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, RX_MAPPED, DMA_FROM_DEVICE);
	unsigned int desc_len = BUGGY(RX_CAPACITY, RX_MAPPED);
	static u8 frame[RX_CAPACITY];

	if (dma_mapping_error(dev, dma))
		return 1;
	dmasim_dma_write(dev, dma, frame, desc_len); /* a jumbo frame fills what it was told */
	dma_unmap_single(dev, dma, RX_MAPPED, DMA_FROM_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
