/* SPDX-License-Identifier: MIT */
/*
 * The runtime's own memory running out. The runtime's allocators (table entries, the stack depot,
 * ownership state, CPU-access tracking) ask san_mem_fail() first (the failure injection of tests)
 * and call san_mem_failed() when they get nothing; device records only report real failures.
 * The runtime never disables itself: it says once per kind of memory what the process loses,
 * counts what went untracked, and goes on checking everything else. Reports made afterwards
 * carry the count.
 */
#ifndef DMASAN_SAN_OOM_H
#define DMASAN_SAN_OOM_H

#include <stdbool.h>

enum san_mem {
	SAN_MEM_ENTRY,      /* a live mapping's table entry */
	SAN_MEM_DEVICE,     /* a device's bus-address index */
	SAN_MEM_STACK,      /* a stack in the depot */
	SAN_MEM_SHADOW,     /* a mapping's ownership state */
	SAN_MEM_CPU_ACCESS, /* CPU-access tracking of a buffer */
	SAN_MEM__COUNT
};

/* Whether this allocation must fail: the test hook's budget is spent. */
bool san_mem_fail(void);
/* An allocation for `what` failed: the one-time message, and the count. */
void san_mem_failed(enum san_mem what);
/* Failures so far of one kind. */
unsigned long san_mem_failures(enum san_mem what);

/* Test hook: after `allowed` more allocations, every allocation of the runtime fails; ~0UL: none
 * fails (the default). Not thread-safe against itself; allocations may run meanwhile. */
void san_mem_inject_failures(unsigned long allowed);

#endif
