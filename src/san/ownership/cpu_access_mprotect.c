// SPDX-License-Identifier: MIT
/*
 * The mprotect CPU-access backend (x86-64 Linux), for uninstrumented native binaries.
 *
 * Pages holding device-owned receive lines are PROT_NONE. A CPU access to such a page faults;
 * the SIGSEGV handler looks the line up in a lock-free set of device-owned lines:
 *  - an owned line: the access is a violation; the handler records it (faulting address, read or
 *    write, the PCs) in a lock-free ring — no allocation, no lock, no report in signal context —
 *    and the record becomes a report at the sanitizer's next hook or at exit;
 *  - any other line on the page (false sharing): nothing to report.
 * Either way the page is opened for the one instruction: it runs out of line followed by a jump
 * to a trampoline that closes the page (cpu_access_xol.c), or, when it does not qualify, it is
 * single-stepped (x86 trap flag) and the SIGTRAP handler closes the page again.
 *
 * Best effort, and documented as such (docs/ownership.md): while a page is open for one
 * instruction (or for the sanitizer's own copy, mp_open_pages) another thread can slip through;
 * syscalls that touch a protected page fail with EFAULT instead of faulting; a program that
 * replaces our SIGSEGV handler turns the backend off.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include "rt/fork.h"
#include "ownership/cpu_access_mprotect.h"
#include "ownership/cpu_access_xol.h"
#include "report/log.h"
#include "ownership/ownership_hooks.h"
#include "report/report.h"
#include "stacks/depot.h"
#include "table/table.h"

#if defined(__x86_64__)

#define PAGE 4096UL
#define SET_BITS 18 /* lines and pages tracked at once: 2^18 each */
#define SET_SIZE (1UL << SET_BITS)
#define RING 64
#define RING_PCS 24

/* Open-addressing sets with keys never deleted (a count drops to 0 instead), so the signal
 * handler can read them without locks. Writers hold mp_lock. */
struct mp_slot {
	_Atomic uintptr_t key;
	atomic_int count; /* lines: receive mappings owning it; pages: owned lines on it */
	atomic_int open;  /* pages: syscalls using it right now (kept accessible meanwhile) */
};

struct mp_fault {
	atomic_int ready;
	uintptr_t thread; /* the faulting thread (address of its mp_inside) */
	unsigned int tid; /* and its id in reports: the drain may run on another thread */
	uintptr_t addr;
	bool write;
	unsigned int npcs;
	uintptr_t pcs[RING_PCS];
};

static struct mp_slot *mp_lines, *mp_pages;
static size_t mp_line_size;
static pthread_mutex_t mp_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction mp_old_segv, mp_old_trap;
static struct mp_fault mp_ring[RING];
static atomic_uint mp_ring_head;
static atomic_ulong mp_lost;
static bool mp_full_noted;
static atomic_long mp_protected; /* pages with owned lines: 0 makes every check free */

/* Per thread: pages opened for the instruction being single-stepped; sanitizer code running. */
static __thread uintptr_t mp_open[2];
static __thread int mp_inside;

/* The set lookups run from the out-of-line trampoline too (mp_reclose): integer code only. */
#define GPR_ONLY __attribute__((target("general-regs-only")))

GPR_ONLY static size_t mp_hash(uintptr_t k)
{
	return (size_t)((k >> 6) * 0x9e3779b97f4a7c15ULL >> (64 - SET_BITS));
}

/* Find k (readers: NULL if absent; writers: insert). */
GPR_ONLY static struct mp_slot *mp_find(struct mp_slot *set, uintptr_t k, bool insert)
{
	size_t i = mp_hash(k), n;

	for (n = 0; n < SET_SIZE; n++, i = (i + 1) & (SET_SIZE - 1)) {
		uintptr_t cur = atomic_load_explicit(&set[i].key, memory_order_acquire);

		if (cur == k)
			return &set[i];
		if (!cur) {
			if (!insert)
				return NULL;
			atomic_store_explicit(&set[i].key, k, memory_order_release);
			return &set[i];
		}
	}
	return NULL;
}

GPR_ONLY static int mp_count(struct mp_slot *set, uintptr_t k)
{
	struct mp_slot *s = mp_find(set, k, false);

	return s ? atomic_load(&s->count) : 0;
}

/* --------------------------------------------------------------- handlers ---- */

