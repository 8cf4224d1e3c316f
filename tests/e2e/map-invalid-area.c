// SPDX-License-Identifier: MIT
/*
 * map-invalid-area. The kernel's M1 ("device driver maps memory from invalid area",
 * !virt_addr_valid): a lookup failed and returned NULL, and the driver mapped a field of the
 * missing structure (an address in the NULL page) instead of bailing out.
 */
#include "e2e.h"

struct frame {
	u32 hdr[8];
	u8 payload[256];
};

static struct frame *frame_lookup(struct frame *table, int idx)
{
	return idx < 4 ? &table[idx] : NULL;
}

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct frame *table = kcalloc(4, sizeof(*table), GFP_KERNEL);
	struct frame *f = frame_lookup(table, BUGGY(7, 1));
	dma_addr_t dma;

	BUGGY((void)0, if (!f) return 1);
	dma = dma_map_single(dev, (u8 *)((uintptr_t)f + sizeof(f->hdr)), sizeof(f->payload),
			     DMA_TO_DEVICE); /* &f->payload, in integers: UBSan stops at NULL->x */
	if (!dma_mapping_error(dev, dma))
		dma_unmap_single(dev, dma, sizeof(f->payload), DMA_TO_DEVICE);
	kfree(table);
	dmasim_device_destroy(dev);
	return 0;
}
