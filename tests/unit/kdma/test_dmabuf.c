// SPDX-License-Identifier: MIT
/* dma-buf core and the simulated exporter (src/kdma/dmabuf/). */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <linux/file.h>
#include <linux/sync_file.h>
#include <dmasan/sim.h>

/* One descriptor table for every kind of file: a dma-buf's is no sync_file's, and back. */
Test(dmabuf, descriptor_of_another_kind)
{
	static const struct file_operations other_fops = { 0 };
	struct dma_buf *b = dmasim_dmabuf_export(4096, "heap");
	int other = get_unused_fd_flags(0), fd = dma_buf_fd(b, 0);

	fd_install(other, anon_inode_getfile("other", &other_fops, NULL, 0));
	cr_assert_neq(fd, other);
	cr_assert_eq(PTR_ERR(dma_buf_get(other)), -EINVAL);
	cr_assert_null(sync_file_get_fence(fd));
	cr_assert_eq(close_fd(other), 0);
	cr_assert_eq(close_fd(fd), 0); /* the dma-buf's last reference goes with it */
}

Test(dmabuf, export_fd_get_put)
{
	struct dma_buf *b = dmasim_dmabuf_export(8192, "heap");
	int fd;

	cr_assert_not(IS_ERR(b));
	cr_assert_eq(b->size, 8192);
	fd = dma_buf_fd(b, 0);
	cr_assert_geq(fd, 0);
	cr_assert_eq(dma_buf_get(fd), b);
	cr_assert_eq(kref_read(&b->refcount), 2);
	dma_buf_put(b);
	cr_assert_eq(PTR_ERR(dma_buf_get(-1)), -EBADF);
	dma_buf_close_fd(fd); /* the last reference: released */
	cr_assert_eq(PTR_ERR(dma_buf_get(fd)), -EBADF);
	cr_assert_null(sync_file_get_fence(fd));
	cr_assert_eq(PTR_ERR(dmasim_dmabuf_export(0, NULL)), -EINVAL);
}

Test(dmabuf, importer_device_reads_through_its_mapping)
{
	struct dma_buf *b = dmasim_dmabuf_export(4096, "heap");
	/* every mapping bounces: a mapping kept from an earlier use would show stale bytes */
	struct dmasim_config cfg = { .bounce = DMASIM_BOUNCE_FORCE };
	struct device *dev = dmasim_device_create(&cfg);
	struct dma_buf_attachment *a = dma_buf_attach(b, dev);
	struct iosys_map map;
	struct sg_table *sgt;
	char got[16];

	cr_assert_not(IS_ERR(a));
	cr_assert_eq(dma_buf_vmap(b, &map), 0);
	cr_assert_eq(dma_buf_begin_cpu_access(b, DMA_TO_DEVICE), 0);
	memcpy(map.vaddr, "frame-0001", 11);
	cr_assert_eq(dma_buf_end_cpu_access(b, DMA_TO_DEVICE), 0);
	sgt = dma_buf_map_attachment(a, DMA_TO_DEVICE);
	cr_assert_not(IS_ERR(sgt));
	cr_assert(IS_ERR(dma_buf_map_attachment(a, DMA_TO_DEVICE)), "one mapping at a time");
	cr_assert(IS_ERR(dma_buf_map_attachment(a, DMA_FROM_DEVICE)));
	cr_assert_eq(dmasim_dma_read(dev, sg_dma_address(sgt->sgl), got, 11), 0);
	cr_assert_str_eq(got, "frame-0001");
	dma_buf_unmap_attachment(a, sgt, DMA_TO_DEVICE);

	/* mapped per use: the next mapping shows the device the CPU's newer bytes, bounced or not */
	cr_assert_eq(dma_buf_begin_cpu_access(b, DMA_TO_DEVICE), 0);
	memcpy(map.vaddr, "frame-0002", 11);
	cr_assert_eq(dma_buf_end_cpu_access(b, DMA_TO_DEVICE), 0);
	sgt = dma_buf_map_attachment(a, DMA_TO_DEVICE);
	cr_assert_not(IS_ERR(sgt));
	cr_assert_eq(dmasim_dma_read(dev, sg_dma_address(sgt->sgl), got, 11), 0);
	cr_assert_str_eq(got, "frame-0002");
	dma_buf_unmap_attachment(a, sgt, DMA_TO_DEVICE);
	dma_buf_vunmap(b, &map);
	dma_buf_detach(b, a);
	dma_buf_put(b);
	dmasim_device_destroy(dev);
}

