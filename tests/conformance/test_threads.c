// SPDX-License-Identifier: MIT
/* Thread safety: several threads map, access and unmap on one device at the same time, and
 * devices are created and destroyed concurrently. Outcomes never depend on timing. */
#include <pthread.h>

#include "conf.h"

#define NTHREADS 4
#define ROUNDS 2000

struct worker {
	struct device *dev;
	int id;
	int errors;
};

static void *map_loop(void *arg)
{
	struct worker *w = arg;
	unsigned char *buf = kmalloc(512, GFP_KERNEL), out[512];

	for (int r = 0; r < ROUNDS; r++) {
		enum dma_data_direction dir = r & 1 ? DMA_TO_DEVICE : DMA_BIDIRECTIONAL;
		dma_addr_t h;

		memset(buf, w->id * 31 + r, 512);
		h = dma_map_single(w->dev, buf, 512, dir);
		if (dma_mapping_error(w->dev, h) || dmasim_dma_read(w->dev, h, out, 512) ||
		    memcmp(out, buf, 512))
			w->errors++;
		if (!dma_mapping_error(w->dev, h))
			dma_unmap_single(w->dev, h, 512, dir);
	}
	kfree(buf);
	return NULL;
}

static void run_workers(struct device *dev)
{
	pthread_t t[NTHREADS];
	struct worker w[NTHREADS];
	int i;

	for (i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ .dev = dev, .id = i };
		cr_assert_eq(pthread_create(&t[i], NULL, map_loop, &w[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(w[i].errors, 0, "thread %d saw %d bad rounds", i, w[i].errors);
	}
}

Test(threads, concurrent_direct_maps)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);

	run_workers(dev);
	dmasim_device_destroy(dev);
}

Test(threads, concurrent_bounced_maps)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(32), false, DMASIM_BOUNCE_FORCE);

	run_workers(dev);
	dmasim_device_destroy(dev);
}

Test(threads, concurrent_iommu_maps)
{
	struct dmasim_config cfg = { .iommu = DMASIM_IOMMU_LAZY };
	struct device *dev = dmasim_device_create(&cfg);

	cr_assert_not_null(dev);
	run_workers(dev);
	dmasim_device_destroy(dev);
}

static void *create_loop(void *arg)
{
	const char **names = arg;

	for (int r = 0; r < 50; r++) {
		struct device *dev = dmasim_device_create(NULL);
		void *p = devm_kzalloc(dev, 64, GFP_KERNEL);

		if (r == 0)
			names[0] = strdup(dev_name(dev));
		if (!p)
			names[1] = "devm_kzalloc failed";
		dmasim_device_destroy(dev);
	}
	return NULL;
}

Test(threads, concurrent_device_lifecycles_get_unique_names)
{
	pthread_t t[NTHREADS];
	const char *names[NTHREADS][2] = { { 0 } };
	int i, j;

	for (i = 0; i < NTHREADS; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, create_loop, names[i]), 0);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < NTHREADS; i++) {
		cr_assert_null(names[i][1]);
		for (j = 0; j < i; j++)
			cr_assert_str_neq(names[i][0], names[j][0]);
	}
}
