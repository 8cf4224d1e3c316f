// SPDX-License-Identifier: MIT
/* invalid-pool: dma_pool_destroy of a pointer that never was a pool (an uninitialised field of
 * a structure reused from the heap). Refused with a report instead of a crash.
 * E2E_EXITCODE: 1 */
#include <linux/dmapool.h>

#include "e2e.h"

struct adapter {
	struct dma_pool *pool;
	char junk[64];
};

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct adapter *a = malloc(sizeof(*a));

	memset(a, 0x5a, sizeof(*a)); /* the previous user's bytes */
	a->pool = BUGGY((struct dma_pool *)a->junk, NULL);
	dma_pool_destroy(a->pool);
	free(a);
	dmasim_device_destroy(dev);
	return 0;
}
