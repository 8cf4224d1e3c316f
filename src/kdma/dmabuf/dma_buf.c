// SPDX-License-Identifier: MIT
/*
 * dma-buf core: export, references (the kernel's file reference), a small fd table, attach and
 * map through the exporter's ops, dynamic importers (move_notify) and exporters (pin/unpin) with
 * the kernel's resv locking, CPU-access brackets that wait for the fences CPU access must wait
 * for, and vmap counting. Every step is told to the sanitizer's dmabuf hook.
 */
#include <errno.h>

#include <linux/dma-buf.h>
#include <linux/file.h>
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
	/* a cached mapping cannot follow a move; pin comes with unpin */
	if (WARN_ON(ops->cache_sgt_mapping && (ops->pin || ops->unpin)) ||
	    WARN_ON(!ops->pin != !ops->unpin))
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

/* A dma-buf's descriptor is a file of the shared table (<linux/file.h>) whose last fput drops
 * the reference the descriptor took over. */
static int dma_buf_file_release(struct inode *inode, struct file *file)
{
	dma_buf_put(file->private_data);
	return 0;
}

static const struct file_operations dma_buf_fops = {
	.release = dma_buf_file_release,
};

int dma_buf_fd(struct dma_buf *dmabuf, int flags)
{
	struct file *file;
	int fd;

	if (!dmabuf)
		return -EINVAL;
	fd = get_unused_fd_flags((unsigned int)flags);
	if (fd < 0)
		return fd;
	file = anon_inode_getfile("dmabuf", &dma_buf_fops, dmabuf, flags);
	if (IS_ERR(file)) {
		put_unused_fd((unsigned int)fd);
		return (int)PTR_ERR(file);
	}
	fd_install((unsigned int)fd, file);
	return fd;
}

struct dma_buf *dma_buf_get(int fd)
{
	struct file *file = fd >= 0 ? fget((unsigned int)fd) : NULL;
	struct dma_buf *dmabuf;

	if (!file)
		return ERR_PTR(-EBADF);
	if (file->f_op != &dma_buf_fops) { /* a descriptor, but not a dma-buf's */
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	dmabuf = file->private_data;
	get_dma_buf(dmabuf);
	fput(file);
	return dmabuf;
}

void dma_buf_close_fd(int fd)
{
	if (fd >= 0)
		close_fd((unsigned int)fd);
}

/* ---- importers ---- */

/* The exporter's map, then (static importers) a wait for the kernel fences, such as a move's. */
static struct sg_table *map_dma_buf(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct sg_table *sgt = attach->dmabuf->ops->map_dma_buf(attach, dir);
	long ret;

	if (!sgt)
		return ERR_PTR(-ENOMEM);
	if (IS_ERR(sgt) || dma_buf_attachment_is_dynamic(attach))
		return sgt;
	/* the unlocked wait: the caller may hold the resv lock */
	ret = dma_resv_wait_timeout(attach->dmabuf->resv, DMA_RESV_USAGE_KERNEL, true,
				    MAX_SCHEDULE_TIMEOUT);
	if (ret < 0) {
		attach->dmabuf->ops->unmap_dma_buf(attach, sgt, dir);
		return ERR_PTR(ret);
	}
	return sgt;
}

static void map_event(struct dma_buf_attachment *attach, struct sg_table *sgt,
		      enum dma_data_direction dir)
{
	struct kdma_dmabuf_info info = { .dir = dir, .sgl = sgt->sgl, .nents = sgt->nents };

