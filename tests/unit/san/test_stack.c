/* SPDX-License-Identifier: MIT */
/* Stack capture, the depot (dedup, ids) and symbolisation (function, file, line). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>
#include "san/rt/options.h"
#include "san/rt/runtime.h"
#include "san/stacks/stack.h"

static void setup(void)
{
	dmasan_options_defaults(&dmasan_opts);
}

TestSuite(stack, .init = setup);

static __attribute__((noinline)) dmasan_stack_id stack_probe_fn(void)
{
	dmasan_stack_id id = dmasan_stack_capture(0);

	__asm__ volatile("" ::: "memory"); /* keep the call a call, not a tail call */
	return id;
}

static __attribute__((noinline)) dmasan_stack_id other_probe_fn(void)
{
	dmasan_stack_id id = dmasan_stack_capture(0);

	__asm__ volatile("" ::: "memory");
	return id;
}

Test(stack, same_stack_same_id)
{
	dmasan_stack_id ids[3];
	volatile int n = 3; /* a loop the compiler cannot unroll: one call site */

	for (int i = 0; i < n; i++)
		ids[i] = stack_probe_fn();
	cr_assert_neq(ids[0], 0);
	cr_assert_eq(ids[0], ids[1]);
	cr_assert_eq(ids[1], ids[2]);
}

Test(stack, different_stacks_different_ids)
{
	dmasan_stack_id a = stack_probe_fn();
	dmasan_stack_id b = other_probe_fn();

	cr_assert_neq(a, 0);
	cr_assert_neq(b, 0);
	cr_assert_neq(a, b);
}

Test(stack, depot_put_compares_every_frame)
{
	uintptr_t s1[] = { 0x1000, 0x2000, 0x3000 };
	uintptr_t s2[] = { 0x1000, 0x2000, 0x3001 };
	size_t before, after, bytes;
	const uintptr_t *pcs;
	dmasan_stack_id a, b;

	dmasan_stack_stats(&before, &bytes);
	a = dmasan_stack_put(s1, 3);
	b = dmasan_stack_put(s2, 3);
	cr_assert_neq(a, b);
	cr_assert_eq(dmasan_stack_put(s1, 3), a);
	cr_assert_eq(dmasan_stack_put(s1, 2), dmasan_stack_put(s2, 2));
	cr_assert_neq(dmasan_stack_put(s1, 2), a);
	cr_assert_eq(dmasan_stack_put(s1, 0), 0);
	dmasan_stack_stats(&after, &bytes);
	cr_assert_eq(after, before + 3);
	cr_assert_eq(dmasan_stack_get(b, &pcs), 3);
	cr_assert_eq(pcs[2], 0x3001);
	cr_assert_eq(dmasan_stack_get(0, &pcs), 0);
	cr_assert_null(pcs);
}

Test(stack, many_distinct_stacks)
{
	uintptr_t s[2];

	for (uintptr_t i = 0; i < 20000; i++) {
		s[0] = 0x400000 + i;
		s[1] = i;
		dmasan_stack_id id = dmasan_stack_put(s, 2);
		const uintptr_t *pcs;

		cr_assert_eq(dmasan_stack_get(id, &pcs), 2);
		cr_assert_eq(pcs[0], 0x400000 + i);
	}
}

static __attribute__((noinline)) dmasan_stack_id recurse(int depth)
{
	dmasan_stack_id id = depth ? recurse(depth - 1) : dmasan_stack_capture(0);

	__asm__ volatile("" ::: "memory");
	return id;
}

Test(stack, depth_follows_stack_depth_option)
{
	const uintptr_t *pcs;

	/* the capture keeps room for libkdma's frames, which reports fold into the API call */
	dmasan_opts.stack_depth = 3;
	cr_assert_eq(dmasan_stack_get(recurse(20), &pcs), 3 + DMASAN_KDMA_FRAME_SLACK);
	dmasan_opts.stack_depth = 64;
	cr_assert_gt(dmasan_stack_get(recurse(10), &pcs), 10);
}

