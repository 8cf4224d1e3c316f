/* SPDX-License-Identifier: MIT */
/*
 * Shared by the pool tests (test_dmapool.c, test_coherent.c, test_atomic_pool.c,
 * test_managed.c): a recording hook table installed in place of the sanitizer's, and stderr
 * capture for the kernel-style messages. Header-only; each test file is its own program.
 */
#ifndef DMASAN_TESTS_POOLS_TESTLIB_H
#define DMASAN_TESTS_POOLS_TESTLIB_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <linux/dma-mapping.h>
#include <dmasan/sim.h>

#include "kdma/dma/dma.h"

#define TL_MAX_EVENTS 4096

struct tl_event {
	char kind; /* 'p' pool, 'a' alloc, 'f' free */
	enum kdma_pool_event ev;
	struct dma_pool *pool;
	struct device *dev;
	const void *vaddr;
	dma_addr_t handle;
	size_t size;
	enum kdma_map_type type;
};

static pthread_mutex_t tl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tl_event tl_events[TL_MAX_EVENTS];
static size_t tl_nevents;
static size_t tl_pool_counts[16], tl_alloc_count, tl_free_count; /* beyond the array too */

static inline void tl_record(struct tl_event e)
{
	pthread_mutex_lock(&tl_lock);
	if (tl_nevents < TL_MAX_EVENTS)
		tl_events[tl_nevents++] = e;
	if (e.kind == 'p')
		tl_pool_counts[e.ev]++;
	else
		*(e.kind == 'a' ? &tl_alloc_count : &tl_free_count) += 1;
	pthread_mutex_unlock(&tl_lock);
}

static inline void tl_pool_hook(struct dma_pool *pool, struct device *dev, const char *name,
			 enum kdma_pool_event ev, const void *vaddr, dma_addr_t handle, size_t size)
{
	tl_record((struct tl_event){ .kind = 'p', .ev = ev, .pool = pool, .dev = dev,
				     .vaddr = vaddr, .handle = handle, .size = size });
}

static inline void tl_alloc_hook(struct device *dev, enum kdma_map_type type, size_t size,
			  const void *cpu_addr, dma_addr_t handle, enum dma_data_direction dir,
			  unsigned long attrs)
{
	tl_record((struct tl_event){ .kind = 'a', .dev = dev, .vaddr = cpu_addr, .handle = handle,
				     .size = size, .type = type });
}

static inline void tl_free_hook(struct device *dev, enum kdma_map_type type, size_t size,
			 const void *cpu_addr, dma_addr_t handle, enum dma_data_direction dir)
{
	tl_record((struct tl_event){ .kind = 'f', .dev = dev, .vaddr = cpu_addr, .handle = handle,
				     .size = size, .type = type });
}

static const struct kdma_hooks tl_hooks = {
	.size = sizeof(struct kdma_hooks),
	.alloc = tl_alloc_hook,
	.free = tl_free_hook,
	.pool = tl_pool_hook,
};

/* Install the recording table (after the one-time lookup, so it is not overwritten). */
static inline void tl_hooks_install(void)
{
	kdma_hooks_init();
	kdma_hooks_table = &tl_hooks;
	pthread_mutex_lock(&tl_lock);
	tl_nevents = 0;
	memset(tl_pool_counts, 0, sizeof(tl_pool_counts));
	tl_alloc_count = tl_free_count = 0;
	pthread_mutex_unlock(&tl_lock);
}

static inline void tl_hooks_remove(void)
{
	kdma_hooks_table = NULL;
}

/* Number of recorded events of a kind ('p' with a pool event, or 'a'/'f' with ev ignored). */
static inline size_t tl_count(char kind, enum kdma_pool_event ev)
{
	size_t n;

	pthread_mutex_lock(&tl_lock);
	n = kind == 'p' ? tl_pool_counts[ev] : kind == 'a' ? tl_alloc_count : tl_free_count;
	pthread_mutex_unlock(&tl_lock);
	return n;
}

/* The last recorded event of that kind, or NULL. */
static inline const struct tl_event *tl_last(char kind, enum kdma_pool_event ev)
{
	const struct tl_event *found = NULL;

	pthread_mutex_lock(&tl_lock);
	for (size_t i = 0; i < tl_nevents; i++)
		if (tl_events[i].kind == kind && (kind != 'p' || tl_events[i].ev == ev))
			found = &tl_events[i];
	pthread_mutex_unlock(&tl_lock);
	return found;
}

static inline bool tl_all_bytes(const void *p, int c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != c)
			return false;
	return true;
}

/* stderr capture: everything written to fd 2 between begin and end is returned (malloc'd). */
struct tl_capture {
	FILE *tmp;
	int saved;
};

static inline void tl_capture_begin(struct tl_capture *c)
{
	fflush(stderr);
	c->tmp = tmpfile();
	cr_assert_not_null(c->tmp);
	c->saved = dup(2);
	dup2(fileno(c->tmp), 2);
}

static inline char *tl_capture_end(struct tl_capture *c)
{
	long len;
	char *buf;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	len = ftell(c->tmp);
	buf = calloc(1, (size_t)len + 1);
	rewind(c->tmp);
	if (len > 0 && fread(buf, 1, (size_t)len, c->tmp) != (size_t)len)
		buf[0] = '\0';
	fclose(c->tmp);
	return buf;
}

/* A cache-coherent simulated device with 64-bit masks (chunks from ordinary memory). */
static inline struct device *tl_device(const char *name)
{
	struct dmasim_config cfg = {
		.name = name,
		.dma_mask = DMA_BIT_MASK(64),
		.coherent_dma_mask = DMA_BIT_MASK(64),
		.coherent = true,
	};
	struct device *dev = dmasim_device_create(&cfg);

	cr_assert_not_null(dev);
	return dev;
}

#endif
