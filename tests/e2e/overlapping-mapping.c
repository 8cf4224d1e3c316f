// SPDX-License-Identifier: MIT
/*
 * overlapping-mapping. Modelled on "crypto: qat - fix DMA transfer direction" (B.1 #21): the
 * source and destination of a request pointed at the same memory and both were mapped
 * DMA_BIDIRECTIONAL, two device-writable mappings of one buffer ("cacheline tracking EEXIST").
 * Here the overlap starts past the first cache line, which the kernel would not see.
 * E2E_RELATED: map
 * E2E_ONLY: yes (the bounce copies of the second mapping are not the driver's CPU accesses)
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(8192, GFP_KERNEL);
	u8 *dst = BUGGY(buf + 1024, kmalloc(4096, GFP_KERNEL)); /* in place vs separate */
	enum dma_data_direction sdir = BUGGY(DMA_BIDIRECTIONAL, DMA_TO_DEVICE);
	dma_addr_t src_dma, dst_dma;

	memset(buf, 1, 8192);
	src_dma = dma_map_single(dev, buf, 4096, sdir);
	dst_dma = dma_map_single(dev, dst, 4096, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, src_dma) || dma_mapping_error(dev, dst_dma))
		return 1;
	dma_unmap_single(dev, dst_dma, 4096, DMA_BIDIRECTIONAL);
	dma_unmap_single(dev, src_dma, 4096, sdir);
	BUGGY((void)0, kfree(dst));
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
