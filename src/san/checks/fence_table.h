/* SPDX-License-Identifier: MIT */
/*
 * The fences the sanitizer knows, keyed by the fence pointer (never dereferenced). A released
 * fence stays as RELEASED until its memory is initialised as a fence again, so a later use names
 * where it was created and released.
 */
#ifndef DMASAN_SAN_FENCE_TABLE_H
#define DMASAN_SAN_FENCE_TABLE_H

#include <linux/types.h>

#include "stacks/stack.h"

enum san_fence_state { SAN_FENCE_LIVE = 1, SAN_FENCE_RELEASED };

struct san_fence {
	const void *key;
	u8 state;
	bool signalled;        /* by anyone */
	bool driver_signalled; /* by a dma_fence_signal*() call of the driver */
	bool uaf_reported;
	bool unbind_reported;  /* reported never-signalled when its driver's device went */
	bool inherited;        /* live in the parent when this process forked: not ours */
	bool container;        /* an array or chain: signalled through the fences it holds */
	u64 context, seqno;
	long refs;
	unsigned int pending_cbs; /* callbacks queued and not yet run or removed */
	char driver[32], timeline[32];
	dmasan_stack_id init_stack, signal_stack, release_stack;
	u32 init_tid, signal_tid, release_tid;
};

/* Run fn on the fence's record (creating an empty one when create is set) with the table locked;
 * fn returns true to keep a copy in *out. Returns whether fn kept one. No reports inside fn. */
typedef bool (*san_fence_fn)(struct san_fence *f, void *arg);
bool san_fence_update(const void *key, bool create, san_fence_fn fn, void *arg,
		      struct san_fence *out);
/* Whether the fence is followed, live and not yet signalled; a copy in *out if so. */
bool san_fence_pending(const void *key, struct san_fence *out);
/* Copies of every LIVE record, up to max; returns how many were copied. */
unsigned int san_fence_live(struct san_fence *out, unsigned int max);
/* Copies of the live, unsignalled fences whose driver is named driver (no containers, none
 * inherited or reported at an unbind before), each marked reported; up to max, returns how many. */
unsigned int san_fence_take_unsignalled(const char *driver, struct san_fence *out,
					unsigned int max);
/* fork (rt/fork.c); in the child every live record becomes inherited. */
void san_fence_table_fork_lock(void);
void san_fence_table_fork_unlock(bool child);

#endif
