// SPDX-License-Identifier: MIT
/* Dispatch order, as kernel/dma/mapping.c: per-device coherent pool → direct → IOMMU → dma_map_ops.
 * Path 3: custom operations installed with set_dma_ops are honoured. */
#include <errno.h>

#include "kdma/dma/dma.h"
#include "conf.h"

#define FAKE_BUS_BASE 0x40000000000ULL

static struct {
	int map_page, unmap_page, map_sg, unmap_sg, sync_cpu, sync_dev, alloc, free, supported;
	struct page *last_page;
	unsigned long last_offset;
} calls;

static dma_addr_t fake_map_page(struct device *dev, struct page *page, unsigned long offset,
				size_t size, enum dma_data_direction dir, unsigned long attrs)
{
	calls.map_page++;
	calls.last_page = page;
	calls.last_offset = offset;
	return FAKE_BUS_BASE + page_to_phys(page) + offset;
}

static void fake_unmap_page(struct device *dev, dma_addr_t h, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	calls.unmap_page++;
}

static int fake_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		       enum dma_data_direction dir, unsigned long attrs)
{
	calls.map_sg++;
	/* Merge everything into one segment, as an IOMMU would. */
	sg_dma_address(sgl) = FAKE_BUS_BASE;
	sg_dma_len(sgl) = 0;
	for (int i = 0; i < nents; i++)
		sg_dma_len(sgl) += sgl[i].length;
	return 1;
}

static void fake_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
			  enum dma_data_direction dir, unsigned long attrs)
{
	calls.unmap_sg++;
}

static void fake_sync_cpu(struct device *dev, dma_addr_t h, size_t size,
			  enum dma_data_direction dir)
{
	calls.sync_cpu++;
}

static void fake_sync_dev(struct device *dev, dma_addr_t h, size_t size,
			  enum dma_data_direction dir)
{
	calls.sync_dev++;
}

static char fake_coherent[8192];

static void *fake_alloc(struct device *dev, size_t size, dma_addr_t *h, gfp_t gfp,
			unsigned long attrs)
{
	calls.alloc++;
	*h = 0x1234000;
	return fake_coherent;
}

static void fake_free(struct device *dev, size_t size, void *vaddr, dma_addr_t h,
		      unsigned long attrs)
{
	calls.free++;
}

static int fake_supported(struct device *dev, u64 mask)
{
	calls.supported++;
	return mask >= DMA_BIT_MASK(40);
}

static const struct dma_map_ops fake_ops = {
	.map_page = fake_map_page, .unmap_page = fake_unmap_page,
	.map_sg = fake_map_sg, .unmap_sg = fake_unmap_sg,
	.sync_single_for_cpu = fake_sync_cpu, .sync_single_for_device = fake_sync_dev,
	.alloc = fake_alloc, .free = fake_free, .dma_supported = fake_supported,
};

static struct device *ops_dev(void)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);

	memset(&calls, 0, sizeof(calls));
	set_dma_ops(dev, &fake_ops);
	cr_assert_eq(get_dma_ops(dev), &fake_ops);
	return dev;
}

