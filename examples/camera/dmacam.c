// SPDX-License-Identifier: MIT
/*
 * dmacam — a camera capture driver written as kernel code, importing its frame buffers as
 * dma-bufs the way videobuf2 does: an attachment per buffer, mapped for the camera when a capture
 * is queued and unmapped in the frame-done interrupt, so whatever the engine wrote (into the
 * buffer, an IOVA, or a SWIOTLB slot) is in memory before anyone is told. Each capture publishes
 * a write fence in the buffer's reservation object; the interrupt signals it. The interrupt is
 * only enabled when someone waits (the fence's enable_signaling), as GPU drivers do.
 */
#include <linux/delay.h>
#include <linux/dma-buf.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "campipe.h"
#include "campipe_hw.h"

enum campipe_bug campipe_bug;

static const char *const campipe_bug_names[CAMPIPE_BUG__COUNT] = {
	[CAMPIPE_BUG_NONE] = "none",
	[CAMPIPE_BUG_NO_FENCE_WAIT] = "no-fence-wait",
	[CAMPIPE_BUG_DETACH_MAPPED] = "detach-mapped",
	[CAMPIPE_BUG_STOP_NO_SIGNAL] = "stop-no-signal",
};

const char *campipe_bug_name(enum campipe_bug bug)
{
	return bug < CAMPIPE_BUG__COUNT ? campipe_bug_names[bug] : "?";
}

int campipe_bug_parse(const char *name)
{
	for (int i = 0; i < CAMPIPE_BUG__COUNT; i++)
		if (!strcmp(name, campipe_bug_names[i]))
			return i;
	return -1;
}

/* One capture in flight: the fence comes first, so the fence core's kfree frees the job. */
struct dmacam_job {
	struct dma_fence fence;
	struct dmacam *cam;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
};

struct dmacam {
	struct device *dev;
	struct campipe_cam_regs *regs;
	spinlock_t fence_lock;
	u64 context, seqno;
	struct dmacam_job *active; /* owns one fence reference */
};

static const char *dmacam_fence_driver(struct dma_fence *f)
{
	return "dmacam";
}

static const char *dmacam_fence_timeline(struct dma_fence *f)
{
	return "capture";
}

/* Someone waits: let the engine raise its frame-done interrupt. */
static bool dmacam_enable_signaling(struct dma_fence *f)
{
	struct dmacam_job *job = container_of(f, struct dmacam_job, fence);

	writel(1, &job->cam->regs->irq_enable);
	return true;
}

static const struct dma_fence_ops dmacam_fence_ops = {
	.get_driver_name = dmacam_fence_driver,
	.get_timeline_name = dmacam_fence_timeline,
	.enable_signaling = dmacam_enable_signaling,
};

struct dmacam *dmacam_probe(struct device *dev, struct campipe_cam_regs *regs)
{
	struct dmacam *cam = kzalloc(sizeof(*cam), GFP_KERNEL);

	if (!cam)
		return NULL;
	cam->dev = dev;
	cam->regs = regs;
	spin_lock_init(&cam->fence_lock);
	cam->context = dma_fence_context_alloc(1);
	return cam;
}

static struct dmacam_job *dmacam_take_active(struct dmacam *cam)
{
	return __atomic_exchange_n(&cam->active, NULL, __ATOMIC_ACQ_REL);
}

/* The engine is done with the job's buffer: hand the frame over, then tell the waiters. */
static void dmacam_complete(struct dmacam_job *job, int error)
{
	dma_buf_unmap_attachment(job->attach, job->sgt, DMA_FROM_DEVICE);
	if (error)
		dma_fence_set_error(&job->fence, error);
	dma_fence_signal(&job->fence);
	dma_fence_put(&job->fence);
}

void dmacam_irq(void *arg)
{
	struct dmacam *cam = arg;
	struct dmacam_job *job;

	writel(0, &cam->regs->irq_enable);
	job = dmacam_take_active(cam);
	if (job)
		dmacam_complete(job, 0);
}

struct dma_buf_attachment *dmacam_import(struct dmacam *cam, struct dma_buf *buf)
{
	return dma_buf_attach(buf, cam->dev);
}

/* The engine captures one frame at a time: wait for the previous one (enabling its interrupt). */
static void dmacam_wait_idle(struct dmacam *cam)
{
	struct dma_fence *prev = NULL;
	struct dmacam_job *job;

	spin_lock(&cam->fence_lock);
	job = __atomic_load_n(&cam->active, __ATOMIC_ACQUIRE);
	if (job)
		prev = dma_fence_get(&job->fence);
	spin_unlock(&cam->fence_lock);
	if (prev) {
		dma_fence_wait(prev, false);
		dma_fence_put(prev);
	}
}

int dmacam_capture(struct dmacam *cam, struct dma_buf *buf, struct dma_buf_attachment *attach,
		   u32 seq)
{
	struct dmacam_job *job;
	int err;

	dmacam_wait_idle(cam);
	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	job->cam = cam;
	job->attach = attach;
	job->sgt = dma_buf_map_attachment(attach, DMA_FROM_DEVICE);
	if (IS_ERR(job->sgt)) {
		err = PTR_ERR(job->sgt);
		kfree(job);
		return err;
	}
	dma_fence_init(&job->fence, &dmacam_fence_ops, &cam->fence_lock, cam->context,
		       ++cam->seqno);

	dma_resv_lock(buf->resv, NULL);
	err = dma_resv_reserve_fences(buf->resv, 1);
	if (!err)
		dma_resv_add_fence(buf->resv, &job->fence, DMA_RESV_USAGE_WRITE);
	dma_resv_unlock(buf->resv);
	if (err) {
		dmacam_complete(job, err);
		return err;
	}

	__atomic_store_n(&cam->active, job, __ATOMIC_RELEASE);
	cam->regs->addr = sg_dma_address(job->sgt->sgl);
	writel(sg_dma_len(job->sgt->sgl), &cam->regs->len);
	writel(seq, &cam->regs->seq);
	wmb();
	writel(1, &cam->regs->start);
	return 0;
}

void dmacam_stop(struct dmacam *cam)
{
	struct dmacam_job *job;

	writel(0, &cam->regs->irq_enable);
	while (readl(&cam->regs->start)) /* let the engine finish the frame it is writing */
		usleep_range(10, 20);
	writel(0, &cam->regs->status);
	job = dmacam_take_active(cam);
	if (!job)
		return;
	if (campipe_bug == CAMPIPE_BUG_STOP_NO_SIGNAL) {
		/* BUG: the capture is dropped; waiters on its fence wait forever */
		dma_buf_unmap_attachment(job->attach, job->sgt, DMA_FROM_DEVICE);
		dma_fence_put(&job->fence);
		return;
	}
	dmacam_complete(job, -ECANCELED);
}

void dmacam_release(struct dmacam *cam, struct dma_buf *buf, struct dma_buf_attachment *attach)
{
	dma_buf_detach(buf, attach);
}

void dmacam_remove(struct dmacam *cam)
{
	kfree(cam);
}
