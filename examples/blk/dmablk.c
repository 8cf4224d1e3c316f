// SPDX-License-Identifier: MIT
/*
 * dmablk — a small NVMe-like block driver written as kernel code: requests arrive as page
 * arrays, become scatterlists, are mapped with dma_map_sg (behind an IOMMU the list collapses
 * into fewer DMA segments), the SGL is programmed from the *mapped* count into a dma_pool block,
 * and the completion unmaps with the *original* nents.
 *
 * dmablk_bug selects one real-world bug at a time (dmablk.h); DMABLK_BUG_NONE is correct.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmablk.h"
#include "dmablk_hw.h"

enum dmablk_bug dmablk_bug;

static const char *const dmablk_bug_names[DMABLK_BUG__COUNT] = {
	[DMABLK_BUG_NONE] = "none",
	[DMABLK_BUG_UNMAP_MAPPED_COUNT] = "unmap-mapped-count",
	[DMABLK_BUG_PROGRAM_NENTS] = "program-nents",
	[DMABLK_BUG_SEG_OVER_LIMIT] = "seg-over-limit",
	[DMABLK_BUG_READ_TO_DEVICE] = "read-to-device",
};

const char *dmablk_bug_name(enum dmablk_bug bug)
{
	return bug < DMABLK_BUG__COUNT ? dmablk_bug_names[bug] : "?";
}

int dmablk_bug_parse(const char *name)
{
	int i;

	for (i = 0; i < DMABLK_BUG__COUNT; i++)
		if (!strcmp(name, dmablk_bug_names[i]))
			return i;
	return -1;
}

struct dmablk_ctrl {
	struct device *dev;
	struct dmablk_regs *regs;
	struct mutex lock; /* one command in flight keeps the example short */
	struct dma_pool *sgl_pool;
	struct dmablk_cmd *sq;
	dma_addr_t sq_dma;
	struct dmablk_cqe *cq;
	dma_addr_t cq_dma;
	u16 sq_tail, cq_head, phase, next_cid;
};

struct dmablk_ctrl *dmablk_probe(struct device *dev, struct dmablk_regs *regs)
{
	struct dmablk_ctrl *ctrl;

	if (dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)))
		return NULL;
	/* The SGL length field caps segments; the venus/dwc3 bug is forgetting to say so. */
	if (dmablk_bug != DMABLK_BUG_SEG_OVER_LIMIT)
		dma_set_max_seg_size(dev, DMABLK_MAX_SEG_BYTES);

	ctrl = kzalloc(sizeof(*ctrl), GFP_KERNEL);
	if (!ctrl)
		return NULL;
	ctrl->dev = dev;
	ctrl->regs = regs;
	mutex_init(&ctrl->lock);
	ctrl->sgl_pool = dma_pool_create("dmablk-sgl", dev,
					 DMABLK_MAX_SEGS * sizeof(struct dmablk_sgl_entry), 16, 0);
	if (!ctrl->sgl_pool)
		goto err_free;
	ctrl->sq = dma_alloc_coherent(dev, DMABLK_QUEUE_DEPTH * sizeof(*ctrl->sq), &ctrl->sq_dma,
				      GFP_KERNEL);
	if (!ctrl->sq)
		goto err_pool;
	ctrl->cq = dma_alloc_coherent(dev, DMABLK_QUEUE_DEPTH * sizeof(*ctrl->cq), &ctrl->cq_dma,
				      GFP_KERNEL);
	if (!ctrl->cq)
		goto err_sq;
	ctrl->phase = 1;

	writel(lower_32_bits(ctrl->sq_dma), &regs->sq_lo);
	writel(upper_32_bits(ctrl->sq_dma), &regs->sq_hi);
	writel(lower_32_bits(ctrl->cq_dma), &regs->cq_lo);
	writel(upper_32_bits(ctrl->cq_dma), &regs->cq_hi);
	writel(1, &regs->ctrl);
	return ctrl;

err_sq:
	dma_free_coherent(dev, DMABLK_QUEUE_DEPTH * sizeof(*ctrl->sq), ctrl->sq, ctrl->sq_dma);
err_pool:
	dma_pool_destroy(ctrl->sgl_pool);
err_free:
	kfree(ctrl);
	return NULL;
}

