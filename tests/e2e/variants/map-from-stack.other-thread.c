// SPDX-License-Identifier: MIT
/* map-from-stack of another thread's stack (the kernel checks only the current task): a worker
 * passes a buffer on its own stack to the thread that submits DMA. */
#include <pthread.h>

#include "e2e.h"

static struct device *dev;
static u8 *volatile shared;
static pthread_barrier_t ready, done;

static void *worker(void *arg)
{
	u8 local[256], *own = kmalloc(64, GFP_KERNEL);
	dma_addr_t d = dma_map_single(dev, own, 64, DMA_TO_DEVICE); /* the worker does DMA too */

	if (!dma_mapping_error(dev, d))
		dma_unmap_single(dev, d, 64, DMA_TO_DEVICE);
	kfree(own);
	memset(local, 1, sizeof(local));
	shared = BUGGY(local, arg);
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&done);
	return NULL;
}

int main(void)
{
	pthread_t t;
	u8 *heap = kmalloc(256, GFP_KERNEL);
	dma_addr_t dma;

	dev = e2e_device(NULL);
	memset(heap, 1, 256);
	pthread_barrier_init(&ready, NULL, 2);
	pthread_barrier_init(&done, NULL, 2);
	pthread_create(&t, NULL, worker, heap);
	pthread_barrier_wait(&ready);
	dma = dma_map_single(dev, shared, 256, DMA_TO_DEVICE);
	if (!dma_mapping_error(dev, dma))
		dma_unmap_single(dev, dma, 256, DMA_TO_DEVICE);
	pthread_barrier_wait(&done);
	pthread_join(t, NULL);
	kfree(heap);
	dmasim_device_destroy(dev);
	return 0;
}
