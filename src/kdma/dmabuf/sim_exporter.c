// SPDX-License-Identifier: MIT
/*
 * The simulated exporter of <dmasan/sim.h>, built like the kernel's system heap: contiguous
 * kernel memory, one sg table per attachment, mapped for the importer's device with
 * dma_map_sgtable at every map_attachment and unmapped at every unmap (no cached mapping), with
 * the CPU-access brackets syncing every attachment mapped at the time.
 *
 * Mapping per use is what keeps sharing correct when an importer's mapping bounces through
 * SWIOTLB: the bounce slot is filled at map time and copied back at unmap, so a mapping cached
 * from attach to detach would show a device the buffer as it was when it was first mapped.
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

struct sim_attachment {
	struct sg_table table;
	enum dma_data_direction dir;
	bool mapped;
};

static int sim_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct sim_buffer *b = dmabuf->priv;
	struct sim_attachment *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (!a || sg_alloc_table(&a->table, 1, GFP_KERNEL)) {
		kfree(a);
		return -ENOMEM;
	}
	sg_set_buf(a->table.sgl, b->vaddr, (unsigned int)b->size);
	attach->priv = a;
	return 0;
}

static void sim_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct sim_attachment *a = attach->priv;

	sg_free_table(&a->table);
	kfree(a);
}

static struct sg_table *sim_map(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct sim_attachment *a = attach->priv;

	if (a->mapped)
		return ERR_PTR(-EBUSY); /* one mapping per attachment at a time */
	if (dma_map_sgtable(attach->dev, &a->table, dir, 0))
		return ERR_PTR(-ENOMEM);
	a->dir = dir;
	a->mapped = true;
	return &a->table;
}

static void sim_unmap(struct dma_buf_attachment *attach, struct sg_table *sgt,
		      enum dma_data_direction dir)
{
	struct sim_attachment *a = attach->priv;

	a->mapped = false;
	dma_unmap_sgtable(attach->dev, sgt, dir, 0);
}

static int sim_cpu_access(struct dma_buf *dmabuf, bool begin)
{
	struct dma_buf_attachment *attach;

	mutex_lock(&dmabuf->lock);
	list_for_each_entry(attach, &dmabuf->attachments, node) {
		struct sim_attachment *a = attach->priv;

		if (!a->mapped)
			continue;
		if (begin)
			dma_sync_sgtable_for_cpu(attach->dev, &a->table, a->dir);
		else
			dma_sync_sgtable_for_device(attach->dev, &a->table, a->dir);
	}
	mutex_unlock(&dmabuf->lock);
	return 0;
}

static int sim_begin(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	return sim_cpu_access(dmabuf, true);
}

static int sim_end(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	return sim_cpu_access(dmabuf, false);
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
	.attach = sim_attach,
	.detach = sim_detach,
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
