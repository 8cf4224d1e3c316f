// SPDX-License-Identifier: MIT
/* Simulated device accesses: correct data through the stack, -EFAULT outside the device's reach. */
#include <errno.h>

#include "conf.h"

Test(sim, read_and_write_mapped_buffers)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);
	size_t len = 3 * PAGE_SIZE + 123;
	unsigned char *buf = kmalloc(len, GFP_KERNEL), *out = kmalloc(len, GFP_KERNEL);
	dma_addr_t h;
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 7);
	h = dma_map_single(dev, buf, len, DMA_BIDIRECTIONAL);
	cr_assert_eq(dmasim_dma_read(dev, h, out, len), 0, "crosses pages");
	cr_assert_arr_eq(out, buf, len);
	memset(out, 0xab, len);
	cr_assert_eq(dmasim_dma_write(dev, h + 1, out, len - 1), 0);
	dma_unmap_single(dev, h, len, DMA_BIDIRECTIONAL);
	cr_assert_eq(buf[0], 0);
	for (i = 1; i < len; i++)
		cr_assert_eq(buf[i], 0xab);
	cr_assert_eq(dmasim_dma_read(dev, h, out, 0), 0, "empty access");
	kfree(buf);
	kfree(out);
	dmasim_device_destroy(dev);
}

Test(sim, beyond_the_mask_faults)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(32), false, DMASIM_BOUNCE_OFF);
	char out[8];

	cr_assert_eq(dmasim_dma_read(dev, 1ULL << 32, out, 4), -EFAULT);
	cr_assert_eq(dmasim_dma_write(dev, 0xfffffffe, out, 4), -EFAULT, "runs past the mask");
	dev->bus_dma_limit = DMA_BIT_MASK(28);
	cr_assert_eq(dmasim_dma_read(dev, 1ULL << 28, out, 4), -EFAULT, "past the bus limit");
	dmasim_device_destroy(dev);
}

Test(sim, outside_the_range_map_faults)
{
	struct dmasim_config cfg = {
		.dma_mask = DMA_BIT_MASK(64),
		.dma_range = { .cpu_start = 0, .dma_start = 1ULL << 40, .size = 1ULL << 47 },
	};
	struct device *dev = dmasim_device_create(&cfg);
	char *buf = kmalloc(64, GFP_KERNEL), out[8];

	strcpy(buf, "ranged");
	cr_assert_eq(dmasim_dma_read(dev, (uintptr_t)buf, out, 4), -EFAULT,
		     "the CPU address is not a bus address of this device");
	cr_assert_eq(dmasim_dma_read(dev, (uintptr_t)buf + (1ULL << 40), out, 7), 0);
	cr_assert_str_eq(out, "ranged");
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(sim, unmapped_memory_faults_instead_of_crashing)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);
	char out[8];

	cr_assert_eq(dmasim_dma_read(dev, 0x1000, out, 8), -EFAULT);
	cr_assert_eq(dmasim_dma_write(dev, 0x1000, out, 8), -EFAULT);
	cr_assert_eq(dmasim_dma_read(dev, ~0ULL - 2, out, 8), -EFAULT, "wraps around");
	dmasim_device_destroy(dev);
}

Test(sim, bad_arguments)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);

	cr_redirect_stderr();
	cr_assert_eq(dmasim_dma_read(dev, 0x1000, NULL, 8), -EINVAL);
	cr_assert_eq(dmasim_dma_write(NULL, 0x1000, "x", 1), -EINVAL);
	dmasim_device_destroy(dev);
}
