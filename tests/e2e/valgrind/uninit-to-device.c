// SPDX-License-Identifier: MIT
/*
 * uninit-to-device. A command block is kmalloc'ed (not kzalloc'ed), partly filled and handed to
 * the device: the rest is whatever the allocator left there, leaked to the hardware (the class
 * of infoleaks KMSAN's kmsan_handle_dma finds). Needs Valgrind's definedness: run under memcheck.
 */
#include "e2e.h"

struct cmd_block {
	u32 opcode;
	u32 flags;
	u8 payload[56];
};

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct cmd_block *cmd = BUGGY(kmalloc, kzalloc)(sizeof(*cmd), GFP_KERNEL);
	dma_addr_t dma;
	u8 fetched[sizeof(*cmd)];

	cmd->opcode = 0x12;
	cmd->flags = 0;
	dma = dma_map_single(dev, cmd, sizeof(*cmd), DMA_TO_DEVICE);
	if (dma_mapping_error(dev, dma))
		return 1;
	dmasim_dma_read(dev, dma, fetched, sizeof(fetched));
	dma_unmap_single(dev, dma, sizeof(*cmd), DMA_TO_DEVICE);
	kfree(cmd);
	dmasim_device_destroy(dev);
	return 0;
}
