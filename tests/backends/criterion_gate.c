// SPDX-License-Identifier: MIT
/*
 * A violation inside a Criterion test must fail that test, although Criterion runs tests in
 * worker processes and ignores what happens after the test returns: DMASAN_TEST_BEGIN/END
 * (<dmasan/dmasan.h>) assert that the test produced no new dmasan errors. Built buggy and
 * -DFIXED; run under the preload, the buggy build's test fails, the fixed one passes.
 */
#include <criterion/criterion.h>

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/dmasan.h>
#include <dmasan/sim.h>

Test(driver, tx_teardown)
{
	struct device *dev = dmasim_device_create(NULL);
	void *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t h;

	DMASAN_TEST_BEGIN();
	h = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	cr_assert(!dma_mapping_error(dev, h));
#ifdef FIXED
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);
#else
	dma_unmap_single(dev, h, 128, DMA_TO_DEVICE); /* unmap-size-mismatch */
#endif
	DMASAN_TEST_END();
	kfree(buf);
	dmasim_device_destroy(dev);
}