	dmabuf_event_info(attach->dmabuf, attach, attach->dev, KDMA_DMABUF_MAP, &info);
}

struct dma_buf_attachment *dma_buf_dynamic_attach(struct dma_buf *dmabuf, struct device *dev,
						  const struct dma_buf_attach_ops *importer_ops,
						  void *importer_priv)
{
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	int ret;

	if (WARN_ON(!dmabuf || !dev))
		return ERR_PTR(-EINVAL);
	if (WARN_ON(importer_ops && !importer_ops->move_notify))
		return ERR_PTR(-EINVAL);
	attach = kzalloc(sizeof(*attach), GFP_KERNEL);
	if (!attach)
		return ERR_PTR(-ENOMEM);
	attach->dev = dev;
	attach->dmabuf = dmabuf;
	attach->dir = DMA_NONE;
	attach->importer_ops = importer_ops;
	attach->importer_priv = importer_priv;
	if (importer_ops)
		attach->peer2peer = importer_ops->allow_peer2peer;
	if (dmabuf->ops->attach) {
		ret = dmabuf->ops->attach(dmabuf, attach);
		if (ret) {
			kfree(attach);
			return ERR_PTR(ret);
		}
	}
	/* the kernel keeps the list under the resv lock (move_notify walks it holding that) */
	dma_resv_lock(dmabuf->resv, NULL);
	mutex_lock(&dmabuf->lock);
	list_add(&attach->node, &dmabuf->attachments);
	mutex_unlock(&dmabuf->lock);
	dma_resv_unlock(dmabuf->resv);
	{
		struct kdma_dmabuf_info info = { .dynamic = importer_ops != NULL };

		dmabuf_event_info(dmabuf, attach, dev, KDMA_DMABUF_ATTACH, &info);
	}
	if (dma_buf_attachment_is_dynamic(attach) == dma_buf_is_dynamic(dmabuf))
		return attach;
	/* One side cannot follow moves: the buffer stays put (pinned, when the exporter could move
	 * it) and the mapping is made once, for both directions, as the kernel does. */
	if (dma_buf_is_dynamic(dmabuf)) {
		dma_resv_lock(dmabuf->resv, NULL);
		ret = dmabuf->ops->pin(attach);
		if (ret)
			goto err_unlock;
	}
	dmabuf_event(dmabuf, attach, dev, KDMA_DMABUF_MAPPING, DMA_BIDIRECTIONAL);
	sgt = map_dma_buf(attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt)) {
		dmabuf_event(dmabuf, attach, dev, KDMA_DMABUF_UNMAPPED, DMA_BIDIRECTIONAL);
		ret = (int)PTR_ERR(sgt);
		goto err_unpin;
	}
	if (dma_buf_is_dynamic(dmabuf))
		dma_resv_unlock(dmabuf->resv);
	attach->sgt = sgt;
	attach->dir = DMA_BIDIRECTIONAL;
	return attach;

err_unpin:
	if (dma_buf_is_dynamic(dmabuf))
		dmabuf->ops->unpin(attach);
err_unlock:
	if (dma_buf_is_dynamic(dmabuf))
		dma_resv_unlock(dmabuf->resv);
	dma_buf_detach(dmabuf, attach);
	return ERR_PTR(ret);
}

struct dma_buf_attachment *dma_buf_attach(struct dma_buf *dmabuf, struct device *dev)
{
	return dma_buf_dynamic_attach(dmabuf, dev, NULL, NULL);
}

void dma_buf_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	if (WARN_ON(!dmabuf || !attach || attach->dmabuf != dmabuf))
		return;
	dmabuf_event(dmabuf, attach, attach->dev, KDMA_DMABUF_DETACH, 0);
	/* A cached mapping is the core's to release, as in the kernel. */
	if (attach->sgt) {
		if (dma_buf_is_dynamic(dmabuf))
			dma_resv_lock(dmabuf->resv, NULL);
		dmabuf->ops->unmap_dma_buf(attach, attach->sgt, attach->dir);
		dmabuf_event(dmabuf, attach, attach->dev, KDMA_DMABUF_UNMAPPED, attach->dir);
		if (dma_buf_is_dynamic(dmabuf)) {
			dmabuf->ops->unpin(attach);
			dma_resv_unlock(dmabuf->resv);
		}
	}
	dma_resv_lock(dmabuf->resv, NULL);
	mutex_lock(&dmabuf->lock);
	list_del(&attach->node);
	mutex_unlock(&dmabuf->lock);
	dma_resv_unlock(dmabuf->resv);
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
	/* no mapping may be made while the exporter moves the buffer */
	if (dma_buf_attachment_is_dynamic(attach))
		dma_resv_assert_held(attach->dmabuf->resv);
	if (attach->sgt) {
		/* Two mappings of one attachment with different directions are not allowed. */
		if (attach->dir != dir && attach->dir != DMA_BIDIRECTIONAL)
			return ERR_PTR(-EBUSY);
		/* the cached mapping is still a use of it: the sanitizer follows each */
		map_event(attach, attach->sgt, dir);
		return attach->sgt;
	}
	if (dma_buf_is_dynamic(attach->dmabuf))
		dma_resv_assert_held(attach->dmabuf->resv);
	dmabuf_event(attach->dmabuf, attach, attach->dev, KDMA_DMABUF_MAPPING, dir);
	sgt = map_dma_buf(attach, dir);
	if (IS_ERR(sgt)) {
		dmabuf_event(attach->dmabuf, attach, attach->dev, KDMA_DMABUF_UNMAPPED, dir);
		return sgt;
	}
	if (attach->dmabuf->ops->cache_sgt_mapping) {
		attach->sgt = sgt;
		attach->dir = dir;
	}
	map_event(attach, sgt, dir);
	return sgt;
}

