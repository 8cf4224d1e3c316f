// SPDX-License-Identifier: MIT
/*
 * Reuse of shadow memory (shadow_mem.h). Blocks are kept by exact size in a few bins (a bin holds
 * blocks of one size at a time, taken by whichever size finds it empty), so reuse never hands out
 * a block larger than asked and memory per live mapping does not grow. A bin keeps at most
 * BIN_BLOCKS blocks and BIN_BYTES bytes; larger blocks are not kept.
 *
 * Each bin has a try-lock, never waited for: a thread that finds it taken uses malloc/free
 * instead. So no thread ever blocks here, and a child forked while another thread held a bin
 * just never uses that bin (no fork handler needed).
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "ownership/shadow_mem.h"

#define BINS 16
#define BIN_BLOCKS 8
#define BIN_BYTES (256u << 10)

static struct shadow_bin {
	atomic_flag busy;
	unsigned int n;
	size_t size;
	void *blocks[BIN_BLOCKS];
} __attribute__((aligned(64))) bins[BINS];

static struct shadow_bin *bin_lock(size_t size)
{
	struct shadow_bin *b;

	if (size > BIN_BYTES)
		return NULL;
	/* sizes differ mostly in their low bits (line states, edge bytes) */
	b = &bins[(size ^ (size >> 4) ^ (size >> 8)) % BINS];
	return atomic_flag_test_and_set_explicit(&b->busy, memory_order_acquire) ? NULL : b;
}

static void bin_unlock(struct shadow_bin *b)
{
	atomic_flag_clear_explicit(&b->busy, memory_order_release);
}

void *shadow_mem_get(size_t size)
{
	struct shadow_bin *b = bin_lock(size);
	void *p = NULL;

	if (b) {
		if (b->n && b->size == size)
			p = b->blocks[--b->n];
		bin_unlock(b);
	}
	return p ? p : malloc(size);
}

void shadow_mem_put(void *p, size_t size)
{
	struct shadow_bin *b = p ? bin_lock(size) : NULL;

	if (b) {
		if (!b->n)
			b->size = size;
		if (b->size == size && b->n < BIN_BLOCKS && (b->n + 1) * size <= BIN_BYTES) {
			b->blocks[b->n++] = p;
			p = NULL;
		}
		bin_unlock(b);
	}
	free(p);
}
