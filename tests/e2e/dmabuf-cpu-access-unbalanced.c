// SPDX-License-Identifier: MIT
/*
 * dmabuf-cpu-access-unbalanced. The pattern of CPU fallback paths that skip
 * dma_buf_begin_cpu_access() on one branch (here: "the buffer is already mapped, so it must be
 * coherent") but always call dma_buf_end_cpu_access(): the read on that branch is unbracketed
 * (stale cache lines on non-coherent platforms) and the end syncs for a begin that never was.
 * E2E_RELATED: export
 */
#include "e2e_dmabuf.h"

static u32 checksum(struct dma_buf *buf, const u8 *p, size_t len, bool mapped_before)
{
	u32 sum = 0;

	if (BUGGY(!mapped_before, true)) /* the fix: always open the bracket */
		dma_buf_begin_cpu_access(buf, DMA_FROM_DEVICE);
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	dma_buf_end_cpu_access(buf, DMA_FROM_DEVICE);
	return sum;
}

int main(void)
{
	struct dma_buf *buf = e2e_frame(4096);
	struct iosys_map map;

	if (dma_buf_vmap(buf, &map))
		return 1;
	checksum(buf, map.vaddr, 4096, false);
	checksum(buf, map.vaddr, 4096, true);
	dma_buf_vunmap(buf, &map);
	dma_buf_put(buf);
	return 0;
}
