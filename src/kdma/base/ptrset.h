/* SPDX-License-Identifier: MIT */
/*
 * A set of live object pointers (devices, dma_pools): what an API entry point checks before it
 * dereferences the pointer it was given, so that garbage or a destroyed object is a message and an
 * error return instead of a crash. A removed pointer is remembered as destroyed, as long as there
 * is room, so that a use after destroy can be named as such.
 *
 * Lookups take no lock (the map path does one per call); additions and removals take the set's
 * mutex, which is held across fork() so that a child never inherits it locked.
 */
#ifndef KDMA_BASE_PTRSET_H
#define KDMA_BASE_PTRSET_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

enum kdma_ptr_state {
	KDMA_PTR_UNKNOWN = 0, /* never added (or forgotten since its removal) */
	KDMA_PTR_LIVE,
	KDMA_PTR_DEAD, /* added, then removed */
};

struct kdma_ptrset_table;

struct kdma_ptrset {
	_Atomic(struct kdma_ptrset_table *) table;
	pthread_mutex_t lock;
	size_t used; /* live and dead slots of the current table */
	size_t live;
	atomic_bool registered; /* in the fork handlers' list */
};

#define KDMA_PTRSET_INIT { .lock = PTHREAD_MUTEX_INITIALIZER }

/* 0, or -ENOMEM (the object then cannot be used with the API: it was never added). */
int kdma_ptrset_add(struct kdma_ptrset *set, const void *p);
/* Mark p destroyed; a no-op for a pointer that is not live. */
void kdma_ptrset_del(struct kdma_ptrset *set, const void *p);
enum kdma_ptr_state kdma_ptrset_state(struct kdma_ptrset *set, const void *p);

#endif
