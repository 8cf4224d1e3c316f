// SPDX-License-Identifier: MIT
/*
 * invalid-pool. A dma_pool destroyed twice: the probe error path destroys the pool, and the
 * common cleanup destroys it again because the pointer was not cleared.
 * E2E_EXITCODE: 1
 */
#include <linux/dmapool.h>

#include "e2e.h"

struct adapter {
	struct device *dev;
	struct dma_pool *cmd_pool;
};

static void cleanup(struct adapter *a)
{
	dma_pool_destroy(a->cmd_pool);
	a->cmd_pool = NULL;
}

int main(void)
{
	struct adapter a = { e2e_device(NULL), NULL };

	a.cmd_pool = dma_pool_create("cmd", a.dev, 64, 8, 0);
	if (!a.cmd_pool)
		return 3;
	/* a later probe step failed: its error path releases the pool itself ... */
	dma_pool_destroy(a.cmd_pool);
	BUGGY((void)0, a.cmd_pool = NULL);
	/* ... and the common cleanup releases it again */
	cleanup(&a);
	dmasim_device_destroy(a.dev);
	return 0;
}
