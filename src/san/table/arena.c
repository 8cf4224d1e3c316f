// SPDX-License-Identifier: MIT
/*
 * The table's memory, all from mmap (never malloc: the table runs inside malloc's callers and in
 * fork children): a bump allocator for device records and per-thread records, and the entry
 * allocator, a shared free list of fixed-size entries in 4096-entry chunks with a per-thread
 * cache in front of it so a map/unmap pair takes no lock and no locked instruction in the steady
 * state. Nothing is returned to the system.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "rt/oom.h"
#include "table/table_internal.h"

/* LeakSanitizer's, when the program runs under it: entries point at malloc'ed shadow state, and
 * LSan does not look into anonymous mmaps unless told to (else every live mapping's state would
 * be a leak at exit). */
extern void __lsan_register_root_region(const void *p, size_t size) __attribute__((weak));

static void *arena_map(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (__lsan_register_root_region)
		__lsan_register_root_region(p, bytes);
	return p;
}

/* ------------------------------------------------------------- bump arena ---- */

static san_lock_t bump_lock;
static char *bump_cur, *bump_end;

void *san_arena_alloc(size_t size)
{
	void *p = NULL;

	size = (size + 63) & ~(size_t)63;
	san_lock(&bump_lock);
	if ((size_t)(bump_end - bump_cur) < size) {
		size_t chunk = size > (1u << 20) ? size : (1u << 20);

		bump_cur = arena_map(chunk);
		bump_end = bump_cur ? bump_cur + chunk : NULL;
	}
	if (bump_cur) {
		p = bump_cur;
		bump_cur += size;
	}
	san_unlock(&bump_lock);
	return p;
}

struct san_thread_rec *san_thread_rec_claim(struct san_thread_recs *l, size_t size)
{
	struct san_thread_rec *r;

	san_lock(&l->lock);
	for (r = atomic_load_explicit(&l->head, memory_order_relaxed); r && r->used; r = r->next)
		;
	if (!r && (r = san_arena_alloc(size))) {
		r->next = atomic_load_explicit(&l->head, memory_order_relaxed);
		atomic_store_explicit(&l->head, r, memory_order_release);
	}
	if (r)
		r->used = true;
	san_unlock(&l->lock);
	return r;
}

/* ---------------------------------------------------------- entry allocator ---- */

#define ENTRIES_PER_CHUNK 4096
#define TCACHE_MAX 64
#define TCACHE_BATCH 32

static san_lock_t free_lock;
static struct san_entry *free_head;
static atomic_ulong n_total;

/* Live entries: each thread counts what it allocated minus what it freed in a record of its
 * own, a plain add (a locked add here cost a tenth of a checked map+unmap); a reader sums the
 * records. A thread's count is folded into `exited` when it exits and the record is reused. */
struct live_count {
	struct san_thread_rec rec;
	atomic_long n;
} __attribute__((aligned(64)));

static struct san_thread_recs counts;
static long exited; /* under counts.lock */

static __thread struct san_entry *tc_head __attribute__((tls_model("initial-exec")));
static __thread unsigned int tc_count __attribute__((tls_model("initial-exec")));
static __thread struct live_count *my_count __attribute__((tls_model("initial-exec")));
static pthread_key_t tc_key;
static pthread_once_t tc_once = PTHREAD_ONCE_INIT;

static void tc_flush(unsigned int keep)
{
	if (tc_count <= keep)
		return;
	san_lock(&free_lock);
	while (tc_count > keep) {
		struct san_entry *e = tc_head;

		tc_head = e->hnext;
		e->hnext = free_head;
		free_head = e;
		tc_count--;
	}
	san_unlock(&free_lock);
}

/* A thread's cached free entries go back to the shared list when it exits, its count to
 * `exited`. */
