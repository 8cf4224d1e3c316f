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
 *
 * The dynamic variant can move its buffer to new memory (dmasim_dmabuf_move), as a GPU exporter
 * evicts a buffer: it tells the importers with dma_buf_move_notify under the resv lock, copies
 * the contents and keeps the old memory until the last mapping of it is unmapped (the old
 * mappings stay valid DMA mappings, of a place the buffer no longer is). Pinned (dma_buf_pin, or
 * a static importer attached) or vmapped buffers do not move.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

/* The memory a buffer lives in; a move leaves the old one to the mappings still made of it. */
struct sim_store {
	void *vaddr;
	unsigned int refs;
};

struct sim_buffer {
	struct sim_store *store;
	size_t size;
	unsigned int pins; /* under the resv lock */
	unsigned int vmaps;
};

struct sim_attachment {
	struct sg_table table;
	struct sim_store *store; /* what the mapping covers */
	enum dma_data_direction dir;
	bool mapped;
};

static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;

static struct sim_store *store_new(size_t size)
{
	struct sim_store *st = kzalloc(sizeof(*st), GFP_KERNEL);

	if (st && !(st->vaddr = kzalloc(size, GFP_KERNEL))) {
		kfree(st);
		st = NULL;
	}
	if (st)
		st->refs = 1;
	return st;
}

static struct sim_store *store_get(struct sim_store *st)
{
	pthread_mutex_lock(&store_lock);
	st->refs++;
	pthread_mutex_unlock(&store_lock);
	return st;
}

static void store_put(struct sim_store *st)
{
	bool last;

	pthread_mutex_lock(&store_lock);
	last = --st->refs == 0;
	pthread_mutex_unlock(&store_lock);
	if (last) {
		kfree(st->vaddr);
		kfree(st);
	}
}

static int sim_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct sim_buffer *b = dmabuf->priv;
	struct sim_attachment *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (!a || sg_alloc_table(&a->table, 1, GFP_KERNEL)) {
		kfree(a);
		return -ENOMEM;
	}
	sg_set_buf(a->table.sgl, b->store->vaddr, (unsigned int)b->size);
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
	struct sim_buffer *b = attach->dmabuf->priv;
	struct sim_attachment *a = attach->priv;

	if (a->mapped)
		return ERR_PTR(-EBUSY); /* one mapping per attachment at a time */
	/* where the buffer is now (the resv lock keeps a move out, for dynamic buffers) */
	a->store = store_get(b->store);
	sg_set_buf(a->table.sgl, a->store->vaddr, (unsigned int)b->size);
	if (dma_map_sgtable(attach->dev, &a->table, dir, 0)) {
		store_put(a->store);
		return ERR_PTR(-ENOMEM);
	}
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
	store_put(a->store);
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
	struct sim_buffer *b = dmabuf->priv;

	iosys_map_set_vaddr(map, b->store->vaddr);
	b->vmaps++; /* dma_buf_vmap calls it under dmabuf->lock */
	return 0;
}

static void sim_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	((struct sim_buffer *)dmabuf->priv)->vmaps--;
}

static void sim_release(struct dma_buf *dmabuf)
{
	struct sim_buffer *b = dmabuf->priv;

	store_put(b->store);
	kfree(b);
}

static int sim_pin(struct dma_buf_attachment *attach)
{
	((struct sim_buffer *)attach->dmabuf->priv)->pins++;
	return 0;
}

static void sim_unpin(struct dma_buf_attachment *attach)
{
	struct sim_buffer *b = attach->dmabuf->priv;

	if (!WARN_ON(!b->pins))
		b->pins--;
}

#define SIM_OPS                                                                              \
	.attach = sim_attach, .detach = sim_detach, .map_dma_buf = sim_map,                  \
	.unmap_dma_buf = sim_unmap, .release = sim_release, .begin_cpu_access = sim_begin,   \
	.end_cpu_access = sim_end, .vmap = sim_vmap, .vunmap = sim_vunmap

static const struct dma_buf_ops sim_ops = { SIM_OPS };
/* a dynamic exporter: pin and unpin make it one (the core tells importers by them) */
static const struct dma_buf_ops sim_dynamic_ops = { SIM_OPS, .pin = sim_pin, .unpin = sim_unpin };

static struct dma_buf *sim_export(size_t size, const char *name, const struct dma_buf_ops *ops)
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
	b->store = store_new(size);
	if (!b->store) {
		kfree(b);
		return ERR_PTR(-ENOMEM);
	}
	info.exp_name = name ? name : "dmasim-heap";
	info.ops = ops;
	info.size = size;
	info.priv = b;
	dmabuf = dma_buf_export(&info);
	if (IS_ERR(dmabuf)) {
		store_put(b->store);
		kfree(b);
	}
	return dmabuf;
}

struct dma_buf *dmasim_dmabuf_export(size_t size, const char *name)
{
	return sim_export(size, name, &sim_ops);
}

struct dma_buf *dmasim_dmabuf_export_dynamic(size_t size, const char *name)
{
	return sim_export(size, name, &sim_dynamic_ops);
}

int dmasim_dmabuf_move(struct dma_buf *dmabuf)
{
	struct sim_buffer *b;
	struct sim_store *old, *st;
	int ret = 0;

	if (IS_ERR_OR_NULL(dmabuf) || dmabuf->ops != &sim_dynamic_ops)
		return -EINVAL;
	b = dmabuf->priv;
	dma_resv_lock(dmabuf->resv, NULL);
	mutex_lock(&dmabuf->lock);
	if (b->pins || b->vmaps)
		ret = -EBUSY;
	mutex_unlock(&dmabuf->lock);
	if (ret)
		goto out;
	st = store_new(b->size);
	if (!st) {
		ret = -ENOMEM;
		goto out;
	}
	/* an eviction waits for every user of the old place, then tells the importers */
	dma_resv_wait_timeout(dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	dma_buf_move_notify(dmabuf);
	old = b->store;
	memcpy(st->vaddr, old->vaddr, b->size);
	mutex_lock(&dmabuf->lock);
	b->store = st;
	mutex_unlock(&dmabuf->lock);
	store_put(old);
out:
	dma_resv_unlock(dmabuf->resv);
	return ret;
}
