// SPDX-License-Identifier: MIT
/*
 * dma-buf core: export, references (the kernel's file reference), a small fd table, attach and
 * map through the exporter's ops, CPU-access brackets that wait for the fences CPU access must
 * wait for, and vmap counting. Every step is told to the sanitizer's dmabuf hook.
 */
#include <errno.h>

#include <linux/dma-buf.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "base/base.h"
#include "mm/mm.h"

static void dmabuf_event_info(const struct dma_buf *dmabuf,
			      const struct dma_buf_attachment *attach, struct device *dev,
			      enum kdma_dmabuf_event ev, const struct kdma_dmabuf_info *info)
{
	kdma_hooks_ensure();
	KDMA_HOOK(dmabuf, dmabuf, attach, dev, ev, info);
}

static void dmabuf_event(const struct dma_buf *dmabuf, const struct dma_buf_attachment *attach,
			 struct device *dev, enum kdma_dmabuf_event ev, int dir)
{
	struct kdma_dmabuf_info info = { .dir = dir };

	dmabuf_event_info(dmabuf, attach, dev, ev, &info);
}

struct dma_buf *dma_buf_export(const struct dma_buf_export_info *exp_info)
{
	const struct dma_buf_ops *ops = exp_info ? exp_info->ops : NULL;
	struct dma_buf *dmabuf;

	if (WARN_ON(!exp_info || !exp_info->priv || !ops || !ops->map_dma_buf ||
		    !ops->unmap_dma_buf || !ops->release || !exp_info->size))
		return ERR_PTR(-EINVAL);
	dmabuf = kzalloc(sizeof(*dmabuf), GFP_KERNEL);
	if (!dmabuf)
		return ERR_PTR(-ENOMEM);
	dmabuf->size = exp_info->size;
	dmabuf->ops = ops;
	dmabuf->exp_name = exp_info->exp_name;
	dmabuf->owner = exp_info->owner;
	dmabuf->priv = exp_info->priv;
	INIT_LIST_HEAD(&dmabuf->attachments);
	mutex_init(&dmabuf->lock);
	kref_init(&dmabuf->refcount);
	if (exp_info->resv) {
		dmabuf->resv = exp_info->resv;
	} else {
		dma_resv_init(&dmabuf->resv_obj);
		dmabuf->resv = &dmabuf->resv_obj;
	}
	{
		struct kdma_dmabuf_info info = { .name = dmabuf->exp_name, .resv = dmabuf->resv };

		dmabuf_event_info(dmabuf, NULL, NULL, KDMA_DMABUF_EXPORT, &info);
	}
	return dmabuf;
}

static void dma_buf_release(struct kref *kref)
{
	struct dma_buf *dmabuf = container_of(kref, struct dma_buf, refcount);

	dmabuf_event(dmabuf, NULL, NULL, KDMA_DMABUF_RELEASE, 0);
	BUG_ON(dmabuf->vmapping_counter);
	WARN_ON(!list_empty(&dmabuf->attachments)); /* the kernel's dma_buf_release WARN */
	dmabuf->ops->release(dmabuf);
	if (dmabuf->resv == &dmabuf->resv_obj)
		dma_resv_fini(&dmabuf->resv_obj);
	mutex_destroy(&dmabuf->lock);
	kfree(dmabuf);
}

void get_dma_buf(struct dma_buf *dmabuf)
{
	kref_get(&dmabuf->refcount);
}

void dma_buf_put(struct dma_buf *dmabuf)
{
	if (WARN_ON(!dmabuf))
		return;
	kref_put(&dmabuf->refcount, dma_buf_release);
}

/* ---- file descriptors ---- */

#define FD_BASE 1000
#define FD_MAX 256
static struct dma_buf *fd_table[FD_MAX];
static pthread_mutex_t fd_lock = PTHREAD_MUTEX_INITIALIZER;

int dma_buf_fd(struct dma_buf *dmabuf, int flags)
{
	int fd = -EMFILE;

	if (!dmabuf)
		return -EINVAL;
	pthread_mutex_lock(&fd_lock);
	for (int i = 0; i < FD_MAX; i++) {
		if (!fd_table[i]) {
			fd_table[i] = dmabuf;
			fd = FD_BASE + i;
			break;
		}
	}
	pthread_mutex_unlock(&fd_lock);
	return fd;
}

struct dma_buf *dma_buf_get(int fd)
{
	struct dma_buf *dmabuf = NULL;

	pthread_mutex_lock(&fd_lock);
	if (fd >= FD_BASE && fd < FD_BASE + FD_MAX)
		dmabuf = fd_table[fd - FD_BASE];
	if (dmabuf)
		get_dma_buf(dmabuf);
	pthread_mutex_unlock(&fd_lock);
	return dmabuf ? dmabuf : ERR_PTR(-EBADF);
}

void dma_buf_close_fd(int fd)
{
	struct dma_buf *dmabuf = NULL;

	pthread_mutex_lock(&fd_lock);
	if (fd >= FD_BASE && fd < FD_BASE + FD_MAX) {
		dmabuf = fd_table[fd - FD_BASE];
		fd_table[fd - FD_BASE] = NULL;
	}
	pthread_mutex_unlock(&fd_lock);
	if (dmabuf)
		dma_buf_put(dmabuf);
}

/* ---- importers ---- */

struct dma_buf_attachment *dma_buf_attach(struct dma_buf *dmabuf, struct device *dev)
{
	struct dma_buf_attachment *attach;
	int ret;

