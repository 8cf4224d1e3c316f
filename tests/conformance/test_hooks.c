// SPDX-License-Identifier: MIT
/*
 * The sanitizer attachment (src/common/kdma_hooks.h): this test defines __dmasan_kdma_hooks, as
 * libdmasan.so does, and checks that each exported call fires its hook exactly once at the
 * kernel's place, with the documented arguments.
 */
#include <errno.h>

#include "common/kdma_hooks.h"
#include "conf.h"

static struct {
	int map, unmap, map_sg, unmap_sg, sync_before, sync_after, sync_sg, alloc, free;
	int mapping_error, access, create, destroy;
	enum kdma_map_type last_type;
	unsigned int last_flags;
	enum kdma_map_failure last_why;
	enum dma_data_direction last_dir;
	size_t last_len;
	int mapped_ents;
	bool handle_access;     /* device_access returns HANDLED */
	int devres_released;    /* devres released before the destroy hook? */
	int devres_at_destroy;
} ev;

static void h_map(struct device *dev, enum kdma_map_type type, const void *cpu_addr,
		  phys_addr_t phys, size_t size, enum dma_data_direction dir, unsigned long attrs,
		  dma_addr_t handle, unsigned int flags, enum kdma_map_failure why)
{
	ev.map++;
	ev.last_type = type;
	ev.last_flags = flags;
	ev.last_why = why;
	ev.last_dir = dir;
}

static void h_mapping_error(struct device *dev, dma_addr_t handle)
{
	ev.mapping_error++;
}

static void h_unmap(struct device *dev, enum kdma_map_type type, dma_addr_t handle, size_t size,
		    enum dma_data_direction dir, unsigned long attrs)
{
	ev.unmap++;
	ev.last_type = type;
	ev.last_dir = dir;
}

static void h_map_sg(struct device *dev, struct scatterlist *sg, int nents, int mapped_ents,
		     enum dma_data_direction dir, unsigned long attrs, unsigned int flags)
{
	ev.map_sg++;
	ev.mapped_ents = mapped_ents;
	ev.last_flags = flags;
}

static void h_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
		       enum dma_data_direction dir, unsigned long attrs)
{
	ev.unmap_sg++;
}

static void h_sync(struct device *dev, dma_addr_t handle, size_t size,
		   enum dma_data_direction dir, bool for_cpu, bool after)
{
	if (after)
		ev.sync_after++;
	else
		ev.sync_before++;
}

static void h_sync_sg(struct device *dev, struct scatterlist *sg, int nelems,
		      enum dma_data_direction dir, bool for_cpu, bool after)
{
	ev.sync_sg++;
}

static void h_alloc(struct device *dev, enum kdma_map_type type, size_t size,
		    const void *cpu_addr, dma_addr_t handle, enum dma_data_direction dir,
		    unsigned long attrs)
{
	ev.alloc++;
	ev.last_type = type;
}

static void h_free(struct device *dev, enum kdma_map_type type, size_t size, const void *cpu_addr,
		   dma_addr_t handle, enum dma_data_direction dir)
{
	ev.free++;
	ev.last_type = type;
}

static enum kdma_access_result h_access(struct device *dev, dma_addr_t addr, phys_addr_t phys,
					void *buf, size_t len, bool is_write, bool stale)
{
	ev.access++;
	ev.last_len = len;
	if (phys == (phys_addr_t)-1)
		return KDMA_ACCESS_PROCEED;
	if (ev.handle_access && !is_write)
		memset(buf, 'H', len);
	return ev.handle_access ? KDMA_ACCESS_HANDLED : KDMA_ACCESS_PROCEED;
}

static void h_create(struct device *dev)
{
	ev.create++;
}

static void h_destroy(struct device *dev)
{
	ev.destroy++;
	ev.devres_at_destroy = ev.devres_released;
}

static const struct kdma_hooks table = {
	.size = sizeof(struct kdma_hooks),
	.map = h_map, .mapping_error = h_mapping_error, .unmap = h_unmap,
	.map_sg = h_map_sg, .unmap_sg = h_unmap_sg, .sync = h_sync, .sync_sg = h_sync_sg,
	.alloc = h_alloc, .free = h_free, .device_access = h_access,
	.device_create = h_create, .device_destroy = h_destroy,
};

/* What libdmasan.so exports; found by libkdma with dlsym(RTLD_DEFAULT). */
const struct kdma_hooks *__dmasan_kdma_hooks(const struct kdma_services *svc);
static const struct kdma_services *svc_seen;

const struct kdma_hooks *__dmasan_kdma_hooks(const struct kdma_services *svc)
{
	svc_seen = svc;
	return &table;
}

static struct device *dev;

static void setup(void)
{
	memset(&ev, 0, sizeof(ev));
	dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);
}

TestSuite(hooks, .init = setup);

