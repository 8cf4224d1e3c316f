// SPDX-License-Identifier: MIT
/*
 * dmabuf-cpu-access-direction-mismatch. The pattern of CPU fill paths that open the bracket for
 * reading and close it as if they had written (or the reverse): the exporter syncs by the
 * direction, so the CPU's writes may never be cleaned to memory before the device reads them.
 * E2E_RELATED: begin_cpu_access
 */
#include "e2e_dmabuf.h"

int main(void)
{
	struct dma_buf *buf = e2e_frame(4096);
	struct iosys_map map;

	if (dma_buf_vmap(buf, &map))
		return 1;
	dma_buf_begin_cpu_access(buf, BUGGY(DMA_FROM_DEVICE, DMA_TO_DEVICE)); /* the fix */
	memset(map.vaddr, 0x80, 4096); /* a grey frame */
	dma_buf_end_cpu_access(buf, DMA_TO_DEVICE);
	dma_buf_vunmap(buf, &map);
	dma_buf_put(buf);
	return 0;
}
