/* SPDX-License-Identifier: MIT */
/*
 * The table's locks: tiny spinlocks. Critical sections are a few pointer updates and never call
 * out, and the machine may have fewer cores than threads, so a waiter yields. Table locks are not
 * held together, but for a device record's creation (devices.c, then arena.c); fork takes them
 * all (rt/fork.c).
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

#endif
