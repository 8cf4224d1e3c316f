/* SPDX-License-Identifier: MIT */
/*
 * Stack capture: the fast unwinder (unwind.c: cached DWARF rules applied to the stack, correct
 * for any code with CFI) and libunwind's unw_backtrace whenever that walk is not certain; or,
 * with fast_unwind=1, a bare frame-pointer walk, which is only complete when every function on
 * the stack keeps its frame pointer (-fno-omit-frame-pointer) and stops early otherwise. Either
 * way frames are PCs (return addresses) stored in the depot; symbolisation waits until a report
 * prints them.
 */
#define _GNU_SOURCE
#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include "rt/options.h"
#include "stacks/depot.h"
#include "stacks/stack.h"
#include "stacks/unwind.h"

/* libunwind looks up unwind info for every frame; its per-thread cache of that lookup makes
 * repeated captures from the same call sites several times cheaper. Set once, before the first
 * capture. */
static pthread_once_t unw_once = PTHREAD_ONCE_INIT;

static void unw_setup(void)
{
	void *pc;

	unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
	unw_backtrace(&pc, 1); /* libunwind's own one-time set-up, under its own lock */
}

/*
 * fork: libunwind takes locks of its own (its one-time set-up, its memory pools) that no
 * pthread_atfork handler of ours can take. A child forked while another thread was inside
 * libunwind would find such a lock held forever. So the forking thread completes the set-up,
 * raises unw_fork_pending and waits until no thread is inside libunwind; until fork() is over a
 * capture waits (it yields; the same call site keeps one stack, so deduplication holds), or,
 * when its caller may hold a runtime lock fork needs, walks frame pointers instead.
 */
static atomic_bool unw_fork_pending;
static atomic_int unw_users;

static bool unw_enter(bool may_wait)
{
	for (;;) {
		if (!atomic_load(&unw_fork_pending)) {
			atomic_fetch_add(&unw_users, 1);
			if (!atomic_load(&unw_fork_pending))
				return true;
			atomic_fetch_sub(&unw_users, 1);
		}
		if (!may_wait)
			return false;
		sched_yield();
	}
}

bool dmasan_unw_enter(void)
{
	return unw_enter(false);
}

void dmasan_unw_leave(void)
{
	atomic_fetch_sub(&unw_users, 1);
}

void dmasan_stack_fork_prepare(void)
{
	pthread_once(&unw_once, unw_setup);
	atomic_store(&unw_fork_pending, true);
	while (atomic_load(&unw_users))
		sched_yield();
}

void dmasan_stack_fork_done(void)
{
	atomic_store(&unw_fork_pending, false);
}

/* Frames kept per stack in this process; options are read before the first capture. */
static unsigned int capture_depth(void)
{
	int d = dmasan_opts.stack_depth;

	return d >= 1 && d <= DMASAN_MAX_FRAMES ? (unsigned int)d : 16;
}

