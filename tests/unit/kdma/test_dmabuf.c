// SPDX-License-Identifier: MIT
/* dma-buf core and the simulated exporter (src/kdma/dmabuf/). */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

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
