// SPDX-License-Identifier: MIT
/*
 * dmabuf-read-before-fence. The pattern of implicit-sync bugs between a producer and a display:
 * the camera's capture job publishes a write fence in the frame's reservation object, and the
 * display scans the frame out without waiting for it, showing a half-written frame (tearing, or
 * the previous frame's data). The fix waits for the buffer's write fences first.
 * E2E_RELATED: fence_init,map
 */
#include <linux/dma-buf.h>

#include "e2e_dmabuf.h"
#include "e2e_fence.h"

struct capture_job {
	struct dma_fence *done;
};

/* The camera driver: queue a capture into the frame, publish its fence. */
static void camera_capture(struct e2e_timeline *tl, struct dma_buf *frame, struct capture_job *job)
{
	job->done = e2e_fence_new(tl);
	dma_resv_lock(frame->resv, NULL);
	if (!dma_resv_reserve_fences(frame->resv, 1))
		dma_resv_add_fence(frame->resv, job->done, DMA_RESV_USAGE_WRITE);
	dma_resv_unlock(frame->resv);
}

static void camera_irq(struct capture_job *job)
{
	dma_fence_signal(job->done);
	dma_fence_put(job->done);
}

/* The display driver: scan the frame out through its own mapping. */
static void display_scanout(struct device *display, struct dma_buf *frame, struct sg_table *sgt)
{
	char line[64];

	BUGGY((void)0, dma_resv_wait_timeout(frame->resv, DMA_RESV_USAGE_WRITE, false,
					     MAX_SCHEDULE_TIMEOUT)); /* the fix */
	dmasim_dma_read(display, sg_dma_address(sgt->sgl), line, sizeof(line));
}

int main(void)
{
	struct device *display = e2e_display();
	struct dma_buf *frame = e2e_frame(4096);
	struct dma_buf_attachment *attach = dma_buf_attach(frame, display);
	struct capture_job job;
	struct e2e_timeline tl;
	struct sg_table *sgt;

	e2e_timeline_init(&tl);
	if (IS_ERR(attach))
		return 1;
	sgt = dma_buf_map_attachment(attach, DMA_TO_DEVICE);
	if (IS_ERR(sgt))
		return 1;
	camera_capture(&tl, frame, &job);
#ifndef FIXED
	display_scanout(display, frame, sgt); /* the capture is still running */
	camera_irq(&job);
#else
	camera_irq(&job);
	display_scanout(display, frame, sgt);
#endif
	dma_buf_unmap_attachment(attach, sgt, DMA_TO_DEVICE);
	dma_buf_detach(frame, attach);
	dma_buf_put(frame);
	dmasim_device_destroy(display);
	return 0;
}
