// SPDX-License-Identifier: MIT
/* mapping-leak in a forked child: the parent has 1000 live mappings when it forks; the child
 * inherits them but they stay the parent's (the parent unmaps them). The child's own mapping is
 * the only one it can leak. The parent exits with the child's status. */
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"
/* E2E_FACTS: count=1 size=32 */
/* E2E_ONLY: yes */

#define N 1000

static int child(struct device *dev, u8 *buf)
{
	dma_addr_t dma = dma_map_single(dev, buf, 32, DMA_FROM_DEVICE);

	if (dma_mapping_error(dev, dma))
		return 2;
	BUGGY((void)0, dma_unmap_single(dev, dma, 32, DMA_FROM_DEVICE));
#ifdef CHILD_UNBIND
	dmasim_device_destroy(dev);
#endif
	return 0;
}

int main(void)
{
	struct device *dev = e2e_device(NULL);
	u8 *bufs = kmalloc(N * 64, GFP_KERNEL);
	dma_addr_t dma[N];
	int status;
	pid_t pid;

	for (int i = 0; i < N; i++) {
		dma[i] = dma_map_single(dev, bufs + i * 64, 32, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, dma[i]))
			return 2;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		exit(child(dev, bufs + N * 64 - 32));
	waitpid(pid, &status, 0);
	for (int i = 0; i < N; i++)
		dma_unmap_single(dev, dma[i], 32, DMA_TO_DEVICE);
	kfree(bufs);
	dmasim_device_destroy(dev);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
}