	if (WARN_ON(!dmabuf || !dev))
		return ERR_PTR(-EINVAL);
	attach = kzalloc(sizeof(*attach), GFP_KERNEL);
	if (!attach)
		return ERR_PTR(-ENOMEM);
	attach->dev = dev;
	attach->dmabuf = dmabuf;
	attach->dir = DMA_NONE;
	if (dmabuf->ops->attach) {
		ret = dmabuf->ops->attach(dmabuf, attach);
		if (ret) {
			kfree(attach);
			return ERR_PTR(ret);
		}
	}
	mutex_lock(&dmabuf->lock);
	list_add(&attach->node, &dmabuf->attachments);
	mutex_unlock(&dmabuf->lock);
	dmabuf_event(dmabuf, attach, dev, KDMA_DMABUF_ATTACH, 0);
	return attach;
}

void dma_buf_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	if (WARN_ON(!dmabuf || !attach || attach->dmabuf != dmabuf))
		return;
	dmabuf_event(dmabuf, attach, attach->dev, KDMA_DMABUF_DETACH, 0);
	/* A cached mapping is the core's to release, as in the kernel. */
	if (attach->sgt)
		dmabuf->ops->unmap_dma_buf(attach, attach->sgt, attach->dir);
	mutex_lock(&dmabuf->lock);
	list_del(&attach->node);
	mutex_unlock(&dmabuf->lock);
	if (dmabuf->ops->detach)
		dmabuf->ops->detach(dmabuf, attach);
	kfree(attach);
}

struct sg_table *dma_buf_map_attachment(struct dma_buf_attachment *attach,
					enum dma_data_direction dir)
{
	struct sg_table *sgt;

	if (WARN_ON(!attach || !attach->dmabuf))
		return ERR_PTR(-EINVAL);
	if (attach->sgt) {
		/* Two mappings of one attachment with different directions are not allowed. */
		if (attach->dir != dir && attach->dir != DMA_BIDIRECTIONAL)
			return ERR_PTR(-EBUSY);
		return attach->sgt;
	}
	sgt = attach->dmabuf->ops->map_dma_buf(attach, dir);
	if (!sgt)
		sgt = ERR_PTR(-ENOMEM);
	if (IS_ERR(sgt))
		return sgt;
	if (attach->dmabuf->ops->cache_sgt_mapping) {
		attach->sgt = sgt;
		attach->dir = dir;
	}
	{
		struct kdma_dmabuf_info info = { .dir = dir, .sgl = sgt->sgl, .nents = sgt->nents };

		dmabuf_event_info(attach->dmabuf, attach, attach->dev, KDMA_DMABUF_MAP, &info);
	}
	return sgt;
}

void dma_buf_unmap_attachment(struct dma_buf_attachment *attach, struct sg_table *sgt,
			      enum dma_data_direction dir)
{
	if (WARN_ON(!attach || !attach->dmabuf || !sgt))
		return;
	dmabuf_event(attach->dmabuf, attach, attach->dev, KDMA_DMABUF_UNMAP, dir);
	if (attach->sgt == sgt)
		return; /* cached: released at detach */
	attach->dmabuf->ops->unmap_dma_buf(attach, sgt, dir);
}

/* ---- CPU access ---- */

int dma_buf_begin_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	bool write = dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE;
	int ret = 0;

	if (WARN_ON(!dmabuf))
		return -EINVAL;
	dmabuf_event(dmabuf, NULL, NULL, KDMA_DMABUF_BEGIN_CPU, dir);
	if (dmabuf->ops->begin_cpu_access)
		ret = dmabuf->ops->begin_cpu_access(dmabuf, dir);
	/* The CPU must not see the buffer before the devices writing (or reading) it are done. */
	if (!ret) {
		long t = dma_resv_wait_timeout(dmabuf->resv, dma_resv_usage_rw(write), true,
					       MAX_SCHEDULE_TIMEOUT);

		ret = t < 0 ? (int)t : 0;
	}
	return ret;
}

int dma_buf_end_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	if (WARN_ON(!dmabuf))
		return -EINVAL;
	dmabuf_event(dmabuf, NULL, NULL, KDMA_DMABUF_END_CPU, dir);
	return dmabuf->ops->end_cpu_access ? dmabuf->ops->end_cpu_access(dmabuf, dir) : 0;
}

int dma_buf_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	int ret = 0;

	iosys_map_clear(map);
	if (WARN_ON(!dmabuf))
		return -EINVAL;
	if (!dmabuf->ops->vmap)
		return -EINVAL;
	mutex_lock(&dmabuf->lock);
	if (dmabuf->vmapping_counter) {
		dmabuf->vmapping_counter++;
		*map = dmabuf->vmap_ptr;
	} else {
		ret = dmabuf->ops->vmap(dmabuf, &dmabuf->vmap_ptr);
		if (!ret) {
			dmabuf->vmapping_counter = 1;
			*map = dmabuf->vmap_ptr;
		}
	}
	mutex_unlock(&dmabuf->lock);
	return ret;
}

void dma_buf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	if (WARN_ON(!dmabuf))
		return;
	mutex_lock(&dmabuf->lock);
	BUG_ON(!dmabuf->vmapping_counter);
	if (--dmabuf->vmapping_counter == 0) {
		if (dmabuf->ops->vunmap)
			dmabuf->ops->vunmap(dmabuf, &dmabuf->vmap_ptr);
		iosys_map_clear(&dmabuf->vmap_ptr);
	}
	mutex_unlock(&dmabuf->lock);
}
