/* SPDX-License-Identifier: MIT */
/*
 * Stack capture: libunwind's local unw_backtrace (DWARF CFI, correct for any code), or with
 * fast_unwind=1 a frame-pointer walk, which is only complete when every function on the stack
 * keeps its frame pointer (-fno-omit-frame-pointer) and stops early otherwise. Either way frames
 * are PCs (return addresses) stored in the depot; symbolisation waits until a report prints them.
 */
#define _GNU_SOURCE
#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include "rt/options.h"
#include "stacks/depot.h"
#include "stacks/stack.h"

/* libunwind looks up unwind info for every frame; its per-thread cache of that lookup makes
 * repeated captures from the same call sites (the common case: a driver's map and unmap paths)
 * several times cheaper. Set once, before the first capture. */
static pthread_once_t unw_once = PTHREAD_ONCE_INIT;

static void unw_setup(void)
{
	void *pc;

	unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
	unw_backtrace(&pc, 1); /* libunwind's own one-time set-up, under its own lock */
}

/*
 * fork: libunwind takes locks of its own (its one-time set-up, its memory pools) that no
 * pthread_atfork handler of ours can take. A child forked while another thread was inside
 * libunwind would find such a lock held forever. So the forking thread completes the set-up,
 * raises unw_fork_pending and waits until no thread is inside libunwind; until fork() is over a
 * capture waits (it yields; the same call site keeps one stack, so deduplication holds), or,
 * when its caller may hold a runtime lock fork needs, walks frame pointers instead.
 */
static atomic_bool unw_fork_pending;
static atomic_int unw_users;

static bool unw_enter(bool may_wait)
{
	for (;;) {
		if (!atomic_load(&unw_fork_pending)) {
			atomic_fetch_add(&unw_users, 1);
			if (!atomic_load(&unw_fork_pending))
				return true;
			atomic_fetch_sub(&unw_users, 1);
		}
		if (!may_wait)
			return false;
		sched_yield();
	}
}

bool dmasan_unw_enter(void)
{
	return unw_enter(false);
}

void dmasan_unw_leave(void)
{
	atomic_fetch_sub(&unw_users, 1);
}

void dmasan_stack_fork_prepare(void)
{
	pthread_once(&unw_once, unw_setup);
	atomic_store(&unw_fork_pending, true);
	while (atomic_load(&unw_users))
		sched_yield();
}

void dmasan_stack_fork_done(void)
{
	atomic_store(&unw_fork_pending, false);
}

/* Frames kept per stack in this process; options are read before the first capture. */
static unsigned int capture_depth(void)
{
	int d = dmasan_opts.stack_depth;

	return d >= 1 && d <= DMASAN_MAX_FRAMES ? (unsigned int)d : 16;
}

static __thread uintptr_t stack_lo, stack_hi; /* this thread's stack, for the fp walk */

static void thread_stack_bounds(void)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;

	if (pthread_getattr_np(pthread_self(), &attr))
		return;
	if (!pthread_attr_getstack(&attr, &addr, &size)) {
		stack_lo = (uintptr_t)addr;
		stack_hi = (uintptr_t)addr + size;
	}
	pthread_attr_destroy(&attr);
}

/* out[0] is the return address into the caller of fp_unwind (as unw_backtrace's first frame). */
static __attribute__((noinline)) unsigned int fp_unwind(uintptr_t *out, unsigned int max)
{
	const uintptr_t *fp = __builtin_frame_address(0);
	unsigned int n = 0;

	if (!stack_hi)
		thread_stack_bounds();
	while (n < max) {
		const uintptr_t *next;

		if ((uintptr_t)fp < stack_lo || (uintptr_t)(fp + 2) > stack_hi ||
		    ((uintptr_t)fp & (sizeof(*fp) - 1)))
			break;
		if (!fp[1])
			break;
		out[n++] = fp[1];
		next = (const uintptr_t *)fp[0];
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

static inline __attribute__((always_inline)) dmasan_stack_id capture(unsigned int skip,
								      bool may_wait)
{
	uintptr_t pcs[DMASAN_MAX_FRAMES + 16];
	unsigned int want, n;

	/* Frame 0 is this function: skip it and `skip` more. */
	skip += 1;
	if (skip > 16)
		skip = 16;
	want = capture_depth() + skip;
	if (dmasan_opts.fast_unwind || !unw_enter(may_wait)) {
		n = fp_unwind(pcs, want);
	} else {
		int r;

		pthread_once(&unw_once, unw_setup);
		r = unw_backtrace((void **)pcs, (int)want);
		dmasan_unw_leave();
		n = r > 0 ? (unsigned int)r : 0;
	}
	if (n <= skip)
		return 0;
	return dmasan_stack_put(pcs + skip, n - skip);
}

__attribute__((noinline)) dmasan_stack_id dmasan_stack_capture(unsigned int skip)
{
	return capture(skip, true);
}

__attribute__((noinline)) dmasan_stack_id dmasan_stack_capture_nowait(unsigned int skip)
{
	return capture(skip, false);
}
