// SPDX-License-Identifier: MIT
/*
 * fork() in a threaded program: one set of pthread_atfork handlers for the whole runtime.
 *
 * Before fork() the forking thread takes every runtime lock, outermost first, in the order the
 * code nests them; after it, the parent and the child release them in reverse (the child also
 * starts its own state: report counters, files under its pid, its inherited records marked as
 * its parent's). Every other thread is then outside every critical section at the instant of
 * fork(), so the child's tables are consistent and none of its locks is held by a thread it
 * does not have.
 *
 * Before any lock, the forking thread waits until no thread is inside libunwind, whose own locks
 * no handler of ours can take (stacks/stack.c).
 *
 * The order, outer to inner (a lock is only ever taken while holding locks above it):
 *   1. dump       a dump walks the table, symbolises, writes, asks libkdma for its statistics
 *   2. leaks      the leak check drains the table and reports
 *   3. fence, dma-buf, dmaengine records (each emits reports with its own lock released)
 *   4. shadow     the scatterlist shadow list (shadow → table shard, shadow → mprotect)
 *   5. mprotect   the backend's sets
 *   6. table      hash buckets, range-index shards, device records, the entry allocator
 *   7. report     deduplication and counters, then the output files
 *   8. stacks     symboliser, then the stack depot and its arena
 *   9. modules    the read-only segment map (a leaf)
 *  10. libkdma    its own locks, through its fork service: libkdma never calls the sanitizer
 *                 while holding one of them, while the sanitizer holds its locks when it asks
 *                 libkdma (statistics, kmalloc spans), so libkdma's come last.
 * libkdma's own atfork handlers stand aside while the sanitizer is attached, so its locks are
 * taken at step 10 whichever handler pthread_atfork would run first.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>

#include "rt/fork.h"
#include "rt/services.h"
#include "stacks/depot.h"

static void (*kdma_unlock)(bool child); /* the service that locked, for this fork */

static void fork_prepare(void)
{
	void (*kdma_lock)(void) = SAN_KDMA(fork_lock);

	/* First, with no lock held: libunwind may read(2) through our interceptor (mprotect). */
	dmasan_stack_fork_prepare();
	san_dump_fork_lock();
	san_leaks_fork_lock();
	san_fence_fork_lock();
	san_dmabuf_fork_lock();
	san_dmaengine_fork_lock();
	san_shadow_fork_lock();
	san_mp_fork_lock();
	san_table_fork_lock();
	san_report_fork_lock();
	san_stacks_fork_lock();
	san_modules_fork_lock();
	kdma_unlock = kdma_lock ? SAN_KDMA(fork_unlock) : NULL;
	if (kdma_unlock)
		kdma_lock();
}

static void fork_release(bool child)
{
	if (kdma_unlock)
		kdma_unlock(child);
	san_modules_fork_unlock(child);
	san_stacks_fork_unlock(child);
	san_report_fork_unlock(child);
	san_table_fork_unlock(child);
	san_mp_fork_unlock(child);
	san_shadow_fork_unlock(child);
	san_dmaengine_fork_unlock(child);
	san_dmabuf_fork_unlock(child);
	san_fence_fork_unlock(child);
	san_leaks_fork_unlock(child);
	san_dump_fork_unlock(child);
	if (child)
		san_threads_fork_child();
	dmasan_stack_fork_done();
}

static void fork_parent(void)
{
	fork_release(false);
}

static void fork_child(void)
{
	fork_release(true);
}

static void fork_register(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

void san_fork_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, fork_register);
}