void dma_buf_unmap_attachment(struct dma_buf_attachment *attach, struct sg_table *sgt,
			      enum dma_data_direction dir)
{
	if (WARN_ON(!attach || !attach->dmabuf || !sgt))
		return;
	if (dma_buf_attachment_is_dynamic(attach))
		dma_resv_assert_held(attach->dmabuf->resv);
	dmabuf_event(attach->dmabuf, attach, attach->dev, KDMA_DMABUF_UNMAP, dir);
	if (attach->sgt == sgt)
		return; /* cached: released at detach */
	if (dma_buf_is_dynamic(attach->dmabuf))
		dma_resv_assert_held(attach->dmabuf->resv);
	attach->dmabuf->ops->unmap_dma_buf(attach, sgt, dir);
	dmabuf_event(attach->dmabuf, attach, attach->dev, KDMA_DMABUF_UNMAPPED, dir);
}

struct sg_table *dma_buf_map_attachment_unlocked(struct dma_buf_attachment *attach,
						 enum dma_data_direction dir)
{
	struct sg_table *sgt;

	if (WARN_ON(!attach || !attach->dmabuf))
		return ERR_PTR(-EINVAL);
	dma_resv_lock(attach->dmabuf->resv, NULL);
	sgt = dma_buf_map_attachment(attach, dir);
	dma_resv_unlock(attach->dmabuf->resv);
	return sgt;
}

void dma_buf_unmap_attachment_unlocked(struct dma_buf_attachment *attach, struct sg_table *sgt,
				       enum dma_data_direction dir)
{
	if (WARN_ON(!attach || !attach->dmabuf || !sgt))
		return;
	dma_resv_lock(attach->dmabuf->resv, NULL);
	dma_buf_unmap_attachment(attach, sgt, dir);
	dma_resv_unlock(attach->dmabuf->resv);
}

int dma_buf_pin(struct dma_buf_attachment *attach)
{
	struct dma_buf *dmabuf;

	if (WARN_ON(!attach || !attach->dmabuf))
		return -EINVAL;
	dmabuf = attach->dmabuf;
	WARN_ON(!dma_buf_attachment_is_dynamic(attach));
	dma_resv_assert_held(dmabuf->resv);
	return dmabuf->ops->pin ? dmabuf->ops->pin(attach) : 0;
}

void dma_buf_unpin(struct dma_buf_attachment *attach)
{
	struct dma_buf *dmabuf;

	if (WARN_ON(!attach || !attach->dmabuf))
		return;
	dmabuf = attach->dmabuf;
	WARN_ON(!dma_buf_attachment_is_dynamic(attach));
	dma_resv_assert_held(dmabuf->resv);
	if (dmabuf->ops->unpin)
		dmabuf->ops->unpin(attach);
}

void dma_buf_move_notify(struct dma_buf *dmabuf)
{
	struct dma_buf_attachment *attach;

	if (WARN_ON(!dmabuf))
		return;
	dma_resv_assert_held(dmabuf->resv);
	dmabuf_event(dmabuf, NULL, NULL, KDMA_DMABUF_MOVE, 0);
	/* the list is stable: attach and detach take the resv lock we hold */
	list_for_each_entry(attach, &dmabuf->attachments, node)
		if (attach->importer_ops)
			attach->importer_ops->move_notify(attach);
}

/* ---- CPU access ---- */

int dma_buf_begin_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	bool write = dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE;
	int ret = 0;

	if (WARN_ON(!dmabuf))
		return -EINVAL;
	if (dmabuf->ops->begin_cpu_access)
		ret = dmabuf->ops->begin_cpu_access(dmabuf, dir);
	/* after the exporter's sync, which is no CPU access of the caller's */
	dmabuf_event(dmabuf, NULL, NULL, KDMA_DMABUF_BEGIN_CPU, dir);
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
	int ret;

	if (WARN_ON(!dmabuf))
		return -EINVAL;
	ret = dmabuf->ops->end_cpu_access ? dmabuf->ops->end_cpu_access(dmabuf, dir) : 0;
	/* after the exporter's sync: its copies are not the CPU access the bracket closes */
	dmabuf_event(dmabuf, NULL, NULL, KDMA_DMABUF_END_CPU, dir);
	return ret;
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
			struct kdma_dmabuf_info info = { .size = dmabuf->size };

			dmabuf->vmapping_counter = 1;
			*map = dmabuf->vmap_ptr;
			if (!map->is_iomem)
				info.vaddr = map->vaddr;
			dmabuf_event_info(dmabuf, NULL, NULL, KDMA_DMABUF_VMAP, &info);
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
		struct kdma_dmabuf_info info = { .size = dmabuf->size };

		if (!dmabuf->vmap_ptr.is_iomem)
			info.vaddr = dmabuf->vmap_ptr.vaddr;
		dmabuf_event_info(dmabuf, NULL, NULL, KDMA_DMABUF_VUNMAP, &info);
		if (dmabuf->ops->vunmap)
			dmabuf->ops->vunmap(dmabuf, &dmabuf->vmap_ptr);
		iosys_map_clear(&dmabuf->vmap_ptr);
	}
	mutex_unlock(&dmabuf->lock);
}
