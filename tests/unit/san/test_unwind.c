/* SPDX-License-Identifier: MIT */
/*
 * The fast unwinder against libunwind: the same frames through functions without frame
 * pointers (rbp holding garbage across the call), through libc, and from a signal handler.
 */
#define UNW_LOCAL_ONLY
#include <criterion/criterion.h>
#include <libunwind.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "san/rt/options.h"
#include "san/stacks/stack.h"
#include "san/stacks/unwind.h"

#define MAXF 64

struct both {
	uintptr_t fast[MAXF], slow[MAXF];
	int nfast, nslow;
};

/* Frame 0 of each walk is its own call site in here; from frame 1 on they must agree. */
static __attribute__((noinline)) void walk_both(struct both *b)
{
	b->nfast = dmasan_unwind_fast(b->fast, MAXF, NULL);
	__asm__ volatile("" ::: "memory");
	b->nslow = unw_backtrace((void **)b->slow, MAXF);
	__asm__ volatile("" ::: "memory");
}

static void assert_same(const struct both *b, int at_least)
{
	cr_assert_gt(b->nfast, 0, "the fast walk gave up (%d)", b->nfast);
	cr_assert_eq(b->nfast, b->nslow, "fast %d frames, libunwind %d", b->nfast, b->nslow);
	cr_assert_geq(b->nfast, at_least);
	for (int i = 1; i < b->nfast; i++)
		cr_assert_eq(b->fast[i], b->slow[i], "frame %d: %#lx vs %#lx", i,
			     (unsigned long)b->fast[i], (unsigned long)b->slow[i]);
}

/* Built without a frame pointer, and with rbp overwritten across the call, so that a plain
 * frame-pointer walk would lose (or invent) the callers. */
static __attribute__((noinline, optimize("omit-frame-pointer"))) void
no_fp_leaf(struct both *b, int depth)
{
	volatile char pad[40]; /* a frame of its own, CFA from rsp */

	pad[0] = (char)depth;
	(void)pad[0];
	__asm__ volatile("movq $0x5a5a5a5a5a5a5a5a, %%rbp" ::: "rbp", "memory");
	walk_both(b);
	__asm__ volatile("" ::: "memory");
}

static __attribute__((noinline, optimize("omit-frame-pointer"))) void
no_fp_mid(struct both *b, int depth)
{
	if (depth)
		no_fp_mid(b, depth - 1);
	else
		no_fp_leaf(b, depth);
	__asm__ volatile("" ::: "memory");
}

static __attribute__((noinline)) void with_fp(struct both *b)
{
	no_fp_mid(b, 3);
	__asm__ volatile("" ::: "memory");
}

Test(unwind, matches_libunwind_through_code_without_frame_pointers)
{
	struct both b;

	with_fp(&b);
	/* walk_both's caller, no_fp_leaf, four no_fp_mid, with_fp, this test, criterion */
	assert_same(&b, 8);
}

static int cmp_int(const void *x, const void *y)
{
	static struct both *b;

	if (!x) { /* the set-up call: remember where to walk into */
		b = (struct both *)y;
		return 0;
	}
	if (b) {
		walk_both(b);
		b = NULL;
	}
	return *(const int *)x - *(const int *)y;
}

Test(unwind, matches_libunwind_through_libc_callbacks)
{
	struct both b;
	int v[4] = { 3, 1, 2, 0 };

	cmp_int(NULL, &b);
	qsort(v, 4, sizeof(v[0]), cmp_int);
	/* cmp_int, qsort's internals, this test */
	assert_same(&b, 4);
}

static struct both sig_walk;
static volatile sig_atomic_t sig_ran;

static void on_signal(int sig)
{
	walk_both(&sig_walk);
	sig_ran = 1;
}

Test(unwind, signal_frames_go_to_libunwind_and_capture_stays_complete)
{
	const uintptr_t *pcs;
	unsigned int n;
	dmasan_stack_id id;

	dmasan_options_defaults(&dmasan_opts);
	signal(SIGUSR1, on_signal);
	raise(SIGUSR1);
	cr_assert(sig_ran);
	/* the signal trampoline has no plain CFA rule: the fast walk declines */
	cr_assert_eq(sig_walk.nfast, -1);
	cr_assert_gt(sig_walk.nslow, 4);
	/* and a capture is still libunwind's full stack */
	id = dmasan_stack_capture(0);
	n = dmasan_stack_get(id, &pcs);
	cr_assert_geq(n, 3);
}

static __attribute__((noinline)) dmasan_stack_id capture_here(void)
{
	dmasan_stack_id id = dmasan_stack_capture(0);

	__asm__ volatile("" ::: "memory");
	return id;
}

static __attribute__((noinline, optimize("omit-frame-pointer"))) dmasan_stack_id
capture_no_fp(void)
{
	dmasan_stack_id id;

	__asm__ volatile("movq $0x1234, %%rbp" ::: "rbp", "memory");
	id = capture_here();
	__asm__ volatile("" ::: "memory");
	return id;
}

Test(unwind, capture_names_the_caller_of_a_function_without_fp)
{
	const uintptr_t *pcs;
	struct dmasan_frame f;
	unsigned int n;

	dmasan_options_defaults(&dmasan_opts);
	n = dmasan_stack_get(capture_no_fp(), &pcs);
	cr_assert_geq(n, 3);
	dmasan_symbolize(pcs[0], &f);
	cr_assert_str_eq(f.function, "capture_here");
	dmasan_symbolize(pcs[1], &f);
	cr_assert_str_eq(f.function, "capture_no_fp");
	dmasan_symbolize(pcs[2], &f);
	cr_assert(strstr(f.function, "capture_names_the_caller_of_a_function_without_fp"), "%s",
		  f.function);
}
