/* SPDX-License-Identifier: MIT */
/*
 * The table's locks: tiny spinlocks. Critical sections are a few pointer updates and never call
 * out, and the machine may have fewer cores than threads, so a waiter yields. No two table locks
 * are ever held together, so there is no lock order to keep.
 */
#ifndef DMASAN_SAN_TABLE_SPINLOCK_H
#define DMASAN_SAN_TABLE_SPINLOCK_H

#include <sched.h>
#include <stdatomic.h>

typedef struct {
	atomic_int v;
} san_lock_t;

static inline void san_lock(san_lock_t *l)
{
	while (atomic_exchange_explicit(&l->v, 1, memory_order_acquire)) {
		while (atomic_load_explicit(&l->v, memory_order_relaxed))
			sched_yield();
	}
}

static inline void san_unlock(san_lock_t *l)
{
	atomic_store_explicit(&l->v, 0, memory_order_release);
}

/* In a fork child, only the forking thread exists: a lock another thread held at fork() would
 * never be released. Writes only held locks, so untouched pages stay shared with the parent. */
static inline void san_lock_reset_in_child(san_lock_t *l)
{
	if (atomic_load_explicit(&l->v, memory_order_relaxed))
		atomic_store(&l->v, 0);
}

#endif