static const char *name(struct dma_fence *f)
{
	return "t";
}

static const struct dma_fence_ops fops = { .get_driver_name = name, .get_timeline_name = name };
static DEFINE_SPINLOCK(flock);

static void *signal_later(void *f)
{
	dma_fence_signal(f);
	return NULL;
}

Test(dmabuf, begin_cpu_access_waits_for_the_writer)
{
	struct dma_buf *b = dmasim_dmabuf_export(4096, "heap");
	struct dma_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);
	pthread_t t;

	dma_fence_init(f, &fops, &flock, dma_fence_context_alloc(1), 1);
	dma_resv_lock(b->resv, NULL);
	dma_resv_reserve_fences(b->resv, 1);
	dma_resv_add_fence(b->resv, f, DMA_RESV_USAGE_WRITE);
	dma_resv_unlock(b->resv);
	pthread_create(&t, NULL, signal_later, f);
	cr_assert_eq(dma_buf_begin_cpu_access(b, DMA_FROM_DEVICE), 0);
	cr_assert(dma_fence_is_signaled(f), "the read waited for the write fence");
	dma_buf_end_cpu_access(b, DMA_FROM_DEVICE);
	pthread_join(t, NULL);
	dma_fence_put(f);
	dma_buf_put(b);
}

/* Signals as soon as someone waits: the wait's arrival is what the test sees. */
static bool signal_when_waited(struct dma_fence *f)
{
	return false;
}

static const struct dma_fence_ops waited_ops = {
	.get_driver_name = name,
	.get_timeline_name = name,
	.enable_signaling = signal_when_waited,
};

/* The kernel's map waits for KERNEL fences with the unlocked wait, so an importer may map its
 * static attachment holding the resv lock (the old code locked again here and hung). */
Test(dmabuf, static_map_under_the_resv_lock_waits_for_kernel_fences, .timeout = 20)
{
	struct dma_buf *b = dmasim_dmabuf_export(4096, "heap");
	struct device *dev = dmasim_device_create(NULL);
	struct dma_buf_attachment *a = dma_buf_attach(b, dev);
	struct dma_fence *move = kzalloc(sizeof(*move), GFP_KERNEL);
	struct sg_table *sgt;

	cr_assert_not(IS_ERR(a));
	dma_fence_init(move, &waited_ops, &flock, dma_fence_context_alloc(1), 1);
	dma_resv_lock(b->resv, NULL);
	cr_assert_eq(dma_resv_reserve_fences(b->resv, 1), 0);
	dma_resv_add_fence(b->resv, move, DMA_RESV_USAGE_KERNEL);
	sgt = dma_buf_map_attachment(a, DMA_TO_DEVICE);
	cr_assert_not(IS_ERR(sgt));
	cr_assert(dma_fence_is_signaled(move), "the map waited for the KERNEL fence");
	dma_buf_unmap_attachment(a, sgt, DMA_TO_DEVICE);
	dma_resv_unlock(b->resv);
	dma_fence_put(move);
	dma_buf_detach(b, a);
	dma_buf_put(b);
	dmasim_device_destroy(dev);
}

/* ---- dynamic importers and the movable exporter ---- */

struct mover_import {
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	unsigned int notified;
	bool lock_held;
};

static void note_move(struct dma_buf_attachment *attach)
{
	struct mover_import *imp = attach->importer_priv;

	imp->notified++;
	imp->lock_held = dma_resv_is_locked(attach->dmabuf->resv);
	if (imp->sgt) {
		dma_buf_unmap_attachment(attach, imp->sgt, DMA_TO_DEVICE);
		imp->sgt = NULL;
	}
}

static const struct dma_buf_attach_ops mover_ops = { .move_notify = note_move };

static struct sg_table *map_locked(struct dma_buf_attachment *a)
{
	struct sg_table *sgt;

