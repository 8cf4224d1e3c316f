// SPDX-License-Identifier: MIT
/* The direct path: as kernel/dma/direct.{c,h} (translation, dma_capable, overflow,
 * bouncing, arch cache maintenance, attrs, need_sync, scatterlists). */
#include <errno.h>

#include "kdma/dma/dma.h"
#include "conf.h"

static const u64 gib4 = 1ULL << 32;

Test(direct, dma_capable_mask_and_bus_limit)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(32), false, DMASIM_BOUNCE_OFF);

	cr_assert(kdma_dma_capable(dev, 0xffffffff, 1, true));
	cr_assert_not(kdma_dma_capable(dev, 0xffffffff, 2, true));
	cr_assert(kdma_dma_capable(dev, 0x1000, 0x1000, true));
	cr_assert_not(kdma_dma_capable(dev, DMA_MAPPING_ERROR, 1, true));
	/* The bus limit wins when it is narrower than the mask... */
	dev->bus_dma_limit = 0x0fffffff;
	cr_assert(kdma_dma_capable(dev, 0x0ffff000, 0x1000, true));
	cr_assert_not(kdma_dma_capable(dev, 0x10000000, 1, true));
	/* ...and the mask when it is narrower than the bus limit (min_not_zero). */
	dev->bus_dma_limit = DMA_BIT_MASK(40);
	cr_assert_not(kdma_dma_capable(dev, gib4, 1, true));
	dmasim_device_destroy(dev);
}

