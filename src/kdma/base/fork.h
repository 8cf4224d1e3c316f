/* SPDX-License-Identifier: MIT */
/*
 * fork() with threads (base/fork.c): the process-wide locks of libkdma's allocators, each
 * module's pair, taken before fork() and released after it in the parent and the child.
 */
#ifndef DMASAN_KDMA_BASE_FORK_H
#define DMASAN_KDMA_BASE_FORK_H

#include <stdbool.h>

/* Every pair below, in order: the sanitizer's fork_lock service (base/fork.c). */
void kdma_fork_lock(void);
void kdma_fork_unlock(bool child);

void kdma_dmapool_fork_lock(void);    /* dma/dmapool.c: the pool lists */
void kdma_dmapool_fork_unlock(bool child);
void kdma_atomic_pool_fork_lock(void); /* dma/pool.c: the atomic pools and their worker */
void kdma_atomic_pool_fork_unlock(bool child);
void kdma_swiotlb_fork_lock(void);    /* dma/swiotlb.c: growth, then every pool's areas */
void kdma_swiotlb_fork_unlock(bool child);
void kdma_slab_fork_lock(void);       /* mm/slab.c: the kmalloc caches */
void kdma_slab_fork_unlock(bool child);
void kdma_zone_fork_lock(void);       /* mm/zone.c: arena growth, then every zone and arena */
void kdma_zone_fork_unlock(bool child);

#endif
