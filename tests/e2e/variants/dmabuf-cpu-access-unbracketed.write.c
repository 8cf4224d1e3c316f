// SPDX-License-Identifier: MIT
/*
 * dmabuf-cpu-access-unbracketed on a write: a test-pattern path fills an imported buffer through
 * its vmap and opens the bracket only afterwards, around the readback; on a non-coherent
 * platform the pattern sits in CPU caches the exporter never cleans for the devices. Caught at
 * the store. The fix opens the bracket (DMA_BIDIRECTIONAL) before the fill.
 * E2E_ONLY: yes
 * E2E_FACTS: access=write offset=0
 * E2E_FUNCTION: fill_pattern
 */
#include <linux/dma-buf.h>

#include "e2e_dmabuf.h"

static noinline void fill_pattern(u8 *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		((volatile u8 *)p)[i] = (u8)i;
}

int main(void)
{
	struct device *display = e2e_display();
	struct dma_buf *buf = e2e_frame(4096);
	struct dma_buf_attachment *attach = dma_buf_attach(buf, display);
	struct iosys_map map;
	u8 check;

	if (IS_ERR(attach) || dma_buf_vmap(buf, &map))
		return 1;
	BUGGY((void)0, dma_buf_begin_cpu_access(buf, DMA_BIDIRECTIONAL)); /* the fix */
	fill_pattern(map.vaddr, 1);
	BUGGY(dma_buf_begin_cpu_access(buf, DMA_BIDIRECTIONAL), (void)0);
	check = *(volatile u8 *)map.vaddr;
	dma_buf_end_cpu_access(buf, DMA_BIDIRECTIONAL);
	dma_buf_vunmap(buf, &map);
	dma_buf_detach(buf, attach);
	dma_buf_put(buf);
	dmasim_device_destroy(display);
	return check == 0 ? 0 : 2;
}
