// SPDX-License-Identifier: MIT
/* A forked child reports under its own pid: the child unmaps with the wrong size, the parent is
 * clean. Prints "child=<pid>" for the checker. */
#include <sys/wait.h>
#include <unistd.h>

#include "../e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t dma = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	int status;
	pid_t pid;

	if (dma_mapping_error(dev, dma))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dma_unmap_single(dev, dma, 128, DMA_TO_DEVICE);
		exit(0);
	}
	printf("child=%d\n", (int)pid);
	waitpid(pid, &status, 0);
	printf("child_status=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	dma_unmap_single(dev, dma, 256, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