/* Fill the SGL from the DMA view of the list: the mapped count, sg_dma_address/sg_dma_len. */
static unsigned int dmablk_fill_sgl(struct dmablk_sgl_entry *sgl, struct sg_table *sgt,
				    int count)
{
	struct scatterlist *sg;
	unsigned int n = 0;
	int i;

	if (dmablk_bug == DMABLK_BUG_PROGRAM_NENTS) {
		/* BUG: walks every CPU entry; the IOMMU merged them, so the tail is unmapped */
		for_each_sgtable_sg(sgt, sg, i) {
			sgl[n].addr = sg_dma_address(sg);
			sgl[n++].len = sg->length;
		}
		return n;
	}
	for_each_sg(sgt->sgl, sg, count, i) {
		sgl[n].addr = sg_dma_address(sg);
		sgl[n++].len = sg_dma_len(sg);
	}
	return n;
}

static int dmablk_wait_completion(struct dmablk_ctrl *ctrl, u16 cid)
{
	struct dmablk_cqe *cqe = &ctrl->cq[ctrl->cq_head];
	int status;

	/* the interrupt is modelled by polling the phase bit, as a polled queue would */
	while (READ_ONCE(cqe->phase) != ctrl->phase)
		usleep_range(20, 50);
	dma_rmb();
	status = cqe->cid == cid ? cqe->status : DMABLK_STATUS_INVALID;
	if (++ctrl->cq_head == DMABLK_QUEUE_DEPTH) {
		ctrl->cq_head = 0;
		ctrl->phase ^= 1;
	}
	return status ? -EIO : 0;
}

int dmablk_rw(struct dmablk_ctrl *ctrl, int op, u64 lba, struct page **pages, unsigned int npages)
{
	struct device *dev = ctrl->dev;
	enum dma_data_direction dir = op == DMABLK_OP_READ ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
	struct dmablk_sgl_entry *sgl;
	struct dmablk_cmd *cmd;
	struct sg_table sgt;
	dma_addr_t sgl_dma;
	int count, err;

	if (dmablk_bug == DMABLK_BUG_READ_TO_DEVICE)
		dir = DMA_TO_DEVICE; /* BUG: the device writes READ data into this buffer */

	if (dmablk_bug == DMABLK_BUG_SEG_OVER_LIMIT)
		err = sg_alloc_table_from_pages(&sgt, pages, npages, 0, npages * PAGE_SIZE,
						GFP_KERNEL);
	else
		err = sg_alloc_table_from_pages_segment(&sgt, pages, npages, 0,
							npages * PAGE_SIZE,
							dma_get_max_seg_size(dev), GFP_KERNEL);
	if (err)
		return err;

	count = dma_map_sg(dev, sgt.sgl, sgt.orig_nents, dir);
	if (!count) {
		err = -EIO;
		goto out_free_table;
	}
	if (count > DMABLK_MAX_SEGS) {
		err = -EINVAL;
		goto out_unmap;
	}

	sgl = dma_pool_zalloc(ctrl->sgl_pool, GFP_KERNEL, &sgl_dma);
	if (!sgl) {
		err = -ENOMEM;
		goto out_unmap;
	}

	mutex_lock(&ctrl->lock);
	cmd = &ctrl->sq[ctrl->sq_tail];
	memset(cmd, 0, sizeof(*cmd));
	cmd->opcode = op;
	cmd->cid = ++ctrl->next_cid;
	cmd->lba = lba;
	cmd->sgl_addr = sgl_dma;
	cmd->nsegs = dmablk_fill_sgl(sgl, &sgt, count);
	ctrl->sq_tail = (ctrl->sq_tail + 1) % DMABLK_QUEUE_DEPTH;
	dma_wmb(); /* command and SGL visible before the doorbell */
	writel(ctrl->sq_tail, &ctrl->regs->sq_tail);
	err = dmablk_wait_completion(ctrl, cmd->cid);
	mutex_unlock(&ctrl->lock);

	dma_pool_free(ctrl->sgl_pool, sgl, sgl_dma);
out_unmap:
	if (dmablk_bug == DMABLK_BUG_UNMAP_MAPPED_COUNT)
		dma_unmap_sg(dev, sgt.sgl, count, dir); /* BUG: must be orig_nents */
	else
		dma_unmap_sg(dev, sgt.sgl, sgt.orig_nents, dir);
out_free_table:
	sg_free_table(&sgt);
	return err;
}

void dmablk_remove(struct dmablk_ctrl *ctrl)
{
	struct device *dev = ctrl->dev;

	writel(0, &ctrl->regs->ctrl);
	dma_free_coherent(dev, DMABLK_QUEUE_DEPTH * sizeof(*ctrl->cq), ctrl->cq, ctrl->cq_dma);
	dma_free_coherent(dev, DMABLK_QUEUE_DEPTH * sizeof(*ctrl->sq), ctrl->sq, ctrl->sq_dma);
	dma_pool_destroy(ctrl->sgl_pool);
	kfree(ctrl);
}
