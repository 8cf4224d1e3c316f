// SPDX-License-Identifier: MIT
/*
 * Pointers that are not live objects (garbage, a destroyed device or pool) and sizes that
 * describe no buffer: without the sanitizer, libkdma refuses each call with a message and the
 * kernel's error value, and never dereferences the pointer.
 */
#include <errno.h>
#include <stdint.h>

#include <linux/dmapool.h>

#include "conf.h"

/* Bytes that are neither a device nor a pool: a "lock" inside reads as held, pointers as wild. */
static unsigned long garbage[512];

static void setup(void)
{
	cr_redirect_stderr();
	memset(garbage, 0xa5, sizeof(garbage));
}

TestSuite(bad_objects, .init = setup);

Test(bad_objects, garbage_device)
{
	struct device *bad = (struct device *)garbage;
	char *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t h;

	cr_assert_eq(dma_map_single(bad, buf, 256, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	cr_assert_eq(dmasim_dma_read(bad, 0x1000, buf, 64), -EINVAL);
	cr_assert_eq(dmasim_dma_write(bad, 0x1000, buf, 64), -EINVAL);
	cr_assert_null(dma_alloc_coherent(bad, 4096, &h, GFP_KERNEL));
	cr_assert_null(dma_pool_create("p", bad, 64, 8, 0));
	cr_assert_eq(dmasim_device_set_platform(bad, DMASIM_IOMMU_STRICT, DMASIM_BOUNCE_OFF),
		     -EINVAL);
	dma_unmap_single(bad, 0x1000, 256, DMA_TO_DEVICE);
	dmasim_device_destroy(bad);
	cr_assert(conf_stderr_has("is not a device"));
	kfree(buf);
}

Test(bad_objects, destroyed_device)
{
	struct device *dev = dmasim_device_create(NULL);
	char *buf = kmalloc(256, GFP_KERNEL);

	cr_assert_not_null(dev);
	dmasim_device_destroy(dev);
	dmasim_device_destroy(dev); /* twice: refused, the freed name is never read */
	cr_assert_eq(dma_map_single(dev, buf, 256, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	cr_assert_eq(dmasim_dma_read(dev, 0x1000, buf, 64), -EINVAL);
	cr_assert(conf_stderr_has("was already destroyed"));
	kfree(buf);
}

Test(bad_objects, embedded_device_after_device_del)
{
	struct device dev = { 0 };
	char *buf = kmalloc(256, GFP_KERNEL);

	device_initialize(&dev);
	cr_assert_eq(dma_coerce_mask_and_coherent(&dev, DMA_BIT_MASK(32)), 0);
	dma_unmap_single(&dev, dma_map_single(&dev, buf, 256, DMA_TO_DEVICE), 256, DMA_TO_DEVICE);
	device_del(&dev);
	cr_assert_eq(dma_map_single(&dev, buf, 256, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	/* initialised again: usable again */
	device_initialize(&dev);
	cr_assert_eq(dma_coerce_mask_and_coherent(&dev, DMA_BIT_MASK(32)), 0);
	dma_unmap_single(&dev, dma_map_single(&dev, buf, 256, DMA_TO_DEVICE), 256, DMA_TO_DEVICE);
	device_del(&dev);
	kfree(buf);
}

Test(bad_objects, garbage_and_destroyed_pools)
{
	struct device *dev = dmasim_device_create(NULL);
	struct dma_pool *pool = dma_pool_create("p", dev, 64, 8, 0);
	struct dma_pool *bad = (struct dma_pool *)garbage;
	dma_addr_t h;
	void *blk = dma_pool_alloc(pool, GFP_KERNEL, &h);

	cr_assert_not_null(blk);
	dma_pool_free(bad, blk, h);     /* no hang on the "lock" in the garbage */
	cr_assert_null(dma_pool_alloc(bad, GFP_KERNEL, &h));
	dma_pool_destroy(bad);          /* no crash unlinking it */
	cr_assert(conf_stderr_has("is not a dma_pool"));
	dma_pool_free(pool, blk, h);
	dma_pool_destroy(pool);
	dma_pool_destroy(pool);         /* twice: refused, nothing freed twice */
	cr_assert_null(dma_pool_alloc(pool, GFP_KERNEL, &h), "alloc after destroy");
	dma_pool_free(pool, blk, h);
	cr_assert(conf_stderr_has("was already destroyed"));
	dmasim_device_destroy(dev);
}

Test(bad_objects, pool_outliving_its_device)
{
	struct device *dev = dmasim_device_create(NULL);
	struct dma_pool *pool = dma_pool_create("p", dev, 64, 8, 0);
	dma_addr_t h;

	dmasim_device_destroy(dev); /* the pool was never destroyed: leaked, as in the kernel */
	cr_assert_null(dma_pool_alloc(pool, GFP_KERNEL, &h));
	cr_assert(conf_stderr_has("was already destroyed"));
}

Test(bad_objects, size_max_map_fails)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = dmasim_device_create(&cfg);
	char *buf = kmalloc(4096, GFP_KERNEL);

	cr_assert_eq(dma_map_single(dev, buf, SIZE_MAX, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	cr_assert_eq(dma_map_single(dev, buf, SIZE_MAX / 2, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	cr_assert_eq(dma_map_page(dev, virt_to_page(buf), 0, SIZE_MAX, DMA_TO_DEVICE),
		     DMA_MAPPING_ERROR);
	cr_assert(conf_stderr_has("runs past the end of memory"));
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(bad_objects, free_coherent_of_foreign_memory)
{
	struct device *dev = dmasim_device_create(NULL);
	char *heap = malloc(8192);
	dma_addr_t h;
	void *cpu = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);

	cr_assert_not_null(cpu);
	/* heap memory with its own address as the handle: never reaches libc's free() */
	dma_free_coherent(dev, 4096, heap + 64, (dma_addr_t)(uintptr_t)(heap + 64));
	dma_free_coherent(dev, 4096, heap, (dma_addr_t)(uintptr_t)heap);
	dma_free_coherent(dev, 4096, garbage, (dma_addr_t)(uintptr_t)garbage);
	cr_assert(conf_stderr_has("is not a live coherent allocation"));
	free(heap);
	dma_free_coherent(dev, 4096, cpu, h);
	dmasim_device_destroy(dev);
}

Test(bad_objects, unmap_sg_without_entries)
{
	struct device *dev = dmasim_device_create(NULL);
	char *buf = kmalloc(1024, GFP_KERNEL);
	struct scatterlist sg;

	sg_init_one(&sg, buf, 1024);
	cr_assert_eq(dma_map_sg(dev, &sg, 1, DMA_TO_DEVICE), 1);
	dma_unmap_sg(dev, &sg, -1, DMA_TO_DEVICE);
	dma_unmap_sg(dev, &sg, 0, DMA_TO_DEVICE);
	cr_assert(conf_stderr_has("nothing unmapped"));
	dma_unmap_sg(dev, &sg, 1, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(bad_objects, name_of_a_destroyed_device)
{
	struct device *dev = dmasim_device_create(NULL);

	cr_assert_not_null(dev);
	dmasim_device_destroy(dev);
	cr_assert_str_eq(dev_name(dev), "(destroyed device)", "the freed name is never read");
}