/* out[0] is the return address into the caller of fp_unwind (as unw_backtrace's first frame). */
static __attribute__((noinline)) unsigned int fp_unwind(uintptr_t *out, unsigned int max)
{
	const uintptr_t *fp = __builtin_frame_address(0);
	uintptr_t stack_lo, stack_hi;
	unsigned int n = 0;

	if (!san_thread_stack(&stack_lo, &stack_hi))
		return 0;
	while (n < max) {
		const uintptr_t *next;

		if ((uintptr_t)fp < stack_lo || (uintptr_t)(fp + 2) > stack_hi ||
		    ((uintptr_t)fp & (sizeof(*fp) - 1)))
			break;
		if (!fp[1])
			break;
		out[n++] = fp[1];
		next = (const uintptr_t *)fp[0];
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

/* Memoised captures, per thread: a capture from the same frame address, whose walk would read
 * the same stack words and find the same values, is the same stack; checking those words (a
 * dozen independent loads) is several times cheaper than walking, and the depot id comes with
 * it. Only fast-unwinder walks are memoised: they record what they read. */
#define MEMO_BITS 5
#define MEMO_SLOTS (1u << MEMO_BITS)

struct memo {
	uintptr_t fp; /* the capture's frame; 0: empty */
	unsigned int skip, want;
	dmasan_stack_id id;
	struct dmasan_unwind_reads reads;
};

static __thread struct memo *memo_table __attribute__((tls_model("initial-exec")));
static pthread_key_t memo_key;
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;

static void memo_release(void *table)
{
	memo_table = NULL;
	munmap(table, MEMO_SLOTS * sizeof(struct memo));
}

static void memo_key_create(void)
{
	pthread_key_create(&memo_key, memo_release);
}

/* This thread's slot for a capture at frame fp; NULL when there is no table (out of memory). */
static struct memo *memo_slot(uintptr_t fp)
{
	if (!memo_table) {
		void *t = mmap(NULL, MEMO_SLOTS * sizeof(struct memo), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (t == MAP_FAILED)
			return NULL;
		pthread_once(&memo_once, memo_key_create);
		memo_table = t;
		pthread_setspecific(memo_key, t);
	}
	return &memo_table[((fp >> 4) * 0x9e3779b97f4a7c15ull) >> (64 - MEMO_BITS)];
}

/* The words a walk read may lie in frames that have returned since (ASan's redzones there). */
__attribute__((no_sanitize_address)) static bool memo_holds(const struct memo *m, uintptr_t fp,
							    unsigned int skip, unsigned int want)
{
	const struct dmasan_unwind_reads *r = &m->reads;
	uintptr_t diff = 0;

	if (m->fp != fp || m->skip != skip || m->want != want)
		return false;
	for (unsigned int i = 0; i < r->n; i++)
		diff |= *(const uintptr_t *)r->addr[i] ^ r->val[i];
	return !diff;
}

static void memo_store(struct memo *m, uintptr_t fp, unsigned int skip, unsigned int want,
		       dmasan_stack_id id, const struct dmasan_unwind_reads *reads)
{
	/* emptied first: a capture interrupting this one (a signal) sees no half-written slot */
	__atomic_store_n(&m->fp, 0, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	m->skip = skip;
	m->want = want;
	m->id = id;
	m->reads.n = reads->n;
	memcpy(m->reads.addr, reads->addr, reads->n * sizeof(reads->addr[0]));
	memcpy(m->reads.val, reads->val, reads->n * sizeof(reads->val[0]));
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&m->fp, fp, __ATOMIC_RELAXED);
}

static inline __attribute__((always_inline)) dmasan_stack_id capture(unsigned int skip,
								      bool may_wait)
{
	uintptr_t pcs[DMASAN_MAX_FRAMES + 16 + DMASAN_KDMA_FRAME_SLACK];
	uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
	struct dmasan_unwind_reads reads;
	struct memo *m = NULL;
	dmasan_stack_id id;
	unsigned int want;
	int n;

	/* Frame 0 is in this function: skip it and `skip` more. */
	skip += 1;
	if (skip > 16)
		skip = 16;
	/* libkdma's frames under the API function are folded away in reports: capture room for
	 * them, so that stack_depth counts the frames a report shows. */
	want = capture_depth() + skip + DMASAN_KDMA_FRAME_SLACK;
	if (dmasan_opts.fast_unwind) {
		n = (int)fp_unwind(pcs, want);
	} else {
		m = memo_slot(fp);
		if (m && memo_holds(m, fp, skip, want))
			return m->id;
		n = dmasan_unwind_fast(pcs, want, &reads);
		if (n < 0) {
			m = NULL;
			if (unw_enter(may_wait)) {
				pthread_once(&unw_once, unw_setup);
				n = unw_backtrace((void **)pcs, (int)want);
				dmasan_unw_leave();
			} else {
				n = (int)fp_unwind(pcs, want);
			}
		}
	}
	if (n <= (int)skip)
		return 0;
	id = dmasan_stack_put(pcs + skip, (unsigned int)n - skip);
	if (m && id && reads.n <= DMASAN_UNWIND_READS)
		memo_store(m, fp, skip, want, id, &reads);
	return id;
}

__attribute__((noinline)) dmasan_stack_id dmasan_stack_capture(unsigned int skip)
{
	return capture(skip, true);
}

__attribute__((noinline)) dmasan_stack_id dmasan_stack_capture_nowait(unsigned int skip)
{
	return capture(skip, false);
}
