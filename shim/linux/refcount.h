/* SPDX-License-Identifier: MIT */
/* <linux/refcount.h> — reference counts; misuse (increment from 0, underflow) WARNs. */
#ifndef _DMASAN_SHIM_LINUX_REFCOUNT_H
#define _DMASAN_SHIM_LINUX_REFCOUNT_H

#include <linux/atomic.h>
#include <linux/bug.h>

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n) { .refs = ATOMIC_INIT(n) }

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return (unsigned int)atomic_read(&r->refs);
}

static inline void refcount_inc(refcount_t *r)
{
	WARN_ONCE(atomic_fetch_add(1, &r->refs) == 0, "refcount_t: addition on 0; use-after-free.\n");
}

static inline bool refcount_inc_not_zero(refcount_t *r)
{
	return atomic_inc_not_zero(&r->refs);
}

static inline bool refcount_dec_and_test(refcount_t *r)
{
	int old = atomic_fetch_sub(1, &r->refs);

	WARN_ONCE(old <= 0, "refcount_t: underflow; use-after-free.\n");
	return old == 1;
}

static inline void refcount_dec(refcount_t *r)
{
	WARN_ONCE(atomic_fetch_sub(1, &r->refs) <= 1, "refcount_t: decrement hit 0; leaking memory.\n");
}

#endif