Test(stack, symbolizes_this_function_file_and_line)
{
	const uintptr_t *pcs;
	unsigned int n = dmasan_stack_get(stack_probe_fn(), &pcs);
	struct dmasan_frame f;

	cr_assert_geq(n, 2);
	dmasan_symbolize(pcs[0], &f);
	cr_assert_not_null(f.function);
	cr_assert_str_eq(f.function, "stack_probe_fn");
	cr_assert_not_null(f.file);
	cr_assert(strstr(f.file, "test_stack.c"), "file %s", f.file);
	cr_assert_gt(f.line, 0);
	cr_assert_eq(f.internal, DMASAN_FRAME_USER);
	cr_assert_not_null(f.module);
	/* cached: the same answer again */
	struct dmasan_frame g;

	dmasan_symbolize(pcs[0], &g);
	cr_assert_eq(g.function, f.function);
	cr_assert_eq(g.line, f.line);
}

Test(stack, sanitizer_frames_are_marked_internal)
{
	struct dmasan_frame f;

	/* a PC inside dmasan_stack_put (the +1: symbolisers look up pc - 1) */
	dmasan_symbolize((uintptr_t)dmasan_stack_put + 8, &f);
	cr_assert_not_null(f.function);
	cr_assert_str_eq(f.function, "dmasan_stack_put");
	cr_assert_eq(f.internal, DMASAN_FRAME_SANITIZER);
}

Test(stack, fast_unwind_stays_within_depth)
{
	const uintptr_t *pcs;
	dmasan_stack_id id;

	dmasan_opts.fast_unwind = true;
	dmasan_opts.stack_depth = 4;
	id = recurse(20);
	/* without frame pointers in every frame the walk may stop early, but never overruns
	 * (stack_depth and the room kept for libkdma's frames, which reports fold) */
	cr_assert_leq(dmasan_stack_get(id, &pcs), 4 + DMASAN_KDMA_FRAME_SLACK);
}

static void *thread_id_fn(void *arg)
{
	*(unsigned int *)arg = dmasan_thread_id();
	return NULL;
}

Test(stack, thread_ids_are_per_thread)
{
	unsigned int mine = dmasan_thread_id(), other = mine;
	pthread_t t;

	cr_assert_eq(dmasan_thread_id(), mine);
	pthread_create(&t, NULL, thread_id_fn, &other);
	pthread_join(t, NULL);
	cr_assert_neq(other, mine);
}

static volatile int inlined_calls; /* makes outer_of_inlined unlike stack_probe_fn (no ICF) */

static inline __attribute__((always_inline)) dmasan_stack_id inlined_probe(void)
{
	inlined_calls++;
	return dmasan_stack_capture(0);
}

static __attribute__((noinline)) dmasan_stack_id outer_of_inlined(void)
{
	dmasan_stack_id id = inlined_probe();

	__asm__ volatile("" ::: "memory");
	return id;
}

Test(stack, inlined_calls_expand_to_their_callers)
{
	const uintptr_t *pcs;
	struct dmasan_frame f[DMASAN_MAX_INLINE];
	unsigned int n;

	cr_assert_geq(dmasan_stack_get(outer_of_inlined(), &pcs), 1);
	n = dmasan_symbolize_inline(pcs[0], f, DMASAN_MAX_INLINE);
	cr_assert_eq(n, 2, "n=%u, innermost %s", n, f[0].function);
	cr_assert_str_eq(f[0].function, "inlined_probe");
	cr_assert_str_eq(f[1].function, "outer_of_inlined");
	cr_assert(f[1].file && strstr(f[1].file, "test_stack.c"));
	cr_assert_gt(f[1].line, f[0].line, "the call site comes after the inline function");
	/* dmasan_symbolize gives the function the code lives in */
	dmasan_symbolize(pcs[0], &f[0]);
	cr_assert_str_eq(f[0].function, "outer_of_inlined");
}

Test(stack, executable_symbols_without_export)
{
	/* static functions are in .symtab only: found at their real (PIE-relocated) address */
	cr_assert_eq(dmasan_exe_symbol("outer_of_inlined"), (uintptr_t)outer_of_inlined);
	cr_assert_eq(dmasan_exe_symbol("no_such_function_in_this_test"), 0);
}
