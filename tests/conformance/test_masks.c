// SPDX-License-Identifier: MIT
/* Masks and DMA parameters, as kernel/dma/mapping.c checks them. */
#include <errno.h>
#include <limits.h>

#include "conf.h"

Test(masks, dma_bit_mask)
{
	cr_assert_eq(DMA_BIT_MASK(64), ~0ULL);
	cr_assert_eq(DMA_BIT_MASK(32), 0xffffffffULL);
	cr_assert_eq(DMA_BIT_MASK(24), 0xffffffULL);
	cr_assert_eq(DMA_BIT_MASK(1), 1ULL);
	cr_assert_eq(DMA_MAPPING_ERROR, ~(dma_addr_t)0);
	cr_assert_eq(dma_mapping_error(NULL, DMA_MAPPING_ERROR), -ENOMEM);
	cr_assert_eq(dma_mapping_error(NULL, 0x1000), 0);
}

Test(masks, sim_defaults_are_32_bit)
{
	struct device *dev = dmasim_device_create(NULL);

	cr_assert_eq(*dev->dma_mask, DMA_BIT_MASK(32));
	cr_assert_eq(dev->coherent_dma_mask, DMA_BIT_MASK(32));
	cr_assert_eq(dma_get_mask(dev), DMA_BIT_MASK(32));
	cr_assert_not(dev_is_dma_coherent(dev));
	cr_assert_eq(dma_get_max_seg_size(dev), 65536);
	cr_assert_eq(dma_get_seg_boundary(dev), 0xffffffffUL);
	cr_assert_eq(dma_get_min_align_mask(dev), 0);
	dmasim_device_destroy(dev);
}

Test(masks, set_mask_needs_dma_mask_pointer)
{
	struct device dev = { 0 };

	device_initialize(&dev);
	cr_assert_eq(dma_set_mask(&dev, DMA_BIT_MASK(64)), -EIO);
	/* The coherent mask does not need the pointer. */
	cr_assert_eq(dma_set_coherent_mask(&dev, DMA_BIT_MASK(40)), 0);
	cr_assert_eq(dev.coherent_dma_mask, DMA_BIT_MASK(40));
	/* set_mask_and_coherent leaves the coherent mask alone when the streaming set fails. */
	cr_assert_eq(dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(64)), -EIO);
	cr_assert_eq(dev.coherent_dma_mask, DMA_BIT_MASK(40));
	/* dma_get_mask without a mask: 32 bits. */
	cr_assert_eq(dma_get_mask(&dev), DMA_BIT_MASK(32));
	device_del(&dev);
}

Test(masks, coerce_points_dma_mask_at_coherent_mask)
{
	struct device dev = { 0 };

	device_initialize(&dev);
	cr_assert_eq(dma_coerce_mask_and_coherent(&dev, DMA_BIT_MASK(48)), 0);
	cr_assert_eq(dev.dma_mask, &dev.coherent_dma_mask);
	cr_assert_eq(*dev.dma_mask, DMA_BIT_MASK(48));
	cr_assert_eq(dma_get_mask(&dev), DMA_BIT_MASK(48));
	device_del(&dev);
}

Test(masks, set_mask_and_coherent)
{
	struct device *dev = dmasim_device_create(NULL);

	cr_assert_eq(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	cr_assert_eq(*dev->dma_mask, DMA_BIT_MASK(64));
	cr_assert_eq(dev->coherent_dma_mask, DMA_BIT_MASK(64));
	cr_assert_eq(dma_set_mask(dev, DMA_BIT_MASK(40)), 0);
	cr_assert_eq(dma_get_mask(dev), DMA_BIT_MASK(40));
	cr_assert_eq(dev->coherent_dma_mask, DMA_BIT_MASK(64));
	dmasim_device_destroy(dev);
}

Test(masks, direct_supported_masks)
{
	struct device *dev = dmasim_device_create(NULL);

	/* Any mask of 32 bits or more is fine; below, it must cover ZONE_DMA (24 bits). */
	cr_assert_eq(dma_supported(dev, DMA_BIT_MASK(32)), 1);
	cr_assert_eq(dma_supported(dev, DMA_BIT_MASK(24)), 1);
	cr_assert_eq(dma_supported(dev, DMA_BIT_MASK(16)), 0);
	cr_assert_eq(dma_set_mask(dev, DMA_BIT_MASK(16)), -EIO);
	cr_assert_eq(*dev->dma_mask, DMA_BIT_MASK(32), "a refused mask is not stored");
	cr_assert_eq(dma_set_coherent_mask(dev, DMA_BIT_MASK(16)), -EIO);
	cr_assert_eq(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(24)), 0);
	dmasim_device_destroy(dev);
}

