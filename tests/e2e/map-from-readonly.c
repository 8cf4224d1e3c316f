// SPDX-License-Identifier: MIT
/*
 * map-from-readonly. The kernel's M4 ("device driver maps memory from kernel text or rodata"):
 * a driver sends a constant firmware command table straight from .rodata instead of copying it
 * into a DMA-able buffer first (kmemdup).
 */
#include "e2e.h"

static const u8 init_cmds[256] = { 0x01, 0x02, 0x03, 0x04 };

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *cmds = BUGGY((u8 *)init_cmds, kmemdup(init_cmds, sizeof(init_cmds), GFP_KERNEL));
	dma_addr_t dma = dma_map_single(dev, cmds, sizeof(init_cmds), DMA_TO_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 1;
	dma_unmap_single(dev, dma, sizeof(init_cmds), DMA_TO_DEVICE);
	BUGGY((void)0, kfree(cmds));
	dmasim_device_destroy(dev);
	return 0;
}
