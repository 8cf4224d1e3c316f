// SPDX-License-Identifier: MIT
/*
 * dmaengine-not-issued in a forked child: the parent has a descriptor submitted but not yet
 * issued when it forks (it issues it after the child is gone); that descriptor is the parent's.
 * Only the child's own submitted descriptor (on the other channel) is the child's to issue. The
 * parent exits with the child's status.
 * E2E_ONLY: yes
 */
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_dmaengine.h"

static void rx_callback(void *arg)
{
}

static void submit(struct dma_chan *chan, dma_addr_t dma, enum dma_transfer_direction dir)
{
	struct dma_async_tx_descriptor *desc;

	desc = dmaengine_prep_slave_single(chan, dma, 64, dir, DMA_PREP_INTERRUPT);
	if (!desc)
		exit(2);
	desc->callback = rx_callback;
	dmaengine_submit(desc);
}

int main(void)
{
	struct device *dmadev, *txdev;
	struct e2e_dma e;
	dma_addr_t dma, tx;
	int status;
	char *buf;
	pid_t pid;

	e2e_dma_setup(&e);
	dmadev = dmaengine_get_dma_device(e.rx);
	buf = kzalloc(128, GFP_KERNEL);
	dma = dma_map_single(dmadev, buf, 64, DMA_FROM_DEVICE);
	txdev = dmaengine_get_dma_device(e.tx);
	tx = dma_map_single(txdev, buf + 64, 64, DMA_TO_DEVICE);
	if (dma_mapping_error(dmadev, dma) || dma_mapping_error(txdev, tx))
		return 2;
	submit(e.rx, dma, DMA_DEV_TO_MEM);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		submit(e.tx, tx, DMA_MEM_TO_DEV);
		BUGGY((void)0, dma_async_issue_pending(e.tx));
		exit(0);
	}
	waitpid(pid, &status, 0);
	dma_async_issue_pending(e.rx);
	dmaengine_terminate_sync(e.rx);
	dma_unmap_single(dmadev, dma, 64, DMA_FROM_DEVICE);
	dma_unmap_single(txdev, tx, 64, DMA_TO_DEVICE);
	kfree(buf);
	e2e_dma_teardown(&e);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
}
