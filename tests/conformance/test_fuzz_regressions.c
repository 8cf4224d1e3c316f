// SPDX-License-Identifier: MIT
/*
 * Defects the fuzzers found (tests/fuzz/regressions/ holds the inputs), each as a direct test.
 * Some only fail in a sanitizer build (scripts/sanitize.sh asan): UBSan flags the misaligned
 * access, ASan the fault inside memcpy.
 */
#include <errno.h>
#include <sys/mman.h>

#include <linux/dmapool.h>

#include "conf.h"

/* A bus address that lands on memory mapped without access (a guard page): the device faults
 * (-EFAULT), libkdma does not. */
Test(fuzz_regressions, device_access_to_prot_none_memory_faults)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), true, DMASIM_BOUNCE_OFF);
	char *guard = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[16] = { 0 };

	cr_redirect_stderr();
	cr_assert_neq(guard, MAP_FAILED);
	cr_assert_eq(dmasim_dma_read(dev, (dma_addr_t)(uintptr_t)guard, buf, sizeof(buf)), -EFAULT);
	cr_assert_eq(dmasim_dma_write(dev, (dma_addr_t)(uintptr_t)guard, buf, sizeof(buf)), -EFAULT);
	munmap(guard, 4096);
	dmasim_device_destroy(dev);
}

/* align=1 and an odd size put blocks, and the pool's free-list links inside them, at odd
 * addresses (the kernel allows it): the links are read without assuming alignment. */
Test(fuzz_regressions, dma_pool_with_odd_block_size)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(32), false, DMASIM_BOUNCE_AUTO);
	struct dma_pool *pool = dma_pool_create("odd", dev, 65, 1, 0);
	void *blk[8];
	dma_addr_t h[8];

	cr_assert_not_null(pool);
	for (int i = 0; i < 8; i++) {
		blk[i] = dma_pool_alloc(pool, GFP_KERNEL, &h[i]);
		cr_assert_not_null(blk[i]);
	}
	cr_assert_eq((uintptr_t)blk[1] - (uintptr_t)blk[0], 65, "blocks are packed as asked");
	for (int i = 0; i < 8; i++)
		dma_pool_free(pool, blk[i], h[i]);
	dma_pool_destroy(pool);
	dmasim_device_destroy(dev);
}
