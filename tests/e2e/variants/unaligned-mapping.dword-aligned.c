// SPDX-License-Identifier: MIT
/*
 * unaligned-mapping decided from the allocation: a block driver receives into a buffer that is
 * only 4-byte aligned (NVMe PRP data may start at any dword). Alone in its kmalloc object, its
 * first and last DMA lines hold nothing but that object's slack: not a finding (the fixed twin).
 * The bug carves the buffer out of a static array next to other data the driver keeps: memory
 * whose use dmasan cannot know, warned about at map time.
 */
#include "e2e.h"

/* E2E_OPTIONS: fail_on=warning */

#define LEN 512

#ifndef FIXED
static struct {
	u32 pad;
	u8 buf[LEN];   /* 4-byte aligned, inside a static object */
	u32 requests;  /* driver state in the same DMA line */
} io;
#endif

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *obj = BUGGY(NULL, kmalloc(LEN + 8, GFP_KERNEL));
	u8 *buf = BUGGY(io.buf, obj + 4), block[LEN];
	dma_addr_t dma;
	int i, req, bad = 0;

	for (i = 0; i < LEN; i++)
		block[i] = (u8)(i * 13);
	for (req = 0; req < 4; req++) {
		dma = dma_map_single(dev, buf, LEN, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, dma))
			return 1;
		dmasim_dma_write(dev, dma, block, LEN);
		dma_unmap_single(dev, dma, LEN, DMA_FROM_DEVICE);
		bad |= memcmp(buf, block, LEN) != 0;
	}
	kfree(obj);
	dmasim_device_destroy(dev);
	return bad;
}
