// SPDX-License-Identifier: MIT
/* A correct DMA program that ends in the way argv[1] names: "exit" (normally), "abort", "kill"
 * (SIGKILL), "_exit" or "segv" (a NULL write). Every way but "exit" skips dmasan's exit work, so
 * its JSON file has the run record and no summary record. */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "e2e.h"

int main(int argc, char **argv)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(64, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, 64, DMA_TO_DEVICE);
	const char *how = argc > 1 ? argv[1] : "exit";

	if (dma_mapping_error(dev, dma))
		return 1;
	dma_unmap_single(dev, dma, 64, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	if (!strcmp(how, "abort"))
		abort();
	if (!strcmp(how, "kill"))
		raise(SIGKILL);
	if (!strcmp(how, "_exit"))
		_exit(0);
	if (!strcmp(how, "segv"))
		*(volatile int *)(uintptr_t)argc = 0; /* argc is 2: an unmapped address */
	return 0;
}
