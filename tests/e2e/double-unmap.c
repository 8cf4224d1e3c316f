// SPDX-License-Identifier: MIT
/*
 * double-unmap. Modelled on bnxt_en "Fix double DMA unmapping for XDP_REDIRECT" (B.1 #42) and
 * mt76 "fix double DMA unmap of the first buffer" (#43): the completion path unmapped the buffer,
 * and the ring cleanup unmapped it again because the stored handle was not cleared.
 * E2E_RELATED: map,unmap
 */
#include "e2e.h"

struct tx_buf {
	void *data;
	dma_addr_t dma;
	u32 len;
};

static void tx_complete(struct device *dev, struct tx_buf *tb)
{
	dma_unmap_single(dev, tb->dma, tb->len, DMA_TO_DEVICE);
	BUGGY((void)0, tb->len = 0); /* the fix: mark the slot empty */
}

static void ring_cleanup(struct device *dev, struct tx_buf *tb)
{
	if (tb->len)
		dma_unmap_single(dev, tb->dma, tb->len, DMA_TO_DEVICE);
	kfree(tb->data);
}

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct tx_buf tb = { kmalloc(1500, GFP_KERNEL), 0, 1500 };

	memset(tb.data, 0x5a, 1500);
	tb.dma = dma_map_single(dev, tb.data, tb.len, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, tb.dma))
		return 1;
	tx_complete(dev, &tb);
	ring_cleanup(dev, &tb);
	dmasim_device_destroy(dev);
	return 0;
}
