// SPDX-License-Identifier: MIT
/*
 * fence-never-signalled at unbind. A driver's remove path drops the job still queued on its ring
 * without signalling the job's fence, while a buffer's reservation object (user space's) still
 * holds the fence: nothing can signal it once the device is gone, and no callback is queued yet,
 * so the last put, later, raises nothing in the kernel. Reported when the device of the fence's
 * driver (ops->get_driver_name, "e2e") is destroyed. The fix signals it with an error first.
 * E2E_ONLY: yes
 * E2E_RELATED: fence_init
 */
#include "e2e_fence.h"

int main(void)
{
	struct dmasim_config cfg = { .name = "gpu0", .driver = "e2e" };
	struct device *dev = e2e_device(&cfg);
	struct e2e_timeline tl;
	struct dma_fence *job, *held;

	e2e_timeline_init(&tl);
	job = e2e_fence_new(&tl);
	held = dma_fence_get(job); /* what a reservation object would keep */

	/* remove() */
#ifdef FIXED
	dma_fence_set_error(job, -ENODEV);
	dma_fence_signal(job);
#endif
	dma_fence_put(job);
	dmasim_device_destroy(dev);

	dma_fence_put(held); /* user space lets go of the buffer */
	return 0;
}
