// SPDX-License-Identifier: MIT
/*
 * shared-cacheline-write. The consequence of the IIO alignment bugs (B.1 #28-31): while the
 * device fills the receive buffer, the CPU updates a field in the same DMA cache line; on a
 * non-coherent board the invalidate at unmap discards that update (or the write-back of the
 * dirty line tears the received data).
 */
#include <linux/cache.h>

#include "e2e.h"

struct sensor_state {
	struct device *dev;
	u8 rx[16] ____cacheline_aligned;
	unsigned long samples; /* updated while a transfer is in flight */
};

/* The fix: the receive buffer owns whole DMA lines, after everything the CPU updates. */
struct sensor_state_fixed {
	struct device *dev;
	unsigned long samples;
	u8 rx[ARCH_DMA_MINALIGN] __aligned(ARCH_DMA_MINALIGN);
};

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct sensor_state *st = kzalloc(sizeof(*st), GFP_KERNEL);
	struct sensor_state_fixed *fx = kzalloc(sizeof(*fx), GFP_KERNEL);
	u8 *rx = BUGGY(st->rx, fx->rx);
	size_t len = BUGGY(sizeof(st->rx), sizeof(fx->rx));
	unsigned long *samples = BUGGY(&st->samples, &fx->samples);
	dma_addr_t dma = dma_map_single(dev, rx, len, DMA_FROM_DEVICE);
	u8 sample[16] = { 9 };

	if (dma_mapping_error(dev, dma))
		return 1;
	(*samples)++; /* the statistics update races the transfer */
	dmasim_dma_write(dev, dma, sample, sizeof(sample));
	dma_unmap_single(dev, dma, len, DMA_FROM_DEVICE);
	kfree(st);
	kfree(fx);
	dmasim_device_destroy(dev);
	return 0;
}
