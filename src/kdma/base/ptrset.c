// SPDX-License-Identifier: MIT
/*
 * An open-addressing hash table of atomic slots, linear probing. A slot holds the pointer, with
 * bit 0 set once it was removed (objects are at least 2-aligned; an odd pointer is never live).
 * Readers load the table and probe with acquire loads, never locking. Writers hold the mutex.
 *
 * A full table (live plus dead slots over half of it) is replaced by one sized for the live
 * pointers, keeping as many dead ones as fit in a quarter. The old table is never freed: a reader
 * may still probe it; it only holds older answers. Sizes grow geometrically, so the retired
 * tables together stay smaller than the current one times two.
 */
#include <errno.h>
#include <stdint.h>

#include "base/ptrset.h"
#include "mm/mm.h"

#define PTRSET_DEAD ((uintptr_t)1)
#define PTRSET_MIN_SLOTS 64

struct kdma_ptrset_table {
	size_t mask;
	struct kdma_ptrset_table *retired; /* the table this one replaced */
	_Atomic uintptr_t slot[];
};

static size_t ptrset_hash(uintptr_t key, size_t mask)
{
	return (size_t)(((key >> 3) * 0x9e3779b97f4a7c15ULL) >> 24) & mask;
}

/* The slot of key, or of the empty slot ending its probe sequence. */
static _Atomic uintptr_t *ptrset_probe(struct kdma_ptrset_table *t, uintptr_t key)
{
	for (size_t i = ptrset_hash(key, t->mask);; i = (i + 1) & t->mask) {
		uintptr_t v = atomic_load_explicit(&t->slot[i], memory_order_acquire);

		if (!v || (v & ~PTRSET_DEAD) == key)
			return &t->slot[i];
	}
}

enum kdma_ptr_state kdma_ptrset_state(struct kdma_ptrset *set, const void *p)
{
	struct kdma_ptrset_table *t = atomic_load_explicit(&set->table, memory_order_acquire);
	uintptr_t key = (uintptr_t)p, v;

	if (!t || !key || (key & PTRSET_DEAD))
		return KDMA_PTR_UNKNOWN;
	v = atomic_load_explicit(ptrset_probe(t, key), memory_order_acquire);
	if (!v)
		return KDMA_PTR_UNKNOWN;
	return v & PTRSET_DEAD ? KDMA_PTR_DEAD : KDMA_PTR_LIVE;
}

/* ------------------------------------------------------------------ fork safety ---- */

#define PTRSET_MAX_SETS 8
static struct kdma_ptrset *fork_sets[PTRSET_MAX_SETS];
static atomic_uint nr_fork_sets;
static pthread_once_t fork_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t fork_sets_lock = PTHREAD_MUTEX_INITIALIZER;

static void ptrset_prefork(void)
{
	pthread_mutex_lock(&fork_sets_lock);
	for (unsigned int i = 0; i < atomic_load(&nr_fork_sets); i++)
		pthread_mutex_lock(&fork_sets[i]->lock);
}

static void ptrset_postfork(void)
{
	for (unsigned int i = atomic_load(&nr_fork_sets); i-- > 0;)
		pthread_mutex_unlock(&fork_sets[i]->lock);
	pthread_mutex_unlock(&fork_sets_lock);
}

static void ptrset_atfork_init(void)
{
	pthread_atfork(ptrset_prefork, ptrset_postfork, ptrset_postfork);
}

/* Called with set->lock NOT held (the fork handlers take fork_sets_lock first). */
static void ptrset_register_fork(struct kdma_ptrset *set)
{
	pthread_once(&fork_once, ptrset_atfork_init);
	pthread_mutex_lock(&fork_sets_lock);
	if (!atomic_load(&set->registered) && atomic_load(&nr_fork_sets) < PTRSET_MAX_SETS) {
		fork_sets[atomic_load(&nr_fork_sets)] = set;
		atomic_fetch_add(&nr_fork_sets, 1);
		atomic_store(&set->registered, true);
	}
	pthread_mutex_unlock(&fork_sets_lock);
}

/* ---------------------------------------------------------------------- writers ---- */

static void ptrset_put(struct kdma_ptrset_table *t, uintptr_t v)
{
	atomic_store_explicit(ptrset_probe(t, v & ~PTRSET_DEAD), v, memory_order_release);
}

/* A new table for the live pointers of old (plus its dead ones while they fit). Locked. */
static bool ptrset_rebuild(struct kdma_ptrset *set, struct kdma_ptrset_table *old)
{
	size_t slots = PTRSET_MIN_SLOTS, used = 0;
	struct kdma_ptrset_table *t;

	while (slots < 4 * (set->live + 1))
		slots *= 2;
	t = kdma_zalloc(sizeof(*t) + slots * sizeof(t->slot[0]));
	if (!t)
		return false;
	t->mask = slots - 1;
	t->retired = old;
	for (size_t pass = 0; old && pass < 2; pass++) {
		for (size_t i = 0; i <= old->mask; i++) {
			uintptr_t v = atomic_load_explicit(&old->slot[i], memory_order_relaxed);
			bool dead = v & PTRSET_DEAD;

			/* live ones first, then the dead while a quarter of the table is free */
			if (!v || dead != (pass == 1) || (dead && used >= slots / 4))
				continue;
			ptrset_put(t, v);
			used++;
		}
	}
	set->used = used;
	atomic_store_explicit(&set->table, t, memory_order_release);
	return true;
}

int kdma_ptrset_add(struct kdma_ptrset *set, const void *p)
{
	uintptr_t key = (uintptr_t)p;
	struct kdma_ptrset_table *t;
	_Atomic uintptr_t *slot;
	int ret = 0;

	if (!key || (key & PTRSET_DEAD))
		return -EINVAL;
	if (!atomic_load_explicit(&set->registered, memory_order_acquire))
		ptrset_register_fork(set);
	pthread_mutex_lock(&set->lock);
	t = atomic_load_explicit(&set->table, memory_order_relaxed);
	if ((!t || 2 * (set->used + 1) > t->mask + 1) && !ptrset_rebuild(set, t)) {
		ret = -ENOMEM;
		goto out;
	}
	t = atomic_load_explicit(&set->table, memory_order_relaxed);
	slot = ptrset_probe(t, key);
	if (!atomic_load_explicit(slot, memory_order_relaxed))
		set->used++;
	if (atomic_load_explicit(slot, memory_order_relaxed) != key)
		set->live++;
	atomic_store_explicit(slot, key, memory_order_release);
out:
	pthread_mutex_unlock(&set->lock);
	return ret;
}

void kdma_ptrset_del(struct kdma_ptrset *set, const void *p)
{
	uintptr_t key = (uintptr_t)p;
	struct kdma_ptrset_table *t;
	_Atomic uintptr_t *slot;

	if (!key || (key & PTRSET_DEAD))
		return;
	pthread_mutex_lock(&set->lock);
	t = atomic_load_explicit(&set->table, memory_order_relaxed);
	if (t) {
		slot = ptrset_probe(t, key);
		if (atomic_load_explicit(slot, memory_order_relaxed) == key) {
			atomic_store_explicit(slot, key | PTRSET_DEAD, memory_order_release);
			set->live--;
		}
	}
	pthread_mutex_unlock(&set->lock);
}
