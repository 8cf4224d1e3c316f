// SPDX-License-Identifier: MIT
/*
 * dmadisp — a display driver written as kernel code, importing frame buffers as dma-bufs. The
 * engine scans the front buffer out until a flip replaces it, so the front buffer stays mapped
 * for the display; the one it replaces is unmapped after the flip. Before a buffer is shown, the
 * driver waits for the buffer's write fences (the implicit fencing DRM's prepare_fb helpers do):
 * the producer may still be writing it.
 */
#include <linux/delay.h>
#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "campipe.h"
#include "campipe_hw.h"

struct dmadisp {
	struct device *dev;
	struct campipe_disp_regs *regs;
	struct dma_buf_attachment *front; /* mapped while it is shown */
	struct sg_table *front_sgt;
};

struct dmadisp *dmadisp_probe(struct device *dev, struct campipe_disp_regs *regs)
{
	struct dmadisp *disp = kzalloc(sizeof(*disp), GFP_KERNEL);

	if (!disp)
		return NULL;
	disp->dev = dev;
	disp->regs = regs;
	return disp;
}

struct dma_buf_attachment *dmadisp_import(struct dmadisp *disp, struct dma_buf *buf)
{
	return dma_buf_attach(buf, disp->dev);
}

static void dmadisp_unmap_front(struct dmadisp *disp)
{
	if (!disp->front)
		return;
	dma_buf_unmap_attachment(disp->front, disp->front_sgt, DMA_TO_DEVICE);
	disp->front = NULL;
	disp->front_sgt = NULL;
}

int dmadisp_flip(struct dmadisp *disp, struct dma_buf *buf, struct dma_buf_attachment *attach,
		 u32 *crc)
{
	struct sg_table *sgt;
	long t;

	if (campipe_bug != CAMPIPE_BUG_NO_FENCE_WAIT) {
		/* BUG (no-fence-wait): without this the engine shows a frame still being written */
		t = dma_resv_wait_timeout(buf->resv, DMA_RESV_USAGE_WRITE, true,
					  MAX_SCHEDULE_TIMEOUT);
		if (t < 0)
			return (int)t;
	}
	sgt = dma_buf_map_attachment(attach, DMA_TO_DEVICE);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);

	disp->regs->addr = sg_dma_address(sgt->sgl);
	writel(sg_dma_len(sgt->sgl), &disp->regs->len);
	writel(0, &disp->regs->status);
	wmb();
	writel(1, &disp->regs->start);
	while (!readl(&disp->regs->status)) /* the flip completes at the engine's next frame */
		usleep_range(10, 20);

	dmadisp_unmap_front(disp);
	disp->front = attach;
	disp->front_sgt = sgt;
	*crc = readl(&disp->regs->crc);
	return readl(&disp->regs->status) & CAMPIPE_STATUS_ERR ? -EIO : 0;
}

void dmadisp_disable(struct dmadisp *disp)
{
	if (campipe_bug == CAMPIPE_BUG_DETACH_MAPPED)
		return; /* BUG: the front buffer stays mapped, and is detached mapped at release */
	dmadisp_unmap_front(disp);
}

void dmadisp_release(struct dmadisp *disp, struct dma_buf *buf, struct dma_buf_attachment *attach)
{
	dma_buf_detach(buf, attach);
}

void dmadisp_remove(struct dmadisp *disp)
{
	kfree(disp);
}
