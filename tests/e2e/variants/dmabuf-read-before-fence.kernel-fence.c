// SPDX-License-Identifier: MIT
/*
 * dmabuf-read-before-fence through a KERNEL fence: the memory manager clears a frame on its copy
 * engine and publishes the clear's fence with DMA_RESV_USAGE_KERNEL; the display scans out
 * through a mapping it made before the clear was queued, and shows the old contents. The fix
 * maps when preparing the scanout, under the frame's resv lock as display drivers do: mapping a
 * static attachment waits for the KERNEL fences (with the unlocked wait, so holding the lock is
 * allowed), while the copy engine finishes the clear on its own thread.
 * E2E_RELATED: fence_init,map
 * E2E_FUNCTION: display_scanout
 */
#include <pthread.h>

#include <linux/dma-buf.h>

#include "e2e_dmabuf.h"
#include "e2e_fence.h"

/* The memory manager: clear the frame, publish the clear's fence. */
static struct dma_fence *mm_clear(struct e2e_timeline *tl, struct dma_buf *frame)
{
	struct dma_fence *clear = e2e_fence_new(tl);

	dma_resv_lock(frame->resv, NULL);
	if (!dma_resv_reserve_fences(frame->resv, 1))
		dma_resv_add_fence(frame->resv, clear, DMA_RESV_USAGE_KERNEL);
	dma_resv_unlock(frame->resv);
	return clear;
}

/* The copy engine's completion: the clear is done. */
static void *copy_engine_irq(void *clear)
{
	dma_fence_signal(clear);
	dma_fence_put(clear);
	return NULL;
}

/* The display driver prepares a scanout with the frame locked. */
static struct sg_table *display_prepare(struct dma_buf_attachment *attach)
{
	struct sg_table *sgt;

	dma_resv_lock(attach->dmabuf->resv, NULL);
	sgt = dma_buf_map_attachment(attach, DMA_TO_DEVICE);
	dma_resv_unlock(attach->dmabuf->resv);
	return sgt;
}

static void display_scanout(struct device *display, struct sg_table *sgt)
{
	char line[64];

	dmasim_dma_read(display, sg_dma_address(sgt->sgl), line, sizeof(line));
}

int main(void)
{
	struct device *display = e2e_display();
	struct dma_buf *frame = e2e_frame(4096);
	struct dma_buf_attachment *attach = dma_buf_attach(frame, display);
	struct dma_fence *clear;
	struct e2e_timeline tl;
	struct sg_table *sgt;
	pthread_t engine;

	e2e_timeline_init(&tl);
	if (IS_ERR(attach))
		return 1;
#ifndef FIXED
	sgt = display_prepare(attach); /* before the clear: nothing to wait for yet */
	if (IS_ERR(sgt))
		return 1;
	clear = mm_clear(&tl, frame);
	display_scanout(display, sgt);
	pthread_create(&engine, NULL, copy_engine_irq, clear);
#else
	clear = mm_clear(&tl, frame);
	pthread_create(&engine, NULL, copy_engine_irq, clear);
	sgt = display_prepare(attach); /* waits for the clear */
	if (IS_ERR(sgt))
		return 1;
	display_scanout(display, sgt);
#endif
	pthread_join(engine, NULL);
	dma_buf_unmap_attachment(attach, sgt, DMA_TO_DEVICE);
	dma_buf_detach(frame, attach);
	dma_buf_put(frame);
	dmasim_device_destroy(display);
	return 0;
}
