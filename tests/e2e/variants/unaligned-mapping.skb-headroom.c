// SPDX-License-Identifier: MIT
/*
 * unaligned-mapping decided from the allocation: an RX buffer is kmalloc'd with headroom and the
 * device receives at skb->data, 66 bytes in (NET_SKB_PAD + NET_IP_ALIGN), as every NIC driver
 * maps it. The first DMA line is shared only with the headroom, slack of the same allocation:
 * not a finding (the fixed twin, which also checks it reads the device's data). The bug fills
 * the headroom (metadata a driver pushes in front of the frame) while the device still owns
 * that line: the write is lost at the invalidate on a non-coherent machine.
 */
#include "e2e.h"

/* E2E_OPTIONS: fail_on=warning */

#define HEADROOM 66
#define BUF 1536

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(HEADROOM + BUF, GFP_KERNEL), *data = buf + HEADROOM, frame[BUF];
	dma_addr_t dma = dma_map_single(dev, data, BUF, DMA_FROM_DEVICE);
	int i, bad = 0;

	if (dma_mapping_error(dev, dma))
		return 1;
	for (i = 0; i < BUF; i++)
		frame[i] = (u8)(i ^ 0x5a);
	BUGGY(memset(buf + 32, 0xee, 16), (void)0); /* the bug: headroom written during the DMA */
	dmasim_dma_write(dev, dma, frame, BUF);
	dma_unmap_single(dev, dma, BUF, DMA_FROM_DEVICE);
	BUGGY((void)0, memset(buf + 32, 0xee, 16)); /* after the unmap: the CPU's again */
	for (i = 0; i < BUF; i++)
		bad |= data[i] != frame[i];
	kfree(buf);
	dmasim_device_destroy(dev);
	return BUGGY(0, bad);
}
