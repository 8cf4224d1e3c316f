// SPDX-License-Identifier: MIT
/*
 * free-cpu-addr-mismatch. The kernel's U5 ("frees DMA memory with different CPU address",
 * kernel/dma/debug.c), as in drivers that align the CPU pointer of a coherent buffer for the
 * hardware and later free the aligned pointer instead of the one dma_alloc_coherent returned.
 */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	dma_addr_t dma;
	char *raw = dma_alloc_coherent(dev, 8192, &dma, GFP_KERNEL);
	char *aligned = raw + 256; /* the descriptor ring starts past a header */

	if (!raw)
		return 1;
	memset(aligned, 0, 1024);
	dma_free_coherent(dev, 8192, BUGGY(aligned, raw), dma);
	dmasim_device_destroy(dev);
	return 0;
}
