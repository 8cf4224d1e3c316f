// SPDX-License-Identifier: MIT
/*
 * map-invalid-area: a length computed from an unchecked subtraction (hdr_len - 1 with hdr_len 0)
 * is SIZE_MAX. The map of a range that wraps the address space fails instead of returning a
 * handle for a wrapped length, on a 64-bit device as on any other.
 * E2E_EXITCODE: 1
 * E2E_ONLY: yes
 */
#include "e2e.h"

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = e2e_device(&cfg);
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	size_t hdr_len = BUGGY(0, 1);
	size_t len = hdr_len - 1 + BUGGY(0, 64);
	dma_addr_t dma = dma_map_single(dev, buf, len, DMA_TO_DEVICE);

	if (dma_mapping_error(dev, dma))
		return BUGGY(0, 3); /* the buggy length must be refused */
	if (BUGGY(1, 0))
		return 3;
	dma_unmap_single(dev, dma, len, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
