// SPDX-License-Identifier: MIT
/*
 * unknown-unmap of a coherent buffer that never was one: dma_free_coherent of a malloc'ed
 * buffer (the descriptor ring moved to ordinary memory, its free path did not). Reported, and
 * nothing is freed: the address never reaches libc's free().
 * E2E_EXITCODE: 1
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	dma_addr_t dma;
	void *ring = BUGGY((char *)malloc(8192) + 64, dma_alloc_coherent(dev, 4096, &dma, GFP_KERNEL));

	if (!ring)
		return 3;
	BUGGY(dma = (dma_addr_t)(uintptr_t)ring, (void)0);
	dma_free_coherent(dev, 4096, ring, dma);
	dmasim_device_destroy(dev);
	return 0;
}
