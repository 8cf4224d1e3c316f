/* SPDX-License-Identifier: MIT */
/* The stack depot's internals shared with stack.c and the runtime's fork handlers. */
#ifndef DMASAN_SAN_DEPOT_H
#define DMASAN_SAN_DEPOT_H

#include "stacks/stack.h"

/* fork (rt/fork.c): the depot's insertion and arena locks, the symboliser's cache lock. */
void dmasan_depot_lock(void);
void dmasan_depot_unlock(void);
void dmasan_symbolize_lock(void);
void dmasan_symbolize_unlock(void);
/* fork (stack.c): no thread inside libunwind from prepare until done. */
void dmasan_stack_fork_prepare(void);
void dmasan_stack_fork_done(void);
/* Around a call into libunwind; false (do not call it) while a fork is under way. */
bool dmasan_unw_enter(void);
void dmasan_unw_leave(void);

/* Append-only memory from mmap'ed chunks, never freed (depot nodes, symbol strings). Thread-safe.
 * NULL when the address space is exhausted. */
void *dmasan_arena_alloc(size_t size);
/* A copy of s in arena memory (NULL for NULL). */
const char *dmasan_arena_strdup(const char *s);

#endif
