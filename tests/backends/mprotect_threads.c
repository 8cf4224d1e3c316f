// SPDX-License-Identifier: MIT
/*
 * Two threads map, sync and unmap receive buffers that share pages, under cpu_access=mprotect.
 * Each thread's sanitizer work touches pages the other thread's mappings keep protected, and
 * the protect/unprotect/single-step paths interleave. A correct driver: must run clean.
 * (Regression: a re-protect racing an unprotect left a page PROT_NONE for good.)
 */
#include <pthread.h>

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

static struct device *dev;

static void *worker(void *arg)
{
	int i;

	for (i = 0; i < 2000; i++) {
		char *b = kmalloc(1024, GFP_KERNEL); /* four per page */
		dma_addr_t h = dma_map_single(dev, b, 1024, DMA_FROM_DEVICE);

		if (dma_mapping_error(dev, h))
			return (void *)1;
		dmasim_dma_write(dev, h, "pkt", 4);
		dma_sync_single_for_cpu(dev, h, 128, DMA_FROM_DEVICE);
		if (b[0] != 'p')
			return (void *)1;
		dma_unmap_single(dev, h, 1024, DMA_FROM_DEVICE);
		kfree(b);
	}
	return NULL;
}

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	pthread_t t[2];
	void *ret[2];
	int i;

	dev = dmasim_device_create(&cfg);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], &ret[i]);
	dmasim_device_destroy(dev);
	return ret[0] || ret[1];
}