	dma_resv_lock(a->dmabuf->resv, NULL);
	sgt = dma_buf_map_attachment(a, DMA_TO_DEVICE);
	dma_resv_unlock(a->dmabuf->resv);
	return sgt;
}

static void fill(struct dma_buf *b, const char *text)
{
	struct iosys_map map;

	cr_assert_eq(dma_buf_vmap(b, &map), 0);
	cr_assert_eq(dma_buf_begin_cpu_access(b, DMA_TO_DEVICE), 0);
	strcpy(map.vaddr, text);
	cr_assert_eq(dma_buf_end_cpu_access(b, DMA_TO_DEVICE), 0);
	dma_buf_vunmap(b, &map);
}

Test(dmabuf, dynamic_attach_needs_move_notify)
{
	static const struct dma_buf_attach_ops no_notify = { .allow_peer2peer = true };
	struct dma_buf *b = dmasim_dmabuf_export_dynamic(4096, "vram");
	struct device *dev = dmasim_device_create(NULL);
	struct mover_import imp = { 0 };
	struct dma_buf_attachment *a;

	cr_assert_not(IS_ERR(b));
	cr_assert(dma_buf_is_dynamic(b));
	cr_assert_eq(PTR_ERR(dma_buf_dynamic_attach(b, dev, &no_notify, NULL)), -EINVAL);
	a = dma_buf_dynamic_attach(b, dev, &mover_ops, &imp);
	cr_assert_not(IS_ERR(a));
	cr_assert(dma_buf_attachment_is_dynamic(a));
	cr_assert_eq(a->importer_priv, &imp);
	cr_assert_null(a->sgt, "a dynamic importer of a dynamic exporter maps on demand");
	dma_buf_detach(b, a);
	dma_buf_put(b);
	dmasim_device_destroy(dev);
}

Test(dmabuf, move_notifies_dynamic_importers_under_the_lock)
{
	struct dma_buf *b = dmasim_dmabuf_export_dynamic(4096, "vram");
	struct device *dev = dmasim_device_create(NULL);
	struct mover_import imp = { 0 };
	char got[8];

	imp.attach = dma_buf_dynamic_attach(b, dev, &mover_ops, &imp);
	cr_assert_not(IS_ERR(imp.attach));
	fill(b, "before");
	imp.sgt = map_locked(imp.attach);
	cr_assert_not(IS_ERR(imp.sgt));
	cr_assert_eq(dmasim_dmabuf_move(b), 0);
	cr_assert_eq(imp.notified, 1);
	cr_assert(imp.lock_held, "move_notify runs with the resv lock held");
	cr_assert_null(imp.sgt);
	cr_assert_not(dma_resv_is_locked(b->resv));

	/* the contents moved along; a new mapping shows the device the new place */
	imp.sgt = map_locked(imp.attach);
	cr_assert_not(IS_ERR(imp.sgt));
	cr_assert_eq(dmasim_dma_read(dev, sg_dma_address(imp.sgt->sgl), got, 7), 0);
	cr_assert_str_eq(got, "before");
	dma_resv_lock(b->resv, NULL);
	dma_buf_unmap_attachment(imp.attach, imp.sgt, DMA_TO_DEVICE);
	dma_resv_unlock(b->resv);
	dma_buf_detach(b, imp.attach);
	dma_buf_put(b);
	dmasim_device_destroy(dev);
}

/* move_notify does not undo mappings: one kept across a move still shows the old place. */
static void ignore_move(struct dma_buf_attachment *attach)
{
	((struct mover_import *)attach->importer_priv)->notified++;
}

static const struct dma_buf_attach_ops ignoring_ops = { .move_notify = ignore_move };

