// SPDX-License-Identifier: MIT
/*
 * dmabuf-release-attached. The pattern of importer teardown in the wrong order: the importer
 * drops its buffer reference before detaching, so the last put releases a dma-buf that still has
 * an attachment (the kernel WARNs in dma_buf_release) and the detach that follows touches freed
 * memory. The fix detaches first.
 * E2E_RELATED: export
 */
#include "e2e_dmabuf.h"

int main(void)
{
	struct device *display = e2e_display();
	struct dma_buf *buf = e2e_frame(4096);
	struct dma_buf_attachment *attach = dma_buf_attach(buf, display);
	struct sg_table *sgt;

	if (IS_ERR(attach))
		return 1;
	sgt = dma_buf_map_attachment(attach, DMA_TO_DEVICE);
	if (IS_ERR(sgt))
		return 1;
	dma_buf_unmap_attachment(attach, sgt, DMA_TO_DEVICE);
#ifndef FIXED
	dma_buf_put(buf);
	/* the detach would now use freed memory: the report is the point of this program */
#else
	dma_buf_detach(buf, attach); /* the fix: detach, then drop the reference */
	dma_buf_put(buf);
#endif
	dmasim_device_destroy(display);
	return 0;
}
