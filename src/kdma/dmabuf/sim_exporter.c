// SPDX-License-Identifier: MIT
/*
 * The simulated exporter of <dmasan/sim.h>: contiguous kernel memory, one sg entry, mapped for
 * each importer's device with dma_map_sgtable (so importers get real handles: IOVAs, bounce
 * slots), with the CPU-access brackets syncing every live mapping, as the kernel's system heap
 * does.
 */
#include <errno.h>

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

struct sim_buffer {
	void *vaddr;
	size_t size;
};

static struct sg_table *sim_map(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct sim_buffer *b = attach->dmabuf->priv;
	struct sg_table *sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);

	if (!sgt || sg_alloc_table(sgt, 1, GFP_KERNEL)) {
		kfree(sgt);
		return ERR_PTR(-ENOMEM);
	}
	sg_set_buf(sgt->sgl, b->vaddr, (unsigned int)b->size);
	if (dma_map_sgtable(attach->dev, sgt, dir, 0)) {
		sg_free_table(sgt);
		kfree(sgt);
		return ERR_PTR(-ENOMEM);
	}
	return sgt;
}

static void sim_unmap(struct dma_buf_attachment *attach, struct sg_table *sgt,
		      enum dma_data_direction dir)
{
	dma_unmap_sgtable(attach->dev, sgt, dir, 0);
	sg_free_table(sgt);
	kfree(sgt);
}

static int sim_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir, bool begin)
{
	struct dma_buf_attachment *a;

	mutex_lock(&dmabuf->lock);
	list_for_each_entry(a, &dmabuf->attachments, node) {
		if (!a->sgt)
			continue;
		if (begin)
			dma_sync_sgtable_for_cpu(a->dev, a->sgt, a->dir);
		else
			dma_sync_sgtable_for_device(a->dev, a->sgt, a->dir);
	}
	mutex_unlock(&dmabuf->lock);
	return 0;
}

static int sim_begin(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	return sim_cpu_access(dmabuf, dir, true);
}

static int sim_end(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	return sim_cpu_access(dmabuf, dir, false);
}

static int sim_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	iosys_map_set_vaddr(map, ((struct sim_buffer *)dmabuf->priv)->vaddr);
	return 0;
}

static void sim_release(struct dma_buf *dmabuf)
{
	struct sim_buffer *b = dmabuf->priv;

	kfree(b->vaddr);
	kfree(b);
}

static const struct dma_buf_ops sim_ops = {
	.cache_sgt_mapping = true,
	.map_dma_buf = sim_map,
	.unmap_dma_buf = sim_unmap,
	.release = sim_release,
	.begin_cpu_access = sim_begin,
	.end_cpu_access = sim_end,
	.vmap = sim_vmap,
};

struct dma_buf *dmasim_dmabuf_export(size_t size, const char *name)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct sim_buffer *b;
	struct dma_buf *dmabuf;

	if (!size || size > (1u << 30))
		return ERR_PTR(-EINVAL);
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->size = size;
	b->vaddr = kzalloc(size, GFP_KERNEL);
	if (!b->vaddr) {
		kfree(b);
		return ERR_PTR(-ENOMEM);
	}
	info.exp_name = name ? name : "dmasim-heap";
	info.ops = &sim_ops;
	info.size = size;
	info.priv = b;
	dmabuf = dma_buf_export(&info);
	if (IS_ERR(dmabuf)) {
		kfree(b->vaddr);
		kfree(b);
	}
	return dmabuf;
}