Test(dmabuf, a_mapping_kept_across_a_move_shows_the_old_place)
{
	struct dma_buf *b = dmasim_dmabuf_export_dynamic(4096, "vram");
	struct device *dev = dmasim_device_create(NULL);
	struct mover_import imp = { 0 };
	char got[8];

	imp.attach = dma_buf_dynamic_attach(b, dev, &ignoring_ops, &imp);
	fill(b, "old");
	imp.sgt = map_locked(imp.attach);
	cr_assert_not(IS_ERR(imp.sgt));
	cr_assert_eq(dmasim_dmabuf_move(b), 0);
	cr_assert_eq(imp.notified, 1);
	fill(b, "new");
	cr_assert_eq(dmasim_dma_read(dev, sg_dma_address(imp.sgt->sgl), got, 4), 0);
	cr_assert_str_eq(got, "old", "the old memory lives until its mapping is undone");
	dma_resv_lock(b->resv, NULL);
	dma_buf_unmap_attachment(imp.attach, imp.sgt, DMA_TO_DEVICE);
	dma_resv_unlock(b->resv);
	dma_buf_detach(b, imp.attach);
	dma_buf_put(b);
	dmasim_device_destroy(dev);
}

Test(dmabuf, pinned_or_vmapped_buffers_do_not_move)
{
	struct dma_buf *b = dmasim_dmabuf_export_dynamic(4096, "vram");
	struct dma_buf *heap = dmasim_dmabuf_export(4096, "heap");
	struct device *dev = dmasim_device_create(NULL);
	struct mover_import imp = { 0 };
	struct dma_buf_attachment *st;
	struct iosys_map map;

	cr_assert_eq(dmasim_dmabuf_move(heap), -EINVAL, "the static heap cannot move");
	cr_assert_eq(dmasim_dmabuf_move(NULL), -EINVAL);

	imp.attach = dma_buf_dynamic_attach(b, dev, &mover_ops, &imp);
	dma_resv_lock(b->resv, NULL);
	cr_assert_eq(dma_buf_pin(imp.attach), 0);
	dma_resv_unlock(b->resv);
	cr_assert_eq(dmasim_dmabuf_move(b), -EBUSY);
	cr_assert_eq(imp.notified, 0);
	dma_resv_lock(b->resv, NULL);
	dma_buf_unpin(imp.attach);
	dma_resv_unlock(b->resv);
	cr_assert_eq(dmasim_dmabuf_move(b), 0);
	cr_assert_eq(imp.notified, 1);

	cr_assert_eq(dma_buf_vmap(b, &map), 0);
	cr_assert_eq(dmasim_dmabuf_move(b), -EBUSY, "a kernel mapping keeps the buffer in place");
	dma_buf_vunmap(b, &map);

	/* a static importer cannot follow moves: the core pins the buffer and maps it once */
	st = dma_buf_attach(b, dev);
	cr_assert_not(IS_ERR(st));
	cr_assert_not_null(st->sgt);
	cr_assert_eq(st->dir, DMA_BIDIRECTIONAL);
	cr_assert_eq(dma_buf_map_attachment_unlocked(st, DMA_TO_DEVICE), st->sgt);
	dma_buf_unmap_attachment_unlocked(st, st->sgt, DMA_TO_DEVICE);
	cr_assert_eq(dmasim_dmabuf_move(b), -EBUSY);
	dma_buf_detach(b, st);
	cr_assert_eq(dmasim_dmabuf_move(b), 0);
	cr_assert_eq(imp.notified, 2);

	dma_buf_detach(b, imp.attach);
	dma_buf_put(b);
	dma_buf_put(heap);
	dmasim_device_destroy(dev);
}

Test(dmabuf, dynamic_importer_of_a_static_exporter_gets_a_cached_mapping)
{
	struct dma_buf *b = dmasim_dmabuf_export(4096, "heap");
	struct device *dev = dmasim_device_create(NULL);
	struct mover_import imp = { 0 };
	struct dma_buf_attachment *a = dma_buf_dynamic_attach(b, dev, &mover_ops, &imp);

	cr_assert_not(IS_ERR(a));
	cr_assert_not(dma_buf_is_dynamic(b));
	cr_assert_not_null(a->sgt, "the exporter cannot move: mapped once at attach");
	cr_assert_eq(map_locked(a), a->sgt);
	dma_resv_lock(b->resv, NULL);
	dma_buf_move_notify(b); /* no exporter would, but the importers are told all the same */
	dma_buf_unmap_attachment(a, a->sgt, DMA_TO_DEVICE);
	dma_resv_unlock(b->resv);
	cr_assert_eq(imp.notified, 1);
	dma_buf_detach(b, a);
	dma_buf_put(b);
	dmasim_device_destroy(dev);
}
