// SPDX-License-Identifier: MIT
/*
 * cpu-read-device-owned trapped on one thread and reported from another: the main thread reads
 * an RX status word the device still owns, then the device model's thread writes the next one.
 * The report must name the main thread (T0), whose stack it shows, not the device model's,
 * whichever thread turns the trap into a report. The fix syncs before reading.
 * E2E_TID: 0
 */
#include <pthread.h>

#include "e2e.h"

static struct device *dev;
static dma_addr_t dma;

static void *device_model(void *arg)
{
	u32 next = 0x2;

	dmasim_dma_write(dev, dma, &next, sizeof(next)); /* the next status, from the model's thread */
	return NULL;
}

int main(void)
{
	u32 *status = kzalloc(128, GFP_KERNEL), done = 0x1, seen;
	pthread_t t;

	dev = e2e_device(NULL);
	dma = dma_map_single(dev, status, 128, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, dma))
		return 1;
	dmasim_dma_write(dev, dma, &done, sizeof(done));
	BUGGY((void)0, dma_sync_single_for_cpu(dev, dma, sizeof(u32), DMA_FROM_DEVICE));
	seen = READ_ONCE(status[0]);
	BUGGY((void)0, dma_sync_single_for_device(dev, dma, sizeof(u32), DMA_FROM_DEVICE));
	if (seen != done)
		fprintf(stderr, "stale status 0x%x\n", seen);
	pthread_create(&t, NULL, device_model, NULL);
	pthread_join(t, NULL);
	dma_unmap_single(dev, dma, 128, DMA_FROM_DEVICE);
	kfree(status);
	dmasim_device_destroy(dev);
	return BUGGY(0, seen != done);
}
