// SPDX-License-Identifier: MIT
/*
 * device-access-out-of-bounds, far past the end: the device is told 16 MiB (a length field the
 * driver filled in bytes of the wrong unit) for a 4 KiB mapping. The access is reported and
 * fails with -EFAULT, as an IOMMU would stop it, instead of reading 16 MiB of other memory.
 * E2E_EXITCODE: 1
 */
#include "e2e.h"

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = e2e_device(&cfg);
	char *pool = malloc(32 << 20); /* memory around the buffer that the device could reach */
	char *tx = pool + 4096, *rx = malloc(16 << 20);
	size_t len = BUGGY(16 << 20, 4096);
	dma_addr_t dma;
	int ret;

	memset(tx, 1, 4096);
	dma = dma_map_single(dev, tx, 4096, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, dma))
		return 3;
	ret = dmasim_dma_read(dev, dma, rx, len);
	if (ret != BUGGY(-EFAULT, 0))
		return 3;
	dma_unmap_single(dev, dma, 4096, DMA_TO_DEVICE);
	free(rx);
	free(pool);
	dmasim_device_destroy(dev);
	return 0;
}