Test(hooks, map_single_is_one_single_event)
{
	void *buf = kmalloc(128, GFP_KERNEL);
	dma_addr_t h = dma_map_single(dev, buf, 128, DMA_TO_DEVICE);

	cr_assert_eq(ev.create, 1);
	cr_assert_eq(ev.map, 1);
	cr_assert_eq(ev.last_type, KDMA_TYPE_SINGLE);
	cr_assert_eq(ev.last_flags, 0);
	cr_assert_eq(dma_mapping_error(dev, h), 0);
	cr_assert_eq(ev.mapping_error, 1);
	dma_unmap_single(dev, h, 128, DMA_TO_DEVICE);
	cr_assert_eq(ev.unmap, 1);
	cr_assert_eq(ev.last_type, KDMA_TYPE_SINGLE);
	h = dma_map_page(dev, virt_to_page(buf), offset_in_page(buf), 128, DMA_TO_DEVICE);
	cr_assert_eq(ev.map, 2);
	cr_assert_eq(ev.last_type, KDMA_TYPE_PAGE);
	dma_unmap_page(dev, h, 128, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	cr_assert_eq(ev.destroy, 1);
}

Test(hooks, failures_are_reported_with_their_reason)
{
	struct device *low = conf_dev(DMA_BIT_MASK(32), false, DMASIM_BOUNCE_OFF);
	void *buf = kmalloc(128, GFP_KERNEL);

	cr_redirect_stderr();
	cr_assert_eq(dma_map_single(low, buf, 128, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	cr_assert_eq(ev.map, 1);
	cr_assert(ev.last_flags & KDMA_MAP_FAILED);
	cr_assert_eq(ev.last_why, KDMA_FAIL_OVERFLOW);
	cr_assert_eq(dma_map_single(dev, buf, 128, DMA_NONE), DMA_MAPPING_ERROR);
	cr_assert_eq(ev.map, 2);
	cr_assert_eq(ev.last_why, KDMA_FAIL_INVALID);
	cr_assert_eq(ev.last_dir, DMA_NONE);
	/* An unmap with DMA_NONE still reaches the sanitizer (invalid-direction). */
	dma_unmap_single(dev, 0x1000, 128, DMA_NONE);
	cr_assert_eq(ev.unmap, 1);
	cr_assert_eq(ev.last_dir, DMA_NONE);
	/* A NULL device has nothing to report against: no hook. */
	dma_map_single(NULL, buf, 128, DMA_TO_DEVICE);
	cr_assert_eq(ev.map, 2);
	kfree(buf);
	dmasim_device_destroy(low);
	dmasim_device_destroy(dev);
}

Test(hooks, syncs_fire_before_and_after)
{
	void *buf = kmalloc(128, GFP_KERNEL);
	dma_addr_t h = dma_map_single(dev, buf, 128, DMA_FROM_DEVICE);

	dma_sync_single_for_cpu(dev, h, 128, DMA_FROM_DEVICE);
	dma_sync_single_range_for_device(dev, h, 64, 64, DMA_FROM_DEVICE);
	cr_assert_eq(ev.sync_before, 2);
	cr_assert_eq(ev.sync_after, 2);
	dma_unmap_single(dev, h, 128, DMA_FROM_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(hooks, sgtable_is_one_sg_event)
{
	struct sg_table sgt;
	void *buf = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);

	cr_assert_eq(sg_alloc_table(&sgt, 2, GFP_KERNEL), 0);
	sg_set_buf(sgt.sgl, buf, PAGE_SIZE);
	sg_set_buf(sg_next(sgt.sgl), (char *)buf + PAGE_SIZE, PAGE_SIZE);
	cr_assert_eq(dma_map_sgtable(dev, &sgt, DMA_TO_DEVICE, 0), 0);
	cr_assert_eq(ev.map_sg, 1);
	cr_assert_eq(ev.map, 0, "no per-entry map events");
	cr_assert_eq(ev.mapped_ents, 2);
	dma_sync_sgtable_for_cpu(dev, &sgt, DMA_TO_DEVICE);
	cr_assert_eq(ev.sync_sg, 2);
	cr_assert_eq(ev.sync_before, 0);
	dma_unmap_sgtable(dev, &sgt, DMA_TO_DEVICE, 0);
	cr_assert_eq(ev.unmap_sg, 1);
	cr_assert_eq(ev.unmap, 0);
	sg_free_table(&sgt);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(hooks, allocations_are_one_event_each)
{
	dma_addr_t h;
	void *p = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);

	cr_assert_eq(ev.alloc, 1);
	cr_assert_eq(ev.last_type, KDMA_TYPE_COHERENT);
	dma_free_coherent(dev, 4096, p, h);
	cr_assert_eq(ev.free, 1);
	p = dma_alloc_noncoherent(dev, 4096, &h, DMA_BIDIRECTIONAL, GFP_KERNEL);
	cr_assert_eq(ev.alloc, 2);
	cr_assert_eq(ev.last_type, KDMA_TYPE_NONCOHERENT);
	dma_free_noncoherent(dev, 4096, p, h, DMA_BIDIRECTIONAL);
	cr_assert_eq(ev.free, 2);
	cr_assert_eq(ev.last_type, KDMA_TYPE_NONCOHERENT);
	cr_assert_eq(ev.map, 0);
	dmasim_device_destroy(dev);
}

Test(hooks, per_device_coherent_memory_is_invisible)
{
	struct dmasim_config cfg = { .reserved_mem_size = 16384 };
	struct device *rdev = dmasim_device_create(&cfg);
	dma_addr_t h;
	void *p = dma_alloc_coherent(rdev, 4096, &h, GFP_KERNEL);

	cr_assert_not_null(p);
	dma_free_coherent(rdev, 4096, p, h);
	cr_assert_eq(ev.alloc, 0);
	cr_assert_eq(ev.free, 0);
	dmasim_device_destroy(rdev);
	dmasim_device_destroy(dev);
}

Test(hooks, device_access_per_contiguous_piece)
{
	char *buf = kmalloc(3 * PAGE_SIZE, GFP_KERNEL), out[16];
	dma_addr_t h = dma_map_single(dev, buf, 3 * PAGE_SIZE, DMA_BIDIRECTIONAL);

	cr_assert_eq(dmasim_dma_write(dev, h, "abc", 4), 0);
	cr_assert_eq(ev.access, 1);
	cr_assert_eq(dmasim_dma_read(dev, h, buf + PAGE_SIZE, 2 * PAGE_SIZE), -0, "overlap ok");
	cr_assert_eq(ev.access, 2, "identity memory is one contiguous piece");
	cr_assert_eq(ev.last_len, 2 * PAGE_SIZE);
	/* HANDLED: the sanitizer copied, libkdma must not. */
	ev.handle_access = true;
	cr_assert_eq(dmasim_dma_read(dev, h, out, 4), 0);
	cr_assert_eq(out[0], 'H');
	cr_assert_eq(dmasim_dma_write(dev, h, "zzz", 4), 0);
	cr_assert_str_eq(buf, "abc", "a handled write is not copied again");
	/* An untranslatable address is reported too, with phys = -1. */
	cr_assert_eq(dmasim_dma_read(dev, 0x1000, out, 4), -EFAULT);
	cr_assert_eq(ev.access, 5);
	dma_unmap_single(dev, h, 3 * PAGE_SIZE, DMA_BIDIRECTIONAL);
	kfree(buf);
	dmasim_device_destroy(dev);
}

static void count_release(void *data)
{
	ev.devres_released++;
}

Test(hooks, destroy_hook_runs_after_devres)
{
	cr_assert_eq(devm_add_action(dev, count_release, NULL), 0);
	cr_assert_eq(devm_add_action(dev, count_release, NULL), 0);
	dmasim_device_destroy(dev);
	cr_assert_eq(ev.destroy, 1);
	cr_assert_eq(ev.devres_at_destroy, 2, "leaks are judged after devres release");
}

/* The services libkdma hands over are the sanitizer's only view of libkdma's objects. */
Test(hooks, services_describe_libkdma_objects)
{
	struct scatterlist sg[3];
	unsigned long boundary;
	unsigned int max_seg;
	const void *start;
	char *buf = kmalloc(100, GFP_KERNEL);
	struct page *pg = alloc_page(GFP_KERNEL);
	struct dmasim_stats st;

	cr_assert_not_null(svc_seen, "the getter receives libkdma's services");
	cr_assert_geq(svc_seen->size, sizeof(struct kdma_services));
	cr_assert_geq(svc_seen->kmalloc_span(buf + 10, &start), 100);
	cr_assert_eq(start, buf);
	cr_assert_eq(svc_seen->kmalloc_span(&max_seg, &start), 0, "a stack address is no object");

	sg_init_table(sg, 3);
	sg_set_page(&sg[0], pg, 64, 16);
	cr_assert_eq(svc_seen->sg_phys(&sg[0]), page_to_phys(pg) + 16);
	cr_assert_eq(svc_seen->sg_next(&sg[0]), &sg[1]);
	cr_assert_null(svc_seen->sg_next(&sg[2]), "the last entry ends the walk");

	svc_seen->segment_limits(dev, &max_seg, &boundary);
	cr_assert_eq(max_seg, dma_get_max_seg_size(dev));
	cr_assert_eq(boundary, dma_get_seg_boundary(dev));
	cr_assert_not(svc_seen->pfn_reserved(page_to_pfn(pg)));
	cr_assert_eq(svc_seen->sim_stats(dev, &st), 0);

	__free_page(pg);
	kfree(buf);
	dmasim_device_destroy(dev);
}
