// SPDX-License-Identifier: MIT
/*
 * double-unmap, from a driver built as most distribution code is: -fomit-frame-pointer -O2
 * (tests/e2e/CMakeLists.txt), its functions using rbp as an ordinary register. A frame-pointer
 * walk from the DMA layer loses the driver's functions here; the report must still name the
 * unmap's callers in order.
 * E2E_STACK: ring_cleanup,nic_close,main
 * E2E_RELATED: map,unmap
 */
#include "e2e.h"

struct tx_buf {
	void *data;
	dma_addr_t dma;
	u32 len;
};

/* rbp as scratch across the call, the way register-starved optimised code uses it */
#define CLOBBER_RBP() __asm__ volatile("movq $0x5a5a5a5a, %%rbp" ::: "rbp", "memory")

static noinline void tx_complete(struct device *dev, struct tx_buf *tb)
{
	CLOBBER_RBP();
	dma_unmap_single(dev, tb->dma, tb->len, DMA_TO_DEVICE);
	BUGGY((void)0, tb->len = 0); /* the fix: mark the slot empty */
	__asm__ volatile("" ::: "memory");
}

static noinline void ring_cleanup(struct device *dev, struct tx_buf *tb)
{
	CLOBBER_RBP();
	if (tb->len)
		dma_unmap_single(dev, tb->dma, tb->len, DMA_TO_DEVICE);
	kfree(tb->data);
	__asm__ volatile("" ::: "memory");
}

static noinline void nic_close(struct device *dev, struct tx_buf *tb)
{
	CLOBBER_RBP();
	tx_complete(dev, tb);
	ring_cleanup(dev, tb);
	__asm__ volatile("" ::: "memory");
}

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct tx_buf tb = { kmalloc(1500, GFP_KERNEL), 0, 1500 };

	memset(tb.data, 0x5a, 1500);
	tb.dma = dma_map_single(dev, tb.data, tb.len, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, tb.dma))
		return 1;
	nic_close(dev, &tb);
	dmasim_device_destroy(dev);
	return 0;
}
