// SPDX-License-Identifier: MIT
/*
 * stress_threads THREADS ITERATIONS FORKS: worker threads map, sync, play the device, unmap,
 * allocate coherent memory and dma_pool blocks, on one device they share (behind a strict IOMMU)
 * and on one device each (direct, non-coherent), and ask for dumps; the main thread meanwhile
 * sends the process SIGUSR1 (the dump_signal) and forks FORKS children, each of which maps on a
 * device of its own, makes one deliberate unmap-size-mismatch and exits.
 *
 * Everything the workers do is correct but one deliberate double unmap each at the end, so the
 * outcome is exact whatever the interleaving: THREADS errors in the parent, one per child, and
 * THREADS * (ITERATIONS / 64) requested dumps. run_stress.py checks the JSON Lines files.
 * Bounded by iterations; nothing waits for time.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <dmasan/dmasan.h>
#include <dmasan/sim.h>

#define DIE(...) do { fprintf(stderr, "stress: " __VA_ARGS__); fputc('\n', stderr); exit(70); } while (0)

static struct device *shared_dev;
static struct dma_pool *shared_pool;
static unsigned int iterations;
static pthread_barrier_t start;

static struct device *new_dev(const char *name, enum dmasim_iommu iommu, bool coherent)
{
	struct dmasim_config c = { .name = name, .driver = "stress", .iommu = iommu,
				   .coherent = coherent };
	struct device *dev = dmasim_device_create(&c);

	if (!dev)
		DIE("cannot create %s", name);
	return dev;
}

/* One streaming mapping, used correctly: the CPU fills, the device reads or writes within the
 * mapping in its direction, the CPU takes the buffer back. */
static void one_mapping(struct device *dev, unsigned int i)
{
	enum dma_data_direction dir = (enum dma_data_direction)(i % 3);
	size_t len = 128 << (i % 5);
	u8 *buf = kmalloc(len, GFP_KERNEL), tmp[64] = { 0 };
	dma_addr_t h;
	int ret;

	if (!buf)
		DIE("kmalloc");
	memset(buf, (int)i, len);
	h = dma_map_single(dev, buf, len, dir);
	if (dma_mapping_error(dev, h))
		DIE("map failed");
	if (dir != DMA_FROM_DEVICE && (ret = dmasim_dma_read(dev, h, tmp, sizeof(tmp))))
		DIE("%s: device read of %#llx failed: %d", dev_name(dev), (unsigned long long)h, ret);
	if (dir != DMA_TO_DEVICE && (ret = dmasim_dma_write(dev, h, tmp, sizeof(tmp))))
		DIE("%s: device write of %#llx failed: %d", dev_name(dev), (unsigned long long)h, ret);
	dma_sync_single_for_cpu(dev, h, len, dir);
	if (dir != DMA_FROM_DEVICE)
		buf[0] ^= 1; /* the CPU owns it between the syncs */
	dma_sync_single_for_device(dev, h, len, dir);
	dma_unmap_single(dev, h, len, dir);
	kfree(buf);
}

static void one_sg(struct device *dev)
{
	struct scatterlist sg[3];
	void *bufs[3];
	int n;

	sg_init_table(sg, 3);
	for (int k = 0; k < 3; k++) {
		if (!(bufs[k] = kzalloc(512, GFP_KERNEL)))
			DIE("kzalloc");
		sg_set_buf(&sg[k], bufs[k], 512);
	}
	n = dma_map_sg(dev, sg, 3, DMA_TO_DEVICE);
	if (!n)
		DIE("map_sg failed");
	dma_sync_sg_for_cpu(dev, sg, 3, DMA_TO_DEVICE);
	dma_sync_sg_for_device(dev, sg, 3, DMA_TO_DEVICE);
	dma_unmap_sg(dev, sg, 3, DMA_TO_DEVICE);
	for (int k = 0; k < 3; k++)
		kfree(bufs[k]);
}