static void mp_chain(struct sigaction *old, int sig, siginfo_t *si, void *ctx)
{
	if (old->sa_flags & SA_SIGINFO) {
		old->sa_sigaction(sig, si, ctx);
	} else if (old->sa_handler == SIG_DFL || old->sa_handler == SIG_IGN) {
		/* not ours: default action when the instruction faults again */
		signal(sig, SIG_DFL);
	} else {
		old->sa_handler(sig);
	}
}

/* A violation at addr by the instruction at rip (where the program runs it, also when it runs
 * out of line), with the registers of uc: the stack is unwound from there. */
static void mp_record(uintptr_t addr, bool write, const ucontext_t *uc, uintptr_t rip)
{
	unsigned int slot = atomic_fetch_add(&mp_ring_head, 1) % RING, n = 0;
	struct mp_fault *f = &mp_ring[slot];
	ucontext_t at = *uc;
	unw_cursor_t c;
	unw_word_t ip;

	if (atomic_load(&f->ready)) {
		atomic_fetch_add(&mp_lost, 1);
		return;
	}
	/* from the faulting instruction (only that while a fork is under way: libunwind's locks) */
	at.uc_mcontext.gregs[REG_RIP] = rip;
	f->pcs[n++] = rip;
	if (dmasan_unw_enter()) {
		if (!unw_init_local2(&c, &at, UNW_INIT_SIGNAL_FRAME))
			while (n < RING_PCS && unw_step(&c) > 0 &&
			       !unw_get_reg(&c, UNW_REG_IP, &ip) && ip)
				f->pcs[n++] = ip;
		dmasan_unw_leave();
	}
	f->npcs = n;
	f->thread = (uintptr_t)&mp_inside;
	f->tid = dmasan_thread_id();
	f->addr = addr;
	f->write = write;
	atomic_store(&f->ready, 1);
}

/* mprotect without errno: the trampoline runs between two instructions of the program. */
GPR_ONLY static void mp_set_prot(uintptr_t page, int prot)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_mprotect), "D"(page), "S"(PAGE), "d"((long)prot)
			 : "rcx", "r11", "memory");
	(void)ret;
}

/* After one instruction on an opened page: close it again while device-owned lines are left
 * on it and no syscall uses it; an unprotect racing with the close is undone. */
GPR_ONLY void mp_reclose(uintptr_t page)
{
	struct mp_slot *ps = mp_find(mp_pages, page, false);

	if (ps && atomic_load(&ps->count) && !atomic_load(&ps->open)) {
		mp_set_prot(page, PROT_NONE);
		if (!atomic_load(&ps->count))
			mp_set_prot(page, PROT_READ | PROT_WRITE);
	}
}

static bool mp_owned_line(uintptr_t addr)
{
	return !mp_inside && mp_count(mp_lines, addr & ~(mp_line_size - 1));
}

static void mp_segv(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	uintptr_t addr = (uintptr_t)si->si_addr, page = addr & ~(PAGE - 1), orig;
	uintptr_t *rip = (uintptr_t *)&uc->uc_mcontext.gregs[REG_RIP];
	bool write = uc->uc_mcontext.gregs[REG_ERR] & 2;
	int saved_errno = errno;

	if (si->si_code != SEGV_ACCERR || !mp_find(mp_pages, page, false)) {
		mp_chain(&mp_old_segv, sig, si, ctx); /* not a page of ours */
		return;
	}
	if (!mp_count(mp_pages, page)) {
		/* no device-owned line is left on it, so it must be accessible: a trap handler's
		 * re-protect raced with an unprotect. Repair it; the access is retried. */
		mprotect((void *)page, PAGE, PROT_READ | PROT_WRITE);
		errno = saved_errno;
		return;
	}
	if (xol_running(*rip, &orig)) {
		/* the instruction running out of line touched another page (or the same one, which
		 * another thread closed meanwhile) */
		int added = xol_add_page(page);

		if (added < 0) {
			mp_chain(&mp_old_segv, sig, si, ctx); /* a third page in one instruction */
			return;
		}
		if (added && mp_owned_line(addr))
			mp_record(addr, write, uc, orig);
		mprotect((void *)page, PAGE, PROT_READ | PROT_WRITE);
		errno = saved_errno;
		return;
	}
	if (mp_open[0] != page && mp_open[1] != page) {
		if (mp_open[0] && mp_open[1]) {
			mp_chain(&mp_old_segv, sig, si, ctx); /* a third page in one instruction */
			return;
		}
		if (mp_owned_line(addr))
			mp_record(addr, write, uc, *rip);
		if (!mp_open[0] && xol_begin(rip, page)) {
			/* run it out of line: the trampoline closes the page, no debug trap */
			mprotect((void *)page, PAGE, PROT_READ | PROT_WRITE);
			errno = saved_errno;
			return;
		}
		mp_open[mp_open[0] ? 1 : 0] = page;
	}
	/* open the page for this one instruction (again, if another thread closed it meanwhile) */
	mprotect((void *)page, PAGE, PROT_READ | PROT_WRITE);
	uc->uc_mcontext.gregs[REG_EFL] |= 0x100;
	errno = saved_errno;
}