Test(dispatch, streaming_calls_reach_the_ops)
{
	struct device *dev = ops_dev();
	char *buf = kmalloc(300, GFP_KERNEL);
	u64 dev0 = kdma_arch_sync_count(false);
	dma_addr_t h = dma_map_single(dev, buf + 10, 100, DMA_TO_DEVICE);

	cr_assert_eq(calls.map_page, 1);
	cr_assert_eq(h, FAKE_BUS_BASE + (uintptr_t)buf + 10);
	cr_assert_eq(calls.last_page, virt_to_page(buf + 10));
	cr_assert_eq(calls.last_offset, offset_in_page(buf + 10));
	cr_assert_eq(kdma_arch_sync_count(false), dev0, "the direct path was not used");
	dma_sync_single_for_cpu(dev, h, 100, DMA_TO_DEVICE);
	dma_sync_single_for_device(dev, h, 100, DMA_TO_DEVICE);
	cr_assert_eq(calls.sync_cpu, 1);
	cr_assert_eq(calls.sync_dev, 1);
	dma_unmap_single(dev, h, 100, DMA_TO_DEVICE);
	cr_assert_eq(calls.unmap_page, 1);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(dispatch, sg_calls_reach_the_ops_and_may_merge)
{
	struct device *dev = ops_dev();
	struct scatterlist sgl[3];
	char *buf = kmalloc(3000, GFP_KERNEL);
	int i;

	sg_init_table(sgl, 3);
	for (i = 0; i < 3; i++)
		sg_set_buf(&sgl[i], buf + 1000 * i, 1000);
	cr_assert_eq(dma_map_sg(dev, sgl, 3, DMA_TO_DEVICE), 1);
	cr_assert_eq(sg_dma_len(&sgl[0]), 3000);
	dma_unmap_sg(dev, sgl, 3, DMA_TO_DEVICE);
	cr_assert_eq(calls.map_sg, 1);
	cr_assert_eq(calls.unmap_sg, 1);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(dispatch, alloc_and_mask_reach_the_ops)
{
	struct device *dev = ops_dev();
	dma_addr_t h;
	void *p = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);

	cr_assert_eq(p, fake_coherent);
	cr_assert_eq(h, 0x1234000);
	dma_free_coherent(dev, 4096, p, h);
	cr_assert_eq(calls.alloc, 1);
	cr_assert_eq(calls.free, 1);
	cr_assert_eq(dma_set_mask(dev, DMA_BIT_MASK(32)), -EIO, "ops->dma_supported decides");
	cr_assert_eq(dma_set_mask(dev, DMA_BIT_MASK(48)), 0);
	cr_assert_geq(calls.supported, 2);
	dmasim_device_destroy(dev);
}

Test(dispatch, ops_bypass_goes_direct_for_a_wide_mask)
{
	struct device *dev = ops_dev();
	void *buf = kmalloc(64, GFP_KERNEL);
	dma_addr_t h;

	dev->dma_ops_bypass = true;
	h = dma_map_single(dev, buf, 64, DMA_TO_DEVICE);
	cr_assert_eq(calls.map_page, 0, "a 64-bit mask covers all memory: direct");
	cr_assert_eq(h, (dma_addr_t)(uintptr_t)buf);
	dma_unmap_single(dev, h, 64, DMA_TO_DEVICE);
	cr_assert_eq(calls.unmap_page, 0);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(dispatch, per_device_coherent_pool_comes_before_ops)
{
	struct dmasim_config cfg = { .reserved_mem_size = 64 * 1024 };
	struct device *dev = dmasim_device_create(&cfg);
	dma_addr_t h;
	void *p;

	memset(&calls, 0, sizeof(calls));
	set_dma_ops(dev, &fake_ops);
	p = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);
	cr_assert_not_null(p);
	cr_assert_neq(p, fake_coherent);
	cr_assert_eq(calls.alloc, 0);
	dma_free_coherent(dev, 4096, p, h);
	cr_assert_eq(calls.free, 0);
	dmasim_device_destroy(dev);
}

Test(dispatch, ops_without_map_page_fail_cleanly)
{
	static const struct dma_map_ops empty_ops = { 0 };
	struct device *dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);
	void *buf = kmalloc(64, GFP_KERNEL);
	dma_addr_t h;

	cr_redirect_stderr();
	set_dma_ops(dev, &empty_ops);
	h = dma_map_single(dev, buf, 64, DMA_TO_DEVICE);
	cr_assert_eq(h, DMA_MAPPING_ERROR);
	cr_assert_eq(dma_map_sg(dev, (struct scatterlist[1]){ 0 }, 1, DMA_TO_DEVICE), 0);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(dispatch, iommu_comes_before_ops)
{
	struct dmasim_config cfg = { .iommu = DMASIM_IOMMU_STRICT };
	struct device *dev;
	char *buf = kmalloc(8192, GFP_KERNEL), out[8] = { 0 };
	dma_addr_t h;

	cr_redirect_stderr(); /* the IOMMU logs its fault */
	dev = dmasim_device_create(&cfg);
	cr_assert_not_null(dev);
	memset(&calls, 0, sizeof(calls));
	set_dma_ops(dev, &fake_ops);
	strcpy(buf + 5000, "iova");
	h = dma_map_single(dev, buf, 8192, DMA_TO_DEVICE);
	cr_assert_eq(calls.map_page, 0, "dev->dma_iommu wins over dma_map_ops");
	cr_assert_neq(h, DMA_MAPPING_ERROR);
	cr_assert_neq(h, (dma_addr_t)(uintptr_t)buf, "an IOVA, not the physical address");
	cr_assert_eq(dmasim_dma_read(dev, h + 5000, out, 5), 0);
	cr_assert_str_eq(out, "iova");
	cr_assert_eq(dmasim_dma_write(dev, h, "x", 1), -EFAULT, "TO_DEVICE is read-only");
	cr_assert_eq(dma_supported(dev, DMA_BIT_MASK(64)), 0, "IOMMU and ops together");
	cr_assert_neq(dma_get_merge_boundary(dev), 0, "the IOMMU path merges at its granule");
	dma_unmap_single(dev, h, 8192, DMA_TO_DEVICE);
	cr_assert_eq(calls.unmap_page, 0);
	cr_assert_eq(dmasim_dma_read(dev, h + 5000, out, 5), -EFAULT, "strict: gone at unmap");
	kfree(buf);
	dmasim_device_destroy(dev);
}
