// SPDX-License-Identifier: MIT
/*
 * dmabuf-detach-mapped. The pattern of importer teardown paths that detach without
 * dma_buf_unmap_attachment(): with exporters that do not cache the mapping, the sg_table and its
 * DMA mapping leak; the fix unmaps before detaching.
 * E2E_RELATED: attach,map
 */
#include "e2e_dmabuf.h"

struct plane {
	struct dma_buf *buf;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
};

static int plane_import(struct plane *p, struct device *display, int fd)
{
	p->buf = dma_buf_get(fd);
	if (IS_ERR(p->buf))
		return PTR_ERR(p->buf);
	p->attach = dma_buf_attach(p->buf, display);
	if (IS_ERR(p->attach))
		return PTR_ERR(p->attach);
	p->sgt = dma_buf_map_attachment(p->attach, DMA_TO_DEVICE);
	return PTR_ERR_OR_ZERO(p->sgt);
}

static void plane_release(struct plane *p)
{
	BUGGY((void)0, dma_buf_unmap_attachment(p->attach, p->sgt, DMA_TO_DEVICE)); /* the fix */
	dma_buf_detach(p->buf, p->attach);
	dma_buf_put(p->buf);
}

int main(void)
{
	struct device *display = e2e_display();
	int fd = dma_buf_fd(e2e_frame(8192), 0);
	struct plane p = { 0 };

	if (plane_import(&p, display, fd))
		return 1;
	plane_release(&p);
	dma_buf_close_fd(fd);
	dmasim_device_destroy(display);
	return 0;
}