Test(direct, range_map_translates_both_ways)
{
	/* The whole 47-bit space appears 1 TiB higher on the bus. */
	struct dmasim_config cfg = {
		.dma_mask = DMA_BIT_MASK(64), .coherent_dma_mask = DMA_BIT_MASK(64),
		.dma_range = { .cpu_start = 0, .dma_start = 1ULL << 40, .size = 1ULL << 47 },
	};
	struct device *dev = dmasim_device_create(&cfg);
	char *buf = kmalloc(256, GFP_KERNEL), out[6] = { 0 };
	dma_addr_t h;

	strcpy(buf, "hello");
	h = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	cr_assert_eq(dma_mapping_error(dev, h), 0);
	cr_assert_eq(h, (dma_addr_t)(uintptr_t)buf + (1ULL << 40));
	cr_assert_eq(kdma_dma_to_phys(dev, h), (phys_addr_t)(uintptr_t)buf);
	cr_assert_eq(dmasim_dma_read(dev, h, out, 6), 0);
	cr_assert_str_eq(out, "hello");
	/* Bus addresses below the window do not translate. */
	cr_assert_eq(kdma_dma_to_phys(dev, 0x1000), (phys_addr_t)-1);
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(direct, range_map_miss_is_not_capable)
{
	/* Only the low 4 GiB are visible: heap memory above it does not translate. */
	struct dmasim_config cfg = {
		.dma_mask = DMA_BIT_MASK(64), .coherent_dma_mask = DMA_BIT_MASK(64),
		.bounce = DMASIM_BOUNCE_OFF,
		.dma_range = { .cpu_start = 0, .dma_start = 0, .size = 1ULL << 32 },
	};
	struct device *dev;
	void *buf = kmalloc(4096, GFP_KERNEL);
	dma_addr_t h;

	cr_redirect_stderr();
	dev = dmasim_device_create(&cfg);
	cr_assert((uintptr_t)buf >= gib4, "the heap lies above 4 GiB in this model");
	cr_assert_eq(kdma_phys_to_dma(dev, (uintptr_t)buf), DMA_MAPPING_ERROR);
	h = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE);
	cr_assert_eq(h, DMA_MAPPING_ERROR);
	cr_assert(dma_addressing_limited(dev), "RAM not covered by the range map is a limit");
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(direct, unreachable_without_bounce_overflows)
{
	struct device *dev;
	void *buf = kmalloc(4096, GFP_KERNEL);
	dma_addr_t h;

	cr_redirect_stderr();
	dev = conf_dev(DMA_BIT_MASK(32), false, DMASIM_BOUNCE_OFF);
	h = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE);
	cr_assert_eq(h, DMA_MAPPING_ERROR);
	cr_assert_eq(dma_mapping_error(dev, h), -ENOMEM);
	cr_assert(conf_stderr_has("overflow (mask ffffffff, bus limit 0)"));
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(direct, reachable_low_memory_maps_in_place)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(32), false, DMASIM_BOUNCE_OFF);
	void *buf = kmalloc(4096, GFP_KERNEL | GFP_DMA32);
	dma_addr_t h = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE);

	cr_assert_neq(h, DMA_MAPPING_ERROR);
	cr_assert_eq(h, (dma_addr_t)(uintptr_t)buf, "identity translation without a range map");
	dma_unmap_single(dev, h, 4096, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(direct, unreachable_with_bounce_uses_low_slot)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(32), false, DMASIM_BOUNCE_AUTO);
	char *buf = kmalloc(512, GFP_KERNEL), out[512];
	dma_addr_t h;

	memset(buf, 0x5a, 512);
	h = dma_map_single(dev, buf, 512, DMA_TO_DEVICE);
	cr_assert_neq(h, DMA_MAPPING_ERROR);
	cr_assert_leq(h + 511, DMA_BIT_MASK(32));
	cr_assert_eq(dmasim_dma_read(dev, h, out, 512), 0);
	cr_assert_arr_eq(out, buf, 512);
	dma_unmap_single(dev, h, 512, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(direct, non_coherent_runs_arch_sync_points)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);
	void *buf = kmalloc(1024, GFP_KERNEL);
	u64 dev0 = kdma_arch_sync_count(false), cpu0 = kdma_arch_sync_count(true);
	dma_addr_t h = dma_map_single(dev, buf, 1024, DMA_FROM_DEVICE);

	cr_assert_eq(kdma_arch_sync_count(false), dev0 + 1, "map cleans for the device");
	dma_sync_single_for_cpu(dev, h, 1024, DMA_FROM_DEVICE);
	cr_assert_eq(kdma_arch_sync_count(true), cpu0 + 1);
	dma_sync_single_for_device(dev, h, 1024, DMA_FROM_DEVICE);
	cr_assert_eq(kdma_arch_sync_count(false), dev0 + 2);
	dma_unmap_single(dev, h, 1024, DMA_FROM_DEVICE);
	cr_assert_eq(kdma_arch_sync_count(true), cpu0 + 2, "unmap invalidates for the CPU");
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(direct, skip_cpu_sync_skips_arch_sync)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);
	void *buf = kmalloc(1024, GFP_KERNEL);
	u64 dev0 = kdma_arch_sync_count(false), cpu0 = kdma_arch_sync_count(true);
	dma_addr_t h = dma_map_single_attrs(dev, buf, 1024, DMA_FROM_DEVICE,
					    DMA_ATTR_SKIP_CPU_SYNC);

	cr_assert_neq(h, DMA_MAPPING_ERROR);
	dma_unmap_single_attrs(dev, h, 1024, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
	cr_assert_eq(kdma_arch_sync_count(false), dev0);
	cr_assert_eq(kdma_arch_sync_count(true), cpu0);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(direct, coherent_device_has_no_cache_maintenance)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), true, DMASIM_BOUNCE_OFF);
	void *buf = kmalloc(1024, GFP_KERNEL);
	u64 dev0 = kdma_arch_sync_count(false), cpu0 = kdma_arch_sync_count(true);
	dma_addr_t h = dma_map_single(dev, buf, 1024, DMA_BIDIRECTIONAL);

	dma_sync_single_for_cpu(dev, h, 1024, DMA_BIDIRECTIONAL);
	dma_unmap_single(dev, h, 1024, DMA_BIDIRECTIONAL);
	cr_assert_eq(kdma_arch_sync_count(false), dev0);
	cr_assert_eq(kdma_arch_sync_count(true), cpu0);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(direct, need_sync_coherent_vs_not)
{
	struct device *coh = conf_dev(DMA_BIT_MASK(64), true, DMASIM_BOUNCE_OFF);
	struct device *nc = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);
	struct device *bounced = conf_dev(DMA_BIT_MASK(32), true, DMASIM_BOUNCE_FORCE);
	void *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t hc = dma_map_single(coh, buf, 256, DMA_TO_DEVICE);
	dma_addr_t hn = dma_map_single(nc, buf, 256, DMA_TO_DEVICE);
	dma_addr_t hb = dma_map_single(bounced, buf, 256, DMA_TO_DEVICE);

	cr_assert_not(dma_need_sync(coh, hc));
	cr_assert(dma_need_sync(nc, hn));
	cr_assert_neq(hb, DMA_MAPPING_ERROR);
	cr_assert(dma_need_sync(bounced, hb), "a bounced mapping needs syncs even if coherent");
	cr_assert(dma_need_unmap(coh), "behaves as CONFIG_DMA_API_DEBUG: unmaps always needed");
	dma_unmap_single(coh, hc, 256, DMA_TO_DEVICE);
	dma_unmap_single(nc, hn, 256, DMA_TO_DEVICE);
	dma_unmap_single(bounced, hb, 256, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(coh);
	dmasim_device_destroy(nc);
	dmasim_device_destroy(bounced);
}

