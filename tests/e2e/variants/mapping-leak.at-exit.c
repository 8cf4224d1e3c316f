// SPDX-License-Identifier: MIT
/* mapping-leak at process exit (no unbind): mt76 (B.1 #37) stopped unmapping the first TX
 * pointer, so every frame leaked one mapping; one report for the site with the count. */
#include "e2e.h"
/* E2E_FACTS: count=8 */

static struct device *dev;

static void tx_frame(u8 *frame)
{
	dma_addr_t txp = dma_map_single(dev, frame, 64, DMA_TO_DEVICE);

	if (dma_mapping_error(dev, txp))
		return;
	BUGGY((void)0, dma_unmap_single(dev, txp, 64, DMA_TO_DEVICE));
}

int main(void)
{
	u8 *frames = kmalloc(8 * 64, GFP_KERNEL);

	dev = e2e_device(NULL);
	memset(frames, 0, 8 * 64);
	for (int i = 0; i < 8; i++)
		tx_frame(frames + i * 64);
	return 0; /* exits without unbinding */
}