static void tc_thread_exit(void *unused)
{
	tc_flush(0);
	san_lock(&counts.lock);
	if (my_count) {
		exited += atomic_load_explicit(&my_count->n, memory_order_relaxed);
		atomic_store_explicit(&my_count->n, 0, memory_order_relaxed);
		my_count->rec.used = false;
		my_count = NULL;
	}
	san_unlock(&counts.lock);
}

static void tc_key_create(void)
{
	pthread_key_create(&tc_key, tc_thread_exit);
}

/* The thread's first allocation or free: its count record, and the exit handler. Without a
 * record (out of memory) the thread counts into `exited` under the lock. */
static void thread_start(void)
{
	pthread_once(&tc_once, tc_key_create);
	pthread_setspecific(tc_key, (void *)1);
	my_count = (struct live_count *)san_thread_rec_claim(&counts, sizeof(*my_count));
}

static inline void count_live(long d)
{
	if (__builtin_expect(!my_count, 0))
		thread_start();
	if (__builtin_expect(!my_count, 0)) {
		san_lock(&counts.lock);
		exited += d;
		san_unlock(&counts.lock);
		return;
	}
	/* only this thread writes it: no read-modify-write needed */
	atomic_store_explicit(&my_count->n, atomic_load_explicit(&my_count->n, memory_order_relaxed) + d,
			      memory_order_relaxed);
}

static void tc_refill(void)
{
	san_lock(&free_lock);
	if (!free_head) {
		struct san_entry *chunk = arena_map(ENTRIES_PER_CHUNK * sizeof(*chunk));

		if (chunk) {
			for (unsigned int i = 0; i < ENTRIES_PER_CHUNK; i++) {
				chunk[i].hnext = free_head;
				free_head = &chunk[i];
			}
			atomic_fetch_add(&n_total, ENTRIES_PER_CHUNK);
		}
	}
	while (free_head && tc_count < TCACHE_BATCH) {
		struct san_entry *e = free_head;

		free_head = e->hnext;
		e->hnext = tc_head;
		tc_head = e;
		tc_count++;
	}
	san_unlock(&free_lock);
}

static struct san_entry *entry_take(void)
{
	struct san_entry *e;

	if (!tc_head)
		tc_refill();
	e = san_mem_fail() ? NULL : tc_head;
	if (!e) {
		san_mem_failed(SAN_MEM_ENTRY); /* the caller tracks nothing for this mapping */
		return NULL;
	}
	tc_head = e->hnext;
	tc_count--;
	count_live(1);
	return e;
}

struct san_entry *san_entry_alloc(void)
{
	struct san_entry *e = entry_take();

	if (e)
		memset(e, 0, sizeof(*e));
	return e;
}

struct san_entry *san_entry_alloc_from(const struct san_entry *tmpl)
{
	struct san_entry *e = entry_take();

	if (e)
		*e = *tmpl;
	return e;
}

void san_entry_free(struct san_entry *e)
{
	if (!e)
		return;
	e->hnext = tc_head;
	tc_head = e;
	tc_count++;
	count_live(-1);
	if (tc_count > TCACHE_MAX)
		tc_flush(TCACHE_MAX - TCACHE_BATCH);
}

void san_entry_counts(unsigned long *total, unsigned long *live)
{
	long n;

	san_lock(&counts.lock);
	n = exited;
	for (struct san_thread_rec *r = counts.head; r; r = r->next)
		n += atomic_load_explicit(&((struct live_count *)r)->n, memory_order_relaxed);
	san_unlock(&counts.lock);
	*total = atomic_load(&n_total);
	*live = n > 0 ? (unsigned long)n : 0;
}

/* counts.lock before bump_lock: a record is claimed from the arena under it. */
void san_arena_fork_lock(void)
{
	san_lock(&counts.lock);
	san_lock(&bump_lock);
	san_lock(&free_lock);
}

void san_arena_fork_unlock(void)
{
	san_unlock(&free_lock);
	san_unlock(&bump_lock);
	san_unlock(&counts.lock);
}
