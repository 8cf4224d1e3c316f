// SPDX-License-Identifier: MIT
/*
 * The history of unmapped entries, so a stale handle can be reported with where it was mapped
 * and unmapped (double-unmap, device-use-after-unmap): a ring of the last HIST_SIZE unmaps per
 * thread. Each thread writes only its own ring (no locked instruction per unmap); readers search
 * every ring, lock free: each slot has a generation, odd while being written, that they check
 * before and after copying it. Across rings, entries are ordered by the table's sequence counter
 * read at the unmap (a handle is mapped again, which counts, before it can be unmapped again).
 * Rings are never freed: a thread's ring goes to the next new thread when it exits, and its
 * entries stay searchable until they are overwritten.
 */
#include <pthread.h>
#include <string.h>

#include "table/table_internal.h"

#define HIST_SIZE 4096

struct hist_slot {
	atomic_uint gen; /* odd while being written */
	struct san_hist h;
};

struct hist_ring {
	struct san_thread_rec rec; /* in `rings`, every ring made, newest first */
	atomic_ulong head;         /* entries ever written */
	struct hist_slot slot[HIST_SIZE];
};

static struct san_thread_recs rings;
static __thread struct hist_ring *my_ring __attribute__((tls_model("initial-exec")));
static pthread_key_t ring_key;
static pthread_once_t ring_once = PTHREAD_ONCE_INIT;

static void ring_thread_exit(void *unused)
{
	san_lock(&rings.lock);
	if (my_ring)
		my_ring->rec.used = false;
	my_ring = NULL;
	san_unlock(&rings.lock);
}

static void ring_key_create(void)
{
	pthread_key_create(&ring_key, ring_thread_exit);
}

/* The calling thread's ring: one a thread left, else a new one (pages touched as it fills). */
static struct hist_ring *ring_get(void)
{
	pthread_once(&ring_once, ring_key_create);
	pthread_setspecific(ring_key, (void *)1);
	return my_ring = (struct hist_ring *)san_thread_rec_claim(&rings, sizeof(*my_ring));
}

/* Every ring made, newest first. */
static struct hist_ring *first_ring(void)
{
	return (struct hist_ring *)atomic_load_explicit(&rings.head, memory_order_acquire);
}

static struct hist_ring *next_ring(const struct hist_ring *r)
{
	return (struct hist_ring *)r->rec.next;
}

void san_history_add(const struct san_entry *e, dmasan_stack_id unmap_stack, u32 unmap_tid)
{
	struct hist_ring *r = my_ring ? my_ring : ring_get();
	unsigned long i;
	struct hist_slot *s;
	unsigned int g;

	if (!r)
		return; /* out of memory: this unmap is not remembered */
	i = atomic_load_explicit(&r->head, memory_order_relaxed);
	s = &r->slot[i % HIST_SIZE];
	g = atomic_load_explicit(&s->gen, memory_order_relaxed);
	/* the only writer of this ring: odd, then the bytes, then even (a seqlock's writer) */
	atomic_store_explicit(&s->gen, g + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	s->h = (struct san_hist){
		.dev = e->dev, .handle = e->bus.start, .size = san_size(e), .phys = e->phys.start,
		.type = e->type, .dir = e->dir, .map_tid = e->tid,
		.unmap_tid = unmap_tid, .map_stack = e->map_stack, .unmap_stack = unmap_stack,
		.order = san_table_seq_now(),
	};
	atomic_store_explicit(&s->gen, g + 2, memory_order_release);
	atomic_store_explicit(&r->head, i + 1, memory_order_release);
}

struct hist_search {
	struct device *dev;
	bool (*match)(const struct san_hist *, const void *);
	bool (*prefer)(const struct san_hist *, const void *);
	const void *arg;
	struct san_hist accepted, preferred;
	bool have_accepted, have_preferred;
};

static void keep_newer(struct san_hist *best, bool *have, const struct san_hist *h)
{
	if (!*have || h->order > best->order) {
		*best = *h;
		*have = true;
	}
}

/* One ring, newest first: its newest entry `match` accepts and its newest one `prefer` also
 * prefers, each kept if newer than what other rings gave. */
static void ring_search(struct hist_ring *r, struct hist_search *q)
{
	unsigned long head = atomic_load_explicit(&r->head, memory_order_acquire);
	unsigned long n = head < HIST_SIZE ? head : HIST_SIZE;
	bool accepted = false;

	for (unsigned long k = 1; k <= n; k++) {
		struct hist_slot *s = &r->slot[(head - k) % HIST_SIZE];
		unsigned int g = atomic_load_explicit(&s->gen, memory_order_acquire);
		struct san_hist h;

		if (g & 1)
			continue;
		h = s->h;
		atomic_thread_fence(memory_order_acquire);
		if (atomic_load_explicit(&s->gen, memory_order_relaxed) != g)
			continue;
		if (h.dev != q->dev || !q->match(&h, q->arg))
			continue;
		if (!q->prefer || q->prefer(&h, q->arg)) {
			keep_newer(&q->preferred, &q->have_preferred, &h);
			return;
		}
		if (!accepted) {
			keep_newer(&q->accepted, &q->have_accepted, &h);
			accepted = true;
		}
	}
}

/* Most recent unmapped entry of dev that `match` accepts; with `prefer`, one it also prefers
 * wins over a newer one it merely accepts. */
static bool history_search(struct device *dev, bool (*match)(const struct san_hist *, const void *),
			   bool (*prefer)(const struct san_hist *, const void *), const void *arg,
			   struct san_hist *out)
{
	struct hist_search q = { .dev = dev, .match = match, .prefer = prefer, .arg = arg };

	for (struct hist_ring *r = first_ring(); r; r = next_ring(r))
		ring_search(r, &q);
	if (q.have_preferred)
		*out = q.preferred;
	else if (q.have_accepted)
		*out = q.accepted;
	return q.have_preferred || q.have_accepted;
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
	unsigned long n = 0;

	for (struct hist_ring *r = first_ring(); r; r = next_ring(r))
		n += atomic_load_explicit(&r->head, memory_order_relaxed);
	return n;
}

/* Single-threaded use only (san_table_reset). */
void san_history_reset(void)
{
	for (struct hist_ring *r = first_ring(); r; r = next_ring(r)) {
		memset(r->slot, 0, sizeof(r->slot));
		atomic_store(&r->head, 0);
	}
}

/* fork: no thread is taking a ring at the fork (the child would never get the lock). */
void san_history_fork_lock(void)
{
	san_lock(&rings.lock);
}

void san_history_fork_unlock(void)
{
	san_unlock(&rings.lock);
}