static void mp_trap(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	int saved_errno = errno, i;

	if (!mp_open[0]) {
		mp_chain(&mp_old_trap, sig, si, ctx);
		return;
	}
	for (i = 0; i < 2; i++) {
		if (mp_open[i])
			mp_reclose(mp_open[i]);
		mp_open[i] = 0;
	}
	uc->uc_mcontext.gregs[REG_EFL] &= ~0x100UL;
	errno = saved_errno;
}

/* --------------------------------------------------------------- interface ---- */

/* fork (rt/fork.c). Pages another thread had opened for one instruction or a system call stay
 * open in the child (they go unchecked there; the parent is unaffected). */
void san_mp_fork_lock(void)
{
	pthread_mutex_lock(&mp_lock);
}

void san_mp_fork_unlock(bool child)
{
	pthread_mutex_unlock(&mp_lock);
}

bool mp_init(size_t line_size)
{
	struct sigaction sa;

	mp_line_size = line_size;
	mp_lines = mmap(NULL, SET_SIZE * sizeof(struct mp_slot), PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	mp_pages = mmap(NULL, SET_SIZE * sizeof(struct mp_slot), PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mp_lines == MAP_FAILED || mp_pages == MAP_FAILED)
		return false;
	xol_init(); /* without it, every trapped instruction is single-stepped */
	memset(&sa, 0, sizeof(sa));
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = mp_segv;
	if (sigaction(SIGSEGV, &sa, &mp_old_segv))
		return false;
	sa.sa_sigaction = mp_trap;
	return sigaction(SIGTRAP, &sa, &mp_old_trap) == 0;
}

void mp_inside_begin(void)
{
	mp_inside++;
}

void mp_inside_end(void)
{
	mp_inside--;
}

static void mp_note_full(void)
{
	if (!mp_full_noted) {
		mp_full_noted = true;
		dmasan_log_printf("==%d==DMASanitizer: cpu_access=mprotect: too many protected lines or "
				  "pages; further buffers are checked at the transitions only\n", getpid());
	}
}

/* The pages of line l's part of [lo, hi): a page counts each owned line on it once, so a page
 * opens only when the last device-owned line on it comes back, whatever synced the others. */
static void mp_line_pages(uintptr_t l, uintptr_t lo, uintptr_t hi, uintptr_t *p0, uintptr_t *p1)
{
	uintptr_t a = l < lo ? lo : l, b = l + mp_line_size > hi ? hi : l + mp_line_size;

	*p0 = a & ~(PAGE - 1);
	*p1 = b;
}

void mp_protect(uintptr_t lo, uintptr_t hi)
{
	uintptr_t l, p, p0, p1;

	if (hi <= lo)
		return;
	pthread_mutex_lock(&mp_lock);
	for (l = lo & ~(mp_line_size - 1); l < hi; l += mp_line_size) {
		struct mp_slot *s = mp_find(mp_lines, l, true);

		if (!s) {
			mp_note_full();
			break;
		}
		atomic_fetch_add(&s->count, 1);
		mp_line_pages(l, lo, hi, &p0, &p1);
		for (p = p0; p < p1; p += PAGE) {
			struct mp_slot *ps = mp_find(mp_pages, p, true);

			if (!ps) {
				/* undo the line: a line is owned only where its pages trap */
				atomic_fetch_sub(&s->count, 1);
				mp_note_full();
				goto out;
			}
			if (atomic_fetch_add(&ps->count, 1) == 0) {
				atomic_fetch_add(&mp_protected, 1);
				/* a syscall has it open: closed when it returns; ENOMEM (VMA
				 * limit): unchecked */
				if (!atomic_load(&ps->open))
					mprotect((void *)p, PAGE, PROT_NONE);
			}
		}
	}
out:
	pthread_mutex_unlock(&mp_lock);
}

void mp_unprotect(uintptr_t lo, uintptr_t hi)
{
	uintptr_t l, p, p0, p1;

	if (hi <= lo)
		return;
	pthread_mutex_lock(&mp_lock);
	for (l = lo & ~(mp_line_size - 1); l < hi; l += mp_line_size) {
		struct mp_slot *s = mp_find(mp_lines, l, false);

		if (!s || atomic_load(&s->count) <= 0)
			continue; /* never protected (the sets were full) */
		atomic_fetch_sub(&s->count, 1);
		mp_line_pages(l, lo, hi, &p0, &p1);
		for (p = p0; p < p1; p += PAGE) {
			struct mp_slot *ps = mp_find(mp_pages, p, false);

			if (ps && atomic_load(&ps->count) > 0 &&
			    atomic_fetch_sub(&ps->count, 1) == 1) {
				atomic_fetch_sub(&mp_protected, 1);
				mprotect((void *)p, PAGE, PROT_READ | PROT_WRITE);
			}
		}
	}
	pthread_mutex_unlock(&mp_lock);
}

struct mp_hit {
	struct san_entry copy;
	bool found;
};

static bool mp_find_entry(struct san_entry *e, void *arg)
{
	struct mp_hit *h = arg;

	san_entry_snapshot(&h->copy, e);
	h->found = true;
	return true;
}

/* A CPU access to addr found by the backend: which check it is depends on whether addr lies in
 * a live receive mapping (or one just released) or only shares a line with one. Reads of data
 * that merely shares a line are harmless and not reported. */
static void mp_emit(uintptr_t addr, bool write, dmasan_stack_id stack, unsigned int tid,
		    const struct san_entry *released, const char *detected_by)
{
	struct mp_hit h = { .found = false }, line = { .found = false };
	uintptr_t line_lo = addr & ~(mp_line_size - 1);
	struct dmasan_report r;
	enum dmasan_check check;

	san_table_visit_phys(addr, addr + 1, mp_find_entry, &h);
	if (!h.found && released && addr >= released->phys.start && addr < released->phys.end) {
		h.copy = *released;
		h.found = true;
	}
	if (!h.found)
		h.found = san_shadow_entry_of(addr, &h.copy);
	if (h.found)
		check = write ? DMASAN_CHECK_CPU_WRITE_DEVICE_OWNED : DMASAN_CHECK_CPU_READ_DEVICE_OWNED;
	else if (write)
		check = DMASAN_CHECK_SHARED_CACHELINE_WRITE;
	else
		return;
	if (!h.found) { /* the receive mapping that shares the line names the device */
		san_table_visit_phys(line_lo, line_lo + mp_line_size, mp_find_entry, &line);
		if (!line.found && released && released->phys.start < line_lo + mp_line_size &&
		    released->phys.end > line_lo) {
			line.copy = *released;
			line.found = true;
		}
	}
	dmasan_report_init(&r, check, h.found ? h.copy.dev : line.found ? line.copy.dev : NULL);
	r.sentence = !h.found ? "CPU wrote next to a receive buffer in a cache line the device owned"
		     : write ? "CPU wrote into DMA memory while the device owned it"
			     : "CPU read DMA memory while the device owned it (stale data)";
	r.stack = stack;
	r.tid = tid;
	dmasan_report_hex(&r, "cpu address", addr);
	dmasan_report_str(&r, "access", write ? "write" : "read");
	if (h.found || line.found) {
		const struct san_entry *e = h.found ? &h.copy : &line.copy;

		dmasan_report_hex(&r, "mapping device address", san_handle(e));
		dmasan_report_u64(&r, "mapping size", san_size(e));
		dmasan_report_related(&r, "map", "mapped by", e->map_stack, e->tid);
	}
	dmasan_report_str(&r, "detected by", detected_by);
	dmasan_report_emit(&r);
}

/* Turn recorded faults into reports (never from signal context). */
void mp_drain(const struct san_entry *released)
{
	unsigned int i;

	for (i = 0; i < RING; i++) {
		struct mp_fault *f = &mp_ring[i];

		if (!atomic_load(&f->ready))
			continue;
		mp_emit(f->addr, f->write, dmasan_stack_put(f->pcs, f->npcs), f->tid, released,
			"mprotect");
		atomic_store(&f->ready, 0);
	}
}

/* The calling thread's DMA layer just copied [lo, hi) (a SWIOTLB bounce): faults it took
 * there were the DMA layer's, not the driver's (a buffer mapped twice is still owned by the
 * other mapping while the first one bounces). */
void mp_forgive(uintptr_t lo, uintptr_t hi)
{
	unsigned int i;

	for (i = 0; i < RING; i++) {
		struct mp_fault *f = &mp_ring[i];

		if (atomic_load(&f->ready) && f->thread == (uintptr_t)&mp_inside &&
		    f->addr >= lo && f->addr < hi)
			atomic_store(&f->ready, 0);
	}
}

/* ------------------------------------------------------------------ syscalls ---- */

bool mp_any_protected(void)
{
	return atomic_load_explicit(&mp_protected, memory_order_relaxed) > 0;
}

unsigned int mp_syscall_open(uintptr_t lo, uintptr_t hi, bool kernel_writes, const char *call,
			     uintptr_t *pages, unsigned int max)
{
	uintptr_t l, owned = 0;

	if (hi <= lo || !mp_pages)
		return 0;
	for (l = lo & ~(mp_line_size - 1); l < hi && !owned; l += mp_line_size)
		if (mp_count(mp_lines, l))
			owned = l < lo ? lo : l;
	if (owned) /* the kernel is about to touch a device-owned line on the program's behalf */
		mp_emit(owned, kernel_writes, 0, dmasan_thread_id(), NULL, call);
	return mp_open_pages(lo, hi, pages, max);
}

unsigned int mp_open_pages(uintptr_t lo, uintptr_t hi, uintptr_t *pages, unsigned int max)
{
	uintptr_t p;
	unsigned int n = 0;

	if (hi <= lo || !mp_pages || !mp_any_protected())
		return 0;
	pthread_mutex_lock(&mp_lock);
	for (p = lo & ~(PAGE - 1); p < hi && n < max; p += PAGE) {
		struct mp_slot *s = mp_find(mp_pages, p, false);

		if (!s || !atomic_load(&s->count))
			continue;
		if (atomic_fetch_add(&s->open, 1) == 0)
			mprotect((void *)p, PAGE, PROT_READ | PROT_WRITE);
		pages[n++] = p;
	}
	pthread_mutex_unlock(&mp_lock);
	return n;
}

void mp_syscall_close(const uintptr_t *pages, unsigned int n)
{
	mp_close_pages(pages, n);
}

void mp_close_pages(const uintptr_t *pages, unsigned int n)
{
	unsigned int i;

	if (!n)
		return;

	pthread_mutex_lock(&mp_lock);
	for (i = 0; i < n; i++) {
		struct mp_slot *s = mp_find(mp_pages, pages[i], false);

		if (s && atomic_fetch_sub(&s->open, 1) == 1 && atomic_load(&s->count))
			mprotect((void *)pages[i], PAGE, PROT_NONE);
	}
	pthread_mutex_unlock(&mp_lock);
}

#else /* !x86_64: no single-stepping; the backend is unavailable */

void san_mp_fork_lock(void) {}
void san_mp_fork_unlock(bool child) {}

bool mp_init(size_t line_size)
{
	return false;
}
void mp_inside_begin(void) {}
void mp_inside_end(void) {}
void mp_protect(uintptr_t lo, uintptr_t hi) {}
void mp_unprotect(uintptr_t lo, uintptr_t hi) {}
void mp_drain(const struct san_entry *released) {}
void mp_forgive(uintptr_t lo, uintptr_t hi) {}
bool mp_any_protected(void)
{
	return false;
}
unsigned int mp_syscall_open(uintptr_t lo, uintptr_t hi, bool kernel_writes, const char *call,
			     uintptr_t *pages, unsigned int max)
{
	return 0;
}
void mp_syscall_close(const uintptr_t *pages, unsigned int n) {}
unsigned int mp_open_pages(uintptr_t lo, uintptr_t hi, uintptr_t *pages, unsigned int max)
{
	return 0;
}
void mp_close_pages(const uintptr_t *pages, unsigned int n) {}

#endif
