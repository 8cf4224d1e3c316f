// SPDX-License-Identifier: MIT
/*
 * Reuse of shadow memory (shadow_mem.h). Blocks are kept by exact size, so reuse never hands out
 * a block larger than asked and memory per live mapping does not grow: first in a few slots of
 * the thread's own (a map+unmap pair then takes no lock and no locked instruction), then in a
 * few shared bins (a bin holds blocks of one size at a time, taken by whichever size finds it
 * empty). A bin keeps at most BIN_BLOCKS blocks and BIN_BYTES bytes; larger blocks are not kept.
 *
 * Each bin has a try-lock, never waited for: a thread that finds it taken uses malloc/free
 * instead. So no thread ever blocks here, and a child forked while another thread held a bin
 * just never uses that bin (no fork handler needed). A thread's slots go to the bins (or back to
 * malloc) when it exits.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "ownership/shadow_mem.h"

#define BINS 16
#define BIN_BLOCKS 8
#define BIN_BYTES (256u << 10)
#define THREAD_SLOTS 2

static struct shadow_bin {
	atomic_flag busy;
	unsigned int n;
	size_t size;
	void *blocks[BIN_BLOCKS];
} __attribute__((aligned(64))) bins[BINS];

static __thread struct thread_slot {
	size_t size;
	void *block;
} slots[THREAD_SLOTS] __attribute__((tls_model("initial-exec")));
static __thread bool slots_registered __attribute__((tls_model("initial-exec")));
static pthread_key_t slots_key;
static pthread_once_t slots_key_once = PTHREAD_ONCE_INIT;

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

static void bin_put(void *p, size_t size)
{
	struct shadow_bin *b = bin_lock(size);

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

static void slots_thread_exit(void *unused)
{
	for (unsigned int i = 0; i < THREAD_SLOTS; i++) {
		if (slots[i].block)
			bin_put(slots[i].block, slots[i].size);
		slots[i].block = NULL;
	}
}

static void slots_key_create(void)
{
	pthread_key_create(&slots_key, slots_thread_exit);
}

void *shadow_mem_get(size_t size)
{
	struct shadow_bin *b;
	void *p = NULL;

	for (unsigned int i = 0; i < THREAD_SLOTS; i++) {
		if (slots[i].block && slots[i].size == size) {
			p = slots[i].block;
			slots[i].block = NULL;
			return p;
		}
	}
	b = bin_lock(size);
	if (b) {
		if (b->n && b->size == size)
			p = b->blocks[--b->n];
		bin_unlock(b);
	}
	return p ? p : malloc(size);
}

void shadow_mem_put(void *p, size_t size)
{
	if (!p)
		return;
	for (unsigned int i = 0; size <= BIN_BYTES && i < THREAD_SLOTS; i++) {
		if (slots[i].block)
			continue;
		if (!slots_registered) { /* the slots are emptied when the thread exits */
			pthread_once(&slots_key_once, slots_key_create);
			pthread_setspecific(slots_key, (void *)1);
			slots_registered = true;
		}
		slots[i].block = p;
		slots[i].size = size;
		return;
	}
	bin_put(p, size);
}
