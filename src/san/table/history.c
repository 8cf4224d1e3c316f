// SPDX-License-Identifier: MIT
/*
 * The history of unmapped entries: a ring of the last HIST_SIZE unmaps, so a stale handle can be
 * reported with where it was mapped and unmapped (double-unmap, device-use-after-unmap). Lock
 * free: writers claim a slot with a counter, and each slot has a generation, odd while being
 * written, that readers check before and after copying it.
 */
#include <string.h>

#include "table/table_internal.h"

#define HIST_SIZE 4096

static struct hist_slot {
	atomic_uint gen; /* odd while being written */
	struct san_hist h;
} hist[HIST_SIZE];
static atomic_ulong hist_head;

void san_history_add(const struct san_entry *e, dmasan_stack_id unmap_stack, u32 unmap_tid)
{
	unsigned long i = atomic_fetch_add_explicit(&hist_head, 1, memory_order_relaxed);
	struct hist_slot *s = &hist[i % HIST_SIZE];
	/* odd before the slot's new bytes (a read-modify-write: a plain store could pass them) */
	unsigned int g = atomic_fetch_add_explicit(&s->gen, 1, memory_order_acq_rel);

	s->h = (struct san_hist){
		.dev = e->dev, .handle = e->bus.start, .size = san_size(e), .phys = e->phys.start,
		.type = e->type, .dir = e->dir, .map_tid = e->tid,
		.unmap_tid = unmap_tid, .map_stack = e->map_stack, .unmap_stack = unmap_stack,
	};
	/* the counter gives each writer its own slot (another one comes HIST_SIZE unmaps later):
	 * a store ends the write, one locked instruction fewer per unmap */
	atomic_store_explicit(&s->gen, g + 2, memory_order_release);
}

/* Most recent unmapped entry of dev that `match` accepts, newest first; with `prefer`, one it
 * also prefers wins over a newer one it merely accepts. */
static bool history_search(struct device *dev, bool (*match)(const struct san_hist *, const void *),
			   bool (*prefer)(const struct san_hist *, const void *), const void *arg,
			   struct san_hist *out)
{
	unsigned long head = atomic_load_explicit(&hist_head, memory_order_acquire);
	unsigned long n = head < HIST_SIZE ? head : HIST_SIZE;
	bool found = false;

	for (unsigned long k = 1; k <= n; k++) {
		struct hist_slot *s = &hist[(head - k) % HIST_SIZE];
		unsigned int g = atomic_load_explicit(&s->gen, memory_order_acquire);
		struct san_hist h;

		if (g & 1)
			continue;
		h = s->h;
		if (atomic_load_explicit(&s->gen, memory_order_acquire) != g)
			continue;
		if (h.dev != dev || !match(&h, arg))
			continue;
		if (!prefer || prefer(&h, arg)) {
			*out = h;
			return true;
		}
		if (!found) {
			*out = h;
			found = true;
		}
	}
	return found;
}

struct hist_key {
	dma_addr_t addr;
	u64 len;
};

static bool hist_covers(const struct san_hist *h, const void *arg)
{
	const struct hist_key *k = arg;

	return k->len == 0 ? h->handle == k->addr
			   : (k->addr >= h->handle && k->addr - h->handle < h->size) ||
				     (k->addr == h->handle && h->size == 0);
}

static bool hist_same_size(const struct san_hist *h, const void *arg)
{
	return h->size == ((const struct hist_key *)arg)->len;
}

bool san_history_find(struct device *dev, dma_addr_t addr, u64 len, struct san_hist *out)
{
	struct hist_key k = { addr, len };

	return history_search(dev, hist_covers, NULL, &k, out);
}

bool san_history_find_unmap(struct device *dev, dma_addr_t handle, u64 size,
				   struct san_hist *out)
{
	struct hist_key k = { handle, 0 }, sized = { handle, size };

	/* handles are reused: among the mappings of this handle, the one of the same size is the
	 * likelier original (the kernel's best fit, applied to the history) */
	if (history_search(dev, hist_covers, hist_same_size, &sized, out) && out->size == size)
		return true;
	return history_search(dev, hist_covers, NULL, &k, out);
}

unsigned long san_history_count(void)
{
	return atomic_load(&hist_head);
}

void san_history_reset(void)
{
	memset(hist, 0, sizeof(hist));
	atomic_store(&hist_head, 0);
}