static void one_alloc(struct device *dev)
{
	dma_addr_t h, ph;
	void *p = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);
	void *blk = dma_pool_alloc(shared_pool, GFP_KERNEL, &ph);

	if (!p || !blk)
		DIE("coherent or pool allocation failed");
	dma_pool_free(shared_pool, blk, ph);
	dma_free_coherent(dev, 4096, p, h);
}

static void *worker(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;
	char name[32];
	struct device *own;
	u8 *buf;
	dma_addr_t h;

	snprintf(name, sizeof(name), "stress-own%u", id);
	own = new_dev(name, DMASIM_IOMMU_NONE, false);
	pthread_barrier_wait(&start);
	for (unsigned int i = 0; i < iterations; i++) {
		one_mapping(i & 1 ? shared_dev : own, i + id);
		if (i % 8 == 0)
			one_alloc(i & 2 ? shared_dev : own);
		if (i % 16 == 0)
			one_sg(i & 4 ? shared_dev : own);
		if (i % 64 == 63)
			dmasan_dump_mappings("stress-own*");
	}
	/* The deliberate error: the same handle unmapped twice (one stack: one record, counted
	 * once per thread). */
	buf = kmalloc(256, GFP_KERNEL);
	h = dma_map_single(own, buf, 256, DMA_TO_DEVICE);
	if (dma_mapping_error(own, h))
		DIE("map failed");
	dma_unmap_single(own, h, 256, DMA_TO_DEVICE);
	dma_unmap_single(own, h, 256, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(own);
	return NULL;
}

/* A forked child: its own device, correct mappings, one deliberate size mismatch, its own
 * report files. Exits through exit(), so its summary is written. */
static void child(unsigned int k)
{
	struct device *dev;
	char name[32];
	u8 *buf = kmalloc(1024, GFP_KERNEL);
	dma_addr_t h;

	snprintf(name, sizeof(name), "stress-child%u", k);
	dev = new_dev(name, DMASIM_IOMMU_LAZY, true);
	for (unsigned int i = 0; i < 50; i++)
		one_mapping(dev, i);
	h = dma_map_single(dev, buf, 1024, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, h))
		DIE("child map failed");
	dma_unmap_single(dev, h, 512, DMA_BIDIRECTIONAL);
	dmasan_dump_mappings(NULL);
	dmasim_device_destroy(dev);
	exit(0); /* the sanitizer turns it into exitcode 1: the child reported an error */
}

int main(int argc, char **argv)
{
	unsigned int nthreads = argc > 1 ? (unsigned int)atoi(argv[1]) : 8;
	unsigned int forks = argc > 3 ? (unsigned int)atoi(argv[3]) : 0;
	pthread_t t[64];
	unsigned long errors;

	iterations = argc > 2 ? (unsigned int)atoi(argv[2]) : 512;
	if (!nthreads || nthreads > 64)
		DIE("1..64 threads");
	shared_dev = new_dev("stress-shared", DMASIM_IOMMU_STRICT, false);
	shared_pool = dma_pool_create("stress", shared_dev, 96, 32, 0);
	if (!shared_pool)
		DIE("pool");
	pthread_barrier_init(&start, NULL, nthreads + 1);
	for (unsigned int i = 0; i < nthreads; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i))
			DIE("pthread_create");
	pthread_barrier_wait(&start);
	/* While the workers run: dump signals, and children forked from a busy process. */
	for (unsigned int k = 0; k < 8 && dmasan_is_active(); k++)
		kill(getpid(), SIGUSR1);
	for (unsigned int k = 0; k < forks; k++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			DIE("fork");
		if (!pid)
			child(k);
		if (waitpid(pid, &status, 0) != pid)
			DIE("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 1)
			DIE("child %u: status %#x, expected exit status 1 (its one error)", k, status);
	}
	for (unsigned int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	dma_pool_destroy(shared_pool);
	dmasim_device_destroy(shared_dev);
	errors = dmasan_error_count();
	if (errors != nthreads || dmasan_warning_count())
		DIE("%lu errors and %lu warnings, expected %u and 0", errors, dmasan_warning_count(),
		    nthreads);
	printf("stress: %u threads x %u iterations, %u children: %lu errors as expected\n",
	       nthreads, iterations, forks, errors);
	return 0;
}