Test(direct, map_page_and_resource)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	u64 dev0 = kdma_arch_sync_count(false);
	dma_addr_t h = dma_map_page(dev, page, 100, 5000, DMA_TO_DEVICE);
	dma_addr_t r;

	cr_assert_eq(h, page_to_phys(page) + 100);
	dma_unmap_page(dev, h, 5000, DMA_TO_DEVICE);
	/* A resource (MMIO) is used as is, without cache maintenance. */
	dev0 = kdma_arch_sync_count(false);
	r = dma_map_resource(dev, 0xfe000000, 4096, DMA_BIDIRECTIONAL, 0);
	cr_assert_eq(r, 0xfe000000);
	cr_assert_eq(kdma_arch_sync_count(false), dev0);
	dma_unmap_resource(dev, r, 4096, DMA_BIDIRECTIONAL, 0);
	__free_pages(page, 1);
	dmasim_device_destroy(dev);
}

Test(direct, sg_maps_each_entry_and_returns_nents)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);
	struct scatterlist sgl[4], *sg;
	void *bufs[4];
	u64 cpu0, dev0;
	int i, n;

	sg_init_table(sgl, 4);
	for (i = 0; i < 4; i++) {
		bufs[i] = kmalloc(1000 + i, GFP_KERNEL);
		sg_set_buf(&sgl[i], bufs[i], 1000 + i);
	}
	dev0 = kdma_arch_sync_count(false);
	n = dma_map_sg(dev, sgl, 4, DMA_TO_DEVICE);
	cr_assert_eq(n, 4, "the direct path never merges");
	cr_assert_eq(kdma_arch_sync_count(false), dev0 + 4);
	for_each_sg(sgl, sg, n, i) {
		cr_assert_eq(sg_dma_address(sg), sg_phys(sg));
		cr_assert_eq(sg_dma_len(sg), 1000 + i);
	}
	cpu0 = kdma_arch_sync_count(true);
	dma_sync_sg_for_cpu(dev, sgl, 4, DMA_TO_DEVICE);
	cr_assert_eq(kdma_arch_sync_count(true), cpu0 + 4);
	dma_sync_sg_for_device(dev, sgl, 4, DMA_TO_DEVICE);
	dma_unmap_sg(dev, sgl, 4, DMA_TO_DEVICE);
	cr_assert_eq(kdma_arch_sync_count(true), cpu0 + 8);
	for (i = 0; i < 4; i++)
		kfree(bufs[i]);
	dmasim_device_destroy(dev);
}

Test(direct, sgtable_sets_nents_and_reports_errno)
{
	struct device *ok = conf_dev(DMA_BIT_MASK(64), true, DMASIM_BOUNCE_OFF);
	struct device *low = conf_dev(DMA_BIT_MASK(32), true, DMASIM_BOUNCE_OFF);
	struct sg_table sgt;
	void *buf = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	struct page *pages[2] = { virt_to_page(buf), virt_to_page((char *)buf + PAGE_SIZE) };

	cr_redirect_stderr();
	cr_assert_eq(sg_alloc_table_from_pages(&sgt, pages, 2, 0, 2 * PAGE_SIZE, GFP_KERNEL), 0);
	cr_assert_eq(dma_map_sgtable(ok, &sgt, DMA_BIDIRECTIONAL, 0), 0);
	cr_assert_eq(sgt.nents, sgt.orig_nents);
	dma_unmap_sgtable(ok, &sgt, DMA_BIDIRECTIONAL, 0);
	/* Unreachable and no bounce: the errno, and dma_map_sg's 0. */
	cr_assert_eq(dma_map_sgtable(low, &sgt, DMA_BIDIRECTIONAL, 0), -EIO);
	cr_assert_eq(dma_map_sg(low, sgt.sgl, sgt.orig_nents, DMA_BIDIRECTIONAL), 0);
	sg_free_table(&sgt);
	kfree(buf);
	dmasim_device_destroy(ok);
	dmasim_device_destroy(low);
}

Test(direct, sync_range_offsets_the_handle)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(32), true, DMASIM_BOUNCE_FORCE);
	char *buf = kzalloc(1024, GFP_KERNEL);
	dma_addr_t h = dma_map_single(dev, buf, 1024, DMA_FROM_DEVICE);

	cr_assert_neq(h, DMA_MAPPING_ERROR);
	cr_assert_eq(dmasim_dma_write(dev, h + 512, "xyz", 4), 0);
	cr_assert_eq(buf[512], 0, "bounced: the device wrote the slot, not the buffer");
	dma_sync_single_range_for_cpu(dev, h, 512, 4, DMA_FROM_DEVICE);
	cr_assert_str_eq(buf + 512, "xyz");
	dma_unmap_single(dev, h, 1024, DMA_FROM_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
}
