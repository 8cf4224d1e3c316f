/* SPDX-License-Identifier: MIT */
/*
 * The per-thread reentrancy guard: set while the sanitizer itself runs (a hook, an interceptor's
 * check, a report), so that what it does in turn (malloc/free inside dlsym, libunwind, libdw,
 * stdio) is never tracked or checked.
 */
#ifndef DMASAN_SAN_GUARD_H
#define DMASAN_SAN_GUARD_H

extern __thread int san_guard __attribute__((tls_model("initial-exec"), visibility("hidden")));

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

#endif
