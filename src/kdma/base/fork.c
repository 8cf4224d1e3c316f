// SPDX-License-Identifier: MIT
/*
 * fork() in a threaded program: before fork() the forking thread takes libkdma's process-wide
 * allocator locks, so no other thread is inside one of them at the instant of fork(); the parent
 * and the child release them after it. Otherwise a child would inherit a lock held by a thread it
 * does not have (and hang on its first allocation) or a free list half-way through an update.
 *
 * The order, outer to inner, follows the layering: dma_pool, atomic pools and SWIOTLB take
 * pages from the slab and the zones, never the reverse (each allocates outside its own lock,
 * but a lock order that matches the layers stays right if one day one does not).
 *
 * When the sanitizer is attached it takes these locks itself, after its own (it holds its
 * locks while it asks libkdma for statistics; libkdma never calls it with one of these held),
 * through the fork_lock service; libkdma's own handlers then stand aside. (A fork at the very
 * instant the sanitizer attaches may find neither taking them: the state before this file.)
 *
 * Not covered: the locks of individual objects (a device's IOMMU domain, IOVA caches and
 * coherent area, a dma_pool, a dmaengine channel). A child that uses an object another thread of
 * the parent was using at the instant of fork() may find its lock held.
 */
#include <pthread.h>

#include "base/base.h"
#include "base/fork.h"

/* Who took this fork's locks: libkdma's own handler or the sanitizer (whichever handler
 * pthread_atfork runs first, the other one then stands aside). */
static bool own_locked, svc_locked;

static void lock_all(void)
{
	kdma_dmapool_fork_lock();
	kdma_atomic_pool_fork_lock();
	kdma_swiotlb_fork_lock();
	kdma_slab_fork_lock();
	kdma_zone_fork_lock();
}

static void unlock_all(bool child)
{
	kdma_zone_fork_unlock(child);
	kdma_slab_fork_unlock(child);
	kdma_swiotlb_fork_unlock(child);
	kdma_atomic_pool_fork_unlock(child);
	kdma_dmapool_fork_unlock(child);
}

void kdma_fork_lock(void)
{
	svc_locked = !own_locked;
	if (svc_locked)
		lock_all();
}

void kdma_fork_unlock(bool child)
{
	if (svc_locked)
		unlock_all(child);
	svc_locked = false;
}

static void fork_prepare(void)
{
	own_locked = !svc_locked && !kdma_hooks_table;
	if (own_locked)
		lock_all();
}

static void fork_release(bool child)
{
	if (own_locked)
		unlock_all(child);
	own_locked = false;
}

static void fork_parent(void)
{
	fork_release(false);
}

static void fork_child(void)
{
	fork_release(true);
}

__attribute__((constructor)) static void kdma_fork_init(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}