Test(masks, required_mask_and_addressing_limited)
{
	struct device *dev = dmasim_device_create(NULL);

	/* Memory spans the 47-bit user address space: 47 bits are needed. */
	cr_assert_eq(dma_get_required_mask(dev), DMA_BIT_MASK(47));
	cr_assert(dma_addressing_limited(dev));
	cr_assert_eq(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	cr_assert_not(dma_addressing_limited(dev));
	/* A bus limit narrows the device again. */
	dev->bus_dma_limit = DMA_BIT_MASK(36);
	cr_assert(dma_addressing_limited(dev));
	dmasim_device_destroy(dev);
}

Test(masks, segment_parameters)
{
	struct dmasim_config cfg = { .max_segment_size = 4096, .segment_boundary_mask = 0xffff,
				     .min_align_mask = 0xfff };
	struct device *dev = dmasim_device_create(&cfg);
	struct device bare = { 0 };

	cr_assert_eq(dma_get_max_seg_size(dev), 4096);
	cr_assert_eq(dma_get_seg_boundary(dev), 0xffff);
	cr_assert_eq(dma_get_seg_boundary_nr_pages(dev, PAGE_SHIFT), 16);
	cr_assert_eq(dma_get_min_align_mask(dev), 0xfff);
	cr_assert_eq(dma_set_max_seg_size(dev, 1 << 20), 0);
	cr_assert_eq(dma_get_max_seg_size(dev), 1 << 20);
	cr_assert_eq(dma_set_seg_boundary(dev, 0xfffff), 0);
	cr_assert_eq(dma_get_seg_boundary(dev), 0xfffff);
	cr_assert_eq(dma_set_min_align_mask(dev, 0x7ff), 0);
	cr_assert_eq(dma_get_min_align_mask(dev), 0x7ff);

	/* Without dma_parms: kernel defaults, and the setters fail. */
	cr_redirect_stderr();
	device_initialize(&bare);
	cr_assert_eq(dma_get_max_seg_size(&bare), 65536);
	cr_assert_eq(dma_get_seg_boundary(&bare), ULONG_MAX);
	cr_assert_eq(dma_get_min_align_mask(&bare), 0);
	cr_assert_eq(dma_set_max_seg_size(&bare, 4096), -EIO);
	cr_assert_eq(dma_set_seg_boundary(&bare, 0xfff), -EIO);
	device_del(&bare);
	dmasim_device_destroy(dev);
}

Test(masks, cache_alignment_and_merge_boundary)
{
	struct device *dev = dmasim_device_create(NULL);

	cr_assert_eq(dma_get_cache_alignment(), 128);
	cr_assert_eq(dma_get_merge_boundary(dev), 0, "the direct path never merges");
	dmasim_device_destroy(dev);
}

Test(masks, max_and_opt_mapping_size)
{
	struct dmasim_config c64 = { .dma_mask = DMA_BIT_MASK(64),
				     .coherent_dma_mask = DMA_BIT_MASK(64) };
	struct dmasim_config c32_nobounce = { .bounce = DMASIM_BOUNCE_OFF };
	struct dmasim_config c32 = { 0 };
	struct device *d64 = dmasim_device_create(&c64);
	struct device *d32n = dmasim_device_create(&c32_nobounce);
	struct device *d32 = dmasim_device_create(&c32);

	cr_assert_eq(dma_max_mapping_size(d64), SIZE_MAX);
	cr_assert_eq(dma_opt_mapping_size(d64), SIZE_MAX);
	cr_assert_eq(dma_max_mapping_size(d32n), SIZE_MAX, "no SWIOTLB: no bounce limit");
	/* An addressing-limited device with SWIOTLB: one bounce mapping at most (256 KiB). */
	cr_assert_eq(dma_max_mapping_size(d32), 256 * 1024);
	dmasim_device_destroy(d64);
	dmasim_device_destroy(d32n);
	dmasim_device_destroy(d32);
}
