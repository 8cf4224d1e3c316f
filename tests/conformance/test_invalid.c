// SPDX-License-Identifier: MIT
/* Invalid input never crashes: a message on stderr and the kernel's error value. */
#include <errno.h>

#include <linux/vmalloc.h>

#include "conf.h"

static struct device *dev;
static char *buf;

static void setup(void)
{
	cr_redirect_stderr();
	dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);
	buf = kmalloc(256, GFP_KERNEL);
}

static void teardown(void)
{
	kfree(buf);
	dmasim_device_destroy(dev);
}

TestSuite(invalid, .init = setup, .fini = teardown);

Test(invalid, null_device)
{
	struct scatterlist sg;
	dma_addr_t h;

	sg_init_one(&sg, buf, 256);
	cr_assert_eq(dma_map_single(NULL, buf, 256, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	cr_assert_eq(dma_map_page(NULL, virt_to_page(buf), 0, 256, DMA_TO_DEVICE),
		     DMA_MAPPING_ERROR);
	cr_assert_eq(dma_map_sg(NULL, &sg, 1, DMA_TO_DEVICE), 0);
	dma_unmap_single(NULL, 0x1000, 256, DMA_TO_DEVICE);
	dma_unmap_sg(NULL, &sg, 1, DMA_TO_DEVICE);
	dma_sync_single_for_cpu(NULL, 0x1000, 256, DMA_TO_DEVICE);
	dma_sync_sg_for_device(NULL, &sg, 1, DMA_TO_DEVICE);
	cr_assert_null(dma_alloc_coherent(NULL, 4096, &h, GFP_KERNEL));
	dma_free_coherent(NULL, 4096, buf, 0x1000);
	cr_assert_eq(dma_set_mask(NULL, DMA_BIT_MASK(32)), -EIO);
	cr_assert_eq(dmasim_dma_read(NULL, 0x1000, buf, 4), -EINVAL);
	cr_assert(conf_stderr_has("NULL device"));
}

Test(invalid, dma_none_and_garbage_directions)
{
	struct scatterlist sg;
	dma_addr_t h;

	sg_init_one(&sg, buf, 256);
	cr_assert_eq(dma_map_single(dev, buf, 256, DMA_NONE), DMA_MAPPING_ERROR);
	cr_assert_eq(dma_map_single(dev, buf, 256, (enum dma_data_direction)42),
		     DMA_MAPPING_ERROR);
	cr_assert_eq(dma_map_sg(dev, &sg, 1, DMA_NONE), 0);
	h = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	cr_assert_neq(h, DMA_MAPPING_ERROR);
	dma_sync_single_for_cpu(dev, h, 256, DMA_NONE);
	dma_unmap_single(dev, h, 256, DMA_NONE); /* refused: the mapping stays */
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);
	cr_assert(conf_stderr_has("invalid DMA direction 3 (DMA_NONE)"));
}

Test(invalid, null_buffer_zero_size_and_no_mask)
{
	struct device bare = { 0 };

	cr_assert_eq(dma_map_single(dev, NULL, 256, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	cr_assert_eq(dma_map_page(dev, NULL, 0, 256, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	cr_assert_eq(dma_map_single(dev, buf, 0, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	cr_assert(conf_stderr_has("zero-length mapping"));
	device_initialize(&bare);
	cr_assert_eq(dma_map_single(&bare, buf, 256, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	cr_assert(conf_stderr_has("dev->dma_mask is NULL"));
	device_del(&bare);
}

Test(invalid, vmalloc_memory_is_rejected)
{
	void *v = vmalloc(8192);

	cr_assert_eq(dma_map_single(dev, v, 4096, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	cr_assert(conf_stderr_has("rejecting DMA map of vmalloc memory"));
	vfree(v);
}

Test(invalid, failed_handles_and_empty_lists)
{
	struct sg_table sgt = { 0 };

	dma_unmap_single(dev, DMA_MAPPING_ERROR, 256, DMA_TO_DEVICE);
	dma_sync_single_for_device(dev, DMA_MAPPING_ERROR, 256, DMA_TO_DEVICE);
	cr_assert_eq(dma_map_sg(dev, NULL, 1, DMA_TO_DEVICE), 0);
	cr_assert_eq(dma_map_sgtable(dev, NULL, DMA_TO_DEVICE, 0), -EINVAL);
	cr_assert_eq(dma_map_sgtable(dev, &sgt, DMA_TO_DEVICE, 0), -EINVAL);
	dma_unmap_sgtable(dev, NULL, DMA_TO_DEVICE, 0);
	dma_sync_sgtable_for_cpu(dev, NULL, DMA_TO_DEVICE);
	cr_assert(conf_stderr_has("DMA_MAPPING_ERROR"));
}

Test(invalid, bad_allocations)
{
	dma_addr_t h;

	cr_assert_null(dma_alloc_coherent(dev, 0, &h, GFP_KERNEL));
	cr_assert_null(dma_alloc_coherent(dev, 4096, NULL, GFP_KERNEL));
	dma_free_coherent(dev, 4096, NULL, 0);
	dma_free_pages(dev, 4096, NULL, 0, DMA_TO_DEVICE);
	dma_free_noncontiguous(dev, 4096, NULL, DMA_TO_DEVICE);
	cr_assert_null(dma_alloc_noncontiguous(dev, 4096, DMA_TO_DEVICE, GFP_KERNEL,
					       DMA_ATTR_WRITE_COMBINE));
}

Test(invalid, bad_device_configs)
{
	struct dmasim_config no_overlap = { .dma_range = { .cpu_start = 1ULL << 50, .size = 4096 } };
	struct dmasim_config wraps = { .dma_range = { .cpu_start = ~0ULL - 10, .size = 4096 } };
	struct dmasim_config bad_mode = { .iommu = (enum dmasim_iommu)7 };

	cr_assert_null(dmasim_device_create(&no_overlap));
	cr_assert_null(dmasim_device_create(&wraps));
	cr_assert_null(dmasim_device_create(&bad_mode));
	cr_assert(conf_stderr_has("does not overlap memory"));
	dmasim_device_destroy(NULL);
}
