/* SPDX-License-Identifier: MIT */
/*
 * The per-thread reentrancy guard: set while the sanitizer itself runs (a hook, an interceptor's
 * check, a report), so that what it does in turn (malloc/free inside dlsym, libunwind, libdw,
 * stdio) is never tracked or checked.
 */
#ifndef DMASAN_SAN_GUARD_H
#define DMASAN_SAN_GUARD_H

#include <stdbool.h>
#include <stdint.h>

extern __thread int san_guard __attribute__((tls_model("initial-exec")));

static inline bool san_enter(void)
{
	if (san_guard)
		return false;
	san_guard = 1;
	return true;
}

static inline void san_leave(void)
{
	san_guard = 0;
}

/* A range the sanitizer already reported as released (by the kfree interposer or the mem_free
 * hook), so that the layer underneath (libkdma's hook, free()) does not report it again. */
extern __thread uintptr_t san_reported_lo
	__attribute__((tls_model("initial-exec")));
extern __thread uintptr_t san_reported_hi
	__attribute__((tls_model("initial-exec")));

static inline void san_mark_reported(uintptr_t lo, uintptr_t hi)
{
	san_reported_lo = lo;
	san_reported_hi = hi > lo ? hi : lo + 1;
}

/* True (once) if [lo, hi) meets the range marked as reported. */
static inline bool san_take_reported(uintptr_t lo, uintptr_t hi)
{
	if (!san_reported_hi || hi <= san_reported_lo || lo >= san_reported_hi)
		return false;
	san_reported_lo = san_reported_hi = 0;
	return true;
}

#endif
