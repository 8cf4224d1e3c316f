// SPDX-License-Identifier: MIT
/*
 * dmabuf-use-after-move. A dynamic importer (an accelerator importing a GPU buffer with
 * dma_buf_dynamic_attach, so the exporter may move it instead of pinning it) whose move_notify
 * only flags the import as stale, while the job path keeps handing the device the DMA address of
 * the mapping it made at import. The exporter evicts the buffer; the mapping still works, but it
 * shows the device the old place: the next job computes on the previous contents. The fix undoes
 * the mapping in move_notify (the resv lock is held there) and maps again, under the lock, before
 * the next job.
 * E2E_RELATED: move,map,export
 * E2E_FUNCTION: run_job
 */
#include <string.h>

#include <linux/dma-buf.h>

#include "e2e_dmabuf.h"

struct npu_import {
	struct device *npu;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	bool stale;
};

static void npu_move_notify(struct dma_buf_attachment *attach)
{
	struct npu_import *imp = attach->importer_priv;

	imp->stale = true;
#ifdef FIXED
	dma_buf_unmap_attachment(attach, imp->sgt, DMA_TO_DEVICE);
	imp->sgt = NULL;
#endif
}

static const struct dma_buf_attach_ops npu_importer_ops = {
	.allow_peer2peer = false,
	.move_notify = npu_move_notify,
};

static int npu_map(struct npu_import *imp)
{
	struct dma_buf *buf = imp->attach->dmabuf;

	dma_resv_lock(buf->resv, NULL);
	if (!imp->sgt)
		imp->sgt = dma_buf_map_attachment(imp->attach, DMA_TO_DEVICE);
	dma_resv_unlock(buf->resv);
	if (IS_ERR(imp->sgt))
		return (int)PTR_ERR(imp->sgt);
	imp->stale = false;
	return 0;
}

/* The job path: the device reads its input through the import's mapping. */
static noinline int run_job(struct npu_import *imp, char *out, size_t len)
{
	BUGGY((void)0, npu_map(imp)); /* the fix: map again after a move */
	return dmasim_dma_read(imp->npu, sg_dma_address(imp->sgt->sgl), out, len);
}

/* The GPU side writes the next input (through the buffer's vmap, bracketed). */
static void gpu_fill(struct dma_buf *buf, const char *text)
{
	struct iosys_map map;

	if (dma_buf_vmap(buf, &map))
		exit(1);
	dma_buf_begin_cpu_access(buf, DMA_TO_DEVICE);
	strcpy(map.vaddr, text);
	dma_buf_end_cpu_access(buf, DMA_TO_DEVICE);
	dma_buf_vunmap(buf, &map);
}

int main(void)
{
	struct dmasim_config cfg = { .name = "npu0", .driver = "e2e-npu" };
	struct npu_import imp = { .npu = e2e_device(&cfg) };
	struct dma_buf *buf = dmasim_dmabuf_export_dynamic(4096, "e2e-gpu-vram");
	char got[16] = "";

	if (IS_ERR(buf))
		return 77;
	imp.attach = dma_buf_dynamic_attach(buf, imp.npu, &npu_importer_ops, &imp);
	if (IS_ERR(imp.attach) || npu_map(&imp))
		return 1;
	gpu_fill(buf, "input-1");
	if (run_job(&imp, got, 8) || strcmp(got, "input-1"))
		return 1;

	if (dmasim_dmabuf_move(buf)) /* eviction: the importer is told */
		return 1;
	gpu_fill(buf, "input-2");
	if (run_job(&imp, got, 8))
		return 1;

	dma_resv_lock(buf->resv, NULL);
	if (imp.sgt)
		dma_buf_unmap_attachment(imp.attach, imp.sgt, DMA_TO_DEVICE);
	dma_resv_unlock(buf->resv);
	dma_buf_detach(buf, imp.attach);
	dma_buf_put(buf);
	dmasim_device_destroy(imp.npu);
	return strcmp(got, "input-2") ? 2 : 0;
}
