// SPDX-License-Identifier: MIT
/*
 * unaligned-mapping. Modelled on "iio: accel: adxl313: Fix alignment for DMA safety"
 * (B.1 #29): the transfer buffer was only ____cacheline_aligned (L1, 64 bytes) while arm64 needs
 * ARCH_DMA_MINALIGN (128), so the receive buffer shared its DMA line with other fields, which
 * the driver updates while a transfer is in flight. The fix gives the buffer whole DMA lines.
 * A warning: E2E_OPTIONS makes warnings count.
 */
#include <linux/cache.h>

#include "e2e.h"

/* E2E_OPTIONS: fail_on=warning */

struct adxl313_data {
	struct device *dev;
	int range;
#ifdef FIXED
	u8 transf_buf[ARCH_DMA_MINALIGN] __aligned(ARCH_DMA_MINALIGN);
#else
	u8 transf_buf[8] ____cacheline_aligned;
	u8 other[8];
#endif
};

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct adxl313_data *data = kzalloc(sizeof(*data), GFP_KERNEL);
	size_t len = sizeof(data->transf_buf);
	dma_addr_t dma = dma_map_single(dev, data->transf_buf, len, DMA_FROM_DEVICE);
	u8 sample[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	if (dma_mapping_error(dev, dma))
		return 1;
	BUGGY(data->other[0] = 1, data->range = 1); /* the driver's state, during the transfer */
	dmasim_dma_write(dev, dma, sample, sizeof(sample));
	dma_unmap_single(dev, dma, len, DMA_FROM_DEVICE);
	kfree(data);
	dmasim_device_destroy(dev);
	return 0;
}
