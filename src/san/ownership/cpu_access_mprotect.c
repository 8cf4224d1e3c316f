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
 * Lazy give-back (mprotect_lazy): at an unmap that leaves no device-owned line on whole pages of
 * a kmalloc object, the page is not opened. Its memory holds the poison; the bytes the CPU must
 * see (the device view) are kept in a held buffer and the page stays PROT_NONE. The first CPU
 * access faults and the handler, seeing no owned line, writes the held bytes in through
 * /proc/self/mem and opens the page, with no report; a map of the same pages first takes the
 * bytes back for its device view and owns the lines again with no system call. Interposed
 * syscalls, kfree and a program's own SIGSEGV handler open held pages first.
 *
 * Best effort, and documented as such (docs/ownership.md): while a page is open for one
 * instruction (or for the sanitizer's own copy, mp_open_pages) another thread can slip through;
 * syscalls that touch a protected page fail with EFAULT instead of faulting; a program that
 * replaces our SIGSEGV handler turns the backend off.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include "checks/checks_dmabuf.h"
#include "common/hwcopy.h"
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
	atomic_int held;  /* pages: 1 + the held buffer with its bytes (closed, no owned line);
			   * MP_OPENING while being opened or taken back; 0: none */
	atomic_int eager; /* pages: give-backs left to skip, the CPU touched it after the last */
	atomic_int whole; /* pages: one protected range covers the whole page (one mapping's) */
	atomic_int readable; /* pages: a read was recorded this ownership period: PROT_READ */
};

#define MP_OPENING (-1)
#define HELD_MAX 4096   /* pages held at once (16 MiB of address space, touched as used) */
#define HELD_PER_CALL 16 /* pages one give-back may hold */
/* A held page the CPU touched will likely be touched after the next unmap too: a fault and an
 * mprotect then cost more than the mprotect of an unmap. So its next give-backs are skipped,
 * and one in EAGER_AFTER_TOUCH + 1 tries again (a page used both ways stays cheap). */
#define EAGER_AFTER_TOUCH 32

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
static atomic_uint mp_ring_ready; /* records not drained yet: 0 makes a drain free */
static atomic_ulong mp_lost;
static bool mp_full_noted;
static atomic_long mp_protected; /* pages closed (owned lines or held): 0 makes every check free */
static atomic_bool mp_lazy;
static uint8_t *mp_held_mem;               /* HELD_MAX pages */
static uintptr_t mp_held_page[HELD_MAX];   /* whose bytes each held buffer keeps */
static atomic_ulong mp_held_used[HELD_MAX / 64];
static atomic_long mp_held_pages;          /* pages with held bytes: 0 makes the lazy paths free */

/* Per thread: pages opened for the instruction being single-stepped; sanitizer code running. */
static __thread uintptr_t mp_open[2] __attribute__((tls_model("initial-exec")));
static __thread int mp_inside __attribute__((tls_model("initial-exec")));
/* Pages the sanitizer's own code opened while it runs (mp_keep), closed when it leaves. */
#define KEPT_MAX 32
static __thread uintptr_t mp_kept[KEPT_MAX] __attribute__((tls_model("initial-exec")));
static __thread unsigned int mp_nkept __attribute__((tls_model("initial-exec")));
/* the held page this thread copies the bytes into */
static __thread uintptr_t mp_opening __attribute__((tls_model("initial-exec")));

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

/* ---------------------------------------------------------------- held pages ---- */

/* A free held buffer, or -1 (writers, under mp_lock). */
static int mp_held_get(void)
{
	unsigned int w;

	for (w = 0; w < HELD_MAX / 64; w++) {
		unsigned long used = atomic_load(&mp_held_used[w]);

		if (~used) {
			int b = __builtin_ctzl(~used);

			atomic_fetch_or(&mp_held_used[w], 1UL << b);
			return (int)(w * 64 + b);
		}
	}
	return -1;
}

/* Async-signal-safe: the fault handler gives buffers back. */
static void mp_held_put(int i)
{
	atomic_fetch_and(&mp_held_used[i / 64], ~(1UL << (i % 64)));
}

GPR_ONLY static void mp_set_prot(uintptr_t page, int prot);

/* /proc/self/mem, through which the kernel writes into a page whatever its protection: a held
 * page gets its bytes while still closed, so no other thread sees it open before they are in. */
static int mp_mem_fd = -1;
static pid_t mp_mem_pid;
static dev_t mp_mem_dev;
static ino_t mp_mem_ino;

/* Not in signal context (at start-up, in a forked child): true when writes reach a closed page. */
static bool mp_mem_open(void)
{
	uint8_t one = 1;
	struct stat st;
	void *probe = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	bool ok = fd >= 0 && probe != MAP_FAILED && !fstat(fd, &st) &&
		  syscall(SYS_pwrite64, fd, &one, 1, (off_t)(uintptr_t)probe) == 1;

	if (probe != MAP_FAILED)
		munmap(probe, PAGE);
	if (!ok) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	mp_mem_dev = st.st_dev;
	mp_mem_ino = st.st_ino;
	mp_mem_pid = getpid();
	mp_mem_fd = fd;
	return true;
}

/* Async-signal-safe. False when the descriptor is not ours any more (a forked child before it
 * reopened it, a program that closed it): the caller opens the page, then copies. */
static bool mp_fill_closed(uintptr_t page, const void *bytes)
{
	struct stat st;

	return mp_mem_fd >= 0 && syscall(SYS_getpid) == mp_mem_pid &&
	       !syscall(SYS_fstat, mp_mem_fd, &st) && st.st_dev == mp_mem_dev &&
	       st.st_ino == mp_mem_ino &&
	       syscall(SYS_pwrite64, mp_mem_fd, bytes, PAGE, (off_t)page) == (long)PAGE;
}

/* Open a held page for good and put its bytes back (the fault handler, a syscall, kfree).
 * Async-signal-safe. False when the page holds nothing (or an owned line came back). */
static bool mp_open_held(struct mp_slot *ps, uintptr_t page, bool touched)
{
	int h = atomic_load(&ps->held);
	uintptr_t l;

	if (h <= 0 || atomic_load(&ps->count) ||
	    !atomic_compare_exchange_strong(&ps->held, &h, MP_OPENING))
		return false;
	for (l = page; l < page + PAGE; l += mp_line_size) {
		struct mp_slot *ls = mp_find(mp_lines, l, false);

		if (ls)
			atomic_store(&ls->count, 0);
	}
	if (mp_fill_closed(page, mp_held_mem + (size_t)(h - 1) * PAGE)) {
		mp_set_prot(page, PROT_READ | PROT_WRITE);
	} else { /* another thread may read the poison until the copy is done */
		mp_opening = page;
		mp_set_prot(page, PROT_READ | PROT_WRITE);
		memcpy((void *)page, mp_held_mem + (size_t)(h - 1) * PAGE, PAGE);
		mp_opening = 0;
	}
	mp_held_put(h - 1);
	atomic_fetch_sub(&mp_held_pages, 1);
	atomic_fetch_sub(&mp_protected, 1);
	if (touched)
		atomic_store(&ps->eager, EAGER_AFTER_TOUCH);
	atomic_store(&ps->held, 0);
	return true;
}

/* The page's bytes are held (or being opened or taken): its line counts mean nothing. */
static bool mp_held(uintptr_t page)
{
	struct mp_slot *ps = mp_find(mp_pages, page, false);

	return ps && atomic_load(&ps->held) && !atomic_load(&ps->count);
}

/* Wait for another thread's handler opening the page (it takes no lock and never waits). */
static int mp_held_settled(struct mp_slot *ps)
{
	int h;

	while ((h = atomic_load(&ps->held)) == MP_OPENING)
		sched_yield();
	return h;
}

/* --------------------------------------------------------------- handlers ---- */

static void mp_chain(struct sigaction *old, int sig, siginfo_t *si, void *ctx)
{
	if (old->sa_flags & SA_SIGINFO) {
		old->sa_sigaction(sig, si, ctx);
	} else if (old->sa_handler == SIG_DFL || old->sa_handler == SIG_IGN) {
		/* not ours: default action when the instruction faults again (the kernel's
		 * sigaction: signal() is interposed, intercept_signals.c) */
		long dfl[4] = { 0 }; /* handler SIG_DFL, flags, restorer, mask */

		syscall(SYS_rt_sigaction, sig, dfl, NULL, 8); /* the kernel's sigset: 8 bytes */
	} else {
		old->sa_handler(sig);
	}
}

/* A violation at addr by the instruction at rip (where the program runs it, also when it runs
 * out of line), with the registers of uc: the stack is unwound from there. */
static bool mp_record(uintptr_t addr, bool write, const ucontext_t *uc, uintptr_t rip)
{
	unsigned int slot = atomic_fetch_add(&mp_ring_head, 1) % RING, n = 0;
	struct mp_fault *f = &mp_ring[slot];
	ucontext_t at = *uc;
	unw_cursor_t c;
	unw_word_t ip;

	if (atomic_load(&f->ready)) {
		atomic_fetch_add(&mp_lost, 1);
		return false;
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
	atomic_fetch_add(&mp_ring_ready, 1);
	return true;
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

	/* a page given back meanwhile is held: closed too (its memory has only the poison) */
	if (ps && (atomic_load(&ps->count) || atomic_load(&ps->held)) && !atomic_load(&ps->open)) {
		bool ro = atomic_load(&ps->readable);

		mp_set_prot(page, ro ? PROT_READ : PROT_NONE);
		/* held pages stay closed (and one being opened: its opener reopens it) */
		if (!atomic_load(&ps->count) && !atomic_load(&ps->held))
			mp_set_prot(page, PROT_READ | PROT_WRITE);
		else if (ro && !atomic_load(&ps->readable)) /* handed over again meanwhile */
			mp_set_prot(page, PROT_NONE);
	}
}

/* A read of a device-owned line was just recorded. When one protected range covers the whole
 * page (one mapping's), every further read of it in this ownership period is the same bug,
 * already found: the page stays readable (its memory holds the poison the trapped read saw)
 * until the next hand-over closes it again. Writes still trap. Async-signal-safe. */
static void mp_read_found(struct mp_slot *ps)
{
	if (atomic_load(&ps->whole) && atomic_load(&ps->count) >= (int)(PAGE / mp_line_size) &&
	    !atomic_load(&ps->held))
		atomic_store(&ps->readable, 1);
}

static bool mp_owned_line(uintptr_t addr)
{
	return !mp_inside && mp_count(mp_lines, addr & ~(mp_line_size - 1));
}

/* Async-signal-safe: page joins the pages this thread's sanitizer code keeps open; false when
 * too many (the access is then single-stepped). */
static bool mp_keep(uintptr_t page)
{
	unsigned int i;

	for (i = 0; i < mp_nkept; i++)
		if (mp_kept[i] == page)
			return true; /* another thread's one-instruction close hit it meanwhile */
	if (mp_nkept == KEPT_MAX)
		return false;
	mp_kept[mp_nkept] = page;
	mp_nkept++;
	return true;
}

static void mp_segv(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	uintptr_t addr = (uintptr_t)si->si_addr, page = addr & ~(PAGE - 1), orig;
	uintptr_t *rip = (uintptr_t *)&uc->uc_mcontext.gregs[REG_RIP];
	bool write = uc->uc_mcontext.gregs[REG_ERR] & 2;
	int saved_errno = errno, held;
	struct mp_slot *ps;

	if (si->si_code != SEGV_ACCERR || !mp_find(mp_pages, page, false)) {
		mp_chain(&mp_old_segv, sig, si, ctx); /* not a page of ours */
		return;
	}
	if (page == mp_opening) {
		/* another thread's one-instruction close hit the page this thread opens */
		mp_set_prot(page, PROT_READ | PROT_WRITE);
		errno = saved_errno;
		return;
	}
	ps = mp_find(mp_pages, page, false);
	held = atomic_load(&ps->held);
	if (held == MP_OPENING) {
		errno = saved_errno; /* another thread opens it or a map takes it: retried */
		return;
	}
	if (held > 0 && !atomic_load(&ps->count)) {
		/* held after an unmap: the CPU owns every line, so this is the first touch */
		mp_open_held(ps, page, true);
		errno = saved_errno;
		return;
	}
	/* Whatever opens the page below, its next give-backs keep it open instead (its memory
	 * would show the poison if it stayed open by a race). Against a give-back under way:
	 * each side stores, then loads the other's field, so at least one of them backs off. */
	atomic_store(&ps->eager, EAGER_AFTER_TOUCH);
	if (atomic_load(&ps->held) && atomic_load(&ps->count)) {
		errno = saved_errno; /* a give-back under way: retried */
		return;
	}
	if (!atomic_load(&ps->count)) {
		/* no device-owned line is left on it, so it must be accessible: a trap handler's
		 * re-protect raced with an unprotect. Repair it; the access is retried. */
		if (!mp_open_held(ps, page, false)) /* or a give-back just ended: held then */
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
	if (mp_inside && !mp_open[0] && mp_keep(page)) {
		/* the sanitizer's own access (a snapshot of a buffer another mapping owns): the
		 * page stays open until it leaves, not one trap per instruction of its copy */
		mprotect((void *)page, PAGE, PROT_READ | PROT_WRITE);
		errno = saved_errno;
		return;
	}
	if (mp_open[0] != page && mp_open[1] != page) {
		if (mp_open[0] && mp_open[1]) {
			mp_chain(&mp_old_segv, sig, si, ctx); /* a third page in one instruction */
			return;
		}
		if (mp_owned_line(addr) && mp_record(addr, write, uc, *rip) && !write)
			mp_read_found(ps);
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
	if (child && mp_mem_fd >= 0) { /* the parent's memory is behind it */
		close(mp_mem_fd);
		mp_mem_fd = -1;
		if (!mp_mem_open())
			mp_lazy_stop(); /* opening would race: the child holds no more */
	}
}

bool mp_init(size_t line_size, bool lazy)
{
	struct sigaction sa;

	mp_line_size = line_size;
	mp_held_mem = lazy && line_size <= PAGE
			      ? mmap(NULL, HELD_MAX * PAGE, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
			      : MAP_FAILED;
	atomic_store(&mp_lazy, mp_held_mem != MAP_FAILED && mp_mem_open());
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
	if (--mp_inside || !mp_nkept)
		return;
	while (mp_nkept) /* closed again unless given back to the CPU meanwhile */
		mp_reclose(mp_kept[--mp_nkept]);
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
	/* held pages the take-back did not cover: their bytes go back before anyone reads them,
	 * and their lines' counts are true again */
	mp_open_held_range(lo & ~(mp_line_size - 1), hi, false);
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
			if (p >= lo && p + PAGE <= hi)
				atomic_store(&ps->whole, 1);
			/* a new hand-over: reads of the page are reported again */
			if (atomic_exchange(&ps->readable, 0) && atomic_load(&ps->count) &&
			    !atomic_load(&ps->open))
				mprotect((void *)p, PAGE, PROT_NONE);
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
				atomic_store(&ps->whole, 0);
				atomic_store(&ps->readable, 0);
				atomic_fetch_sub(&mp_protected, 1);
				/* opened (dmasan's own copy back, a syscall): accessible already,
				 * and left so when closed */
				if (!atomic_load(&ps->open))
					mprotect((void *)p, PAGE, PROT_READ | PROT_WRITE);
			}
		}
	}
	pthread_mutex_unlock(&mp_lock);
}

/* The pages of [lo, hi), whole pages, into ps[]; false unless each is known and satisfies ok. */
static bool mp_whole_pages(uintptr_t lo, uintptr_t hi, struct mp_slot **ps,
			   bool (*ok)(struct mp_slot *))
{
	unsigned int i;

	if ((lo | hi) & (PAGE - 1) || hi <= lo || (hi - lo) / PAGE > HELD_PER_CALL)
		return false;
	for (i = 0; i < (hi - lo) / PAGE; i++) {
		ps[i] = mp_find(mp_pages, lo + i * PAGE, false);
		if (!ps[i] || !ok(ps[i]))
			return false;
	}
	return true;
}

/* Closed for exactly the lines of one mapping: every line of the page owned once. */
static bool mp_giveable(struct mp_slot *ps)
{
	return atomic_load(&ps->count) == (int)(PAGE / mp_line_size) && !atomic_load(&ps->open) &&
	       !atomic_load(&ps->held) && !atomic_load(&ps->readable);
}

static bool mp_takeable(struct mp_slot *ps)
{
	return mp_held_settled(ps) > 0 && !atomic_load(&ps->count) && !atomic_load(&ps->open);
}

/* Writers hold mp_lock; the handler only loads, or CASes held. The order keeps the handler right
 * at every step: held is set before the page's count drops (a touch meanwhile is still the
 * device's), and cleared after it is back; a give-back sets held, then backs off if a handler
 * has just opened the page for a racing access (eager, see mp_segv). The counts of a held
 * page's lines are left as they were (one each) and mean nothing: readers ask the page first
 * (mp_held); a take-back makes them true again, an opening clears them. */
bool mp_give_back(uintptr_t lo, uintptr_t hi, const void *bytes)
{
	struct mp_slot *ps[HELD_PER_CALL];
	int idx[HELD_PER_CALL];
	unsigned int i, n = (hi - lo) / PAGE, got = 0;
	bool ok;

	if (!atomic_load_explicit(&mp_lazy, memory_order_relaxed))
		return false;
	pthread_mutex_lock(&mp_lock);
	ok = mp_whole_pages(lo, hi, ps, mp_giveable);
	for (i = 0; ok && i < n; i++)
		if (atomic_load(&ps[i]->eager) > 0) {
			atomic_fetch_sub(&ps[i]->eager, 1);
			ok = false;
		}
	while (ok && got < n && (idx[got] = mp_held_get()) >= 0)
		got++;
	ok = ok && got == n;
	for (i = 0; ok && i < n; i++) {
		dmasan_hw_copy(mp_held_mem + (size_t)idx[i] * PAGE, (const uint8_t *)bytes + i * PAGE,
			       PAGE);
		mp_held_page[idx[i]] = lo + i * PAGE;
		atomic_store(&ps[i]->held, idx[i] + 1);
	}
	/* a handler opening one of the pages right now (a racing access) wins: see mp_segv */
	for (i = 0; ok && i < n; i++)
		ok = !atomic_load(&ps[i]->eager);
	for (i = 0; got == n && !ok && i < n; i++)
		atomic_store(&ps[i]->held, 0);
	for (i = 0; ok && i < n; i++) {
		atomic_fetch_add(&mp_held_pages, 1);
		/* still in mp_protected: the page stays closed */
		atomic_store(&ps[i]->whole, 0);
		atomic_store_explicit(&ps[i]->count, 0, memory_order_release);
	}
	for (i = 0; !ok && i < got; i++)
		mp_held_put(idx[i]);
	pthread_mutex_unlock(&mp_lock);
	return ok;
}

bool mp_take_held(uintptr_t lo, uintptr_t hi, void *view)
{
	struct mp_slot *ps[HELD_PER_CALL];
	int idx[HELD_PER_CALL];
	unsigned int i, n = (hi - lo) / PAGE;
	bool ok;

	if (!atomic_load(&mp_held_pages))
		return false;
	pthread_mutex_lock(&mp_lock);
	ok = mp_whole_pages(lo, hi, ps, mp_takeable);
	for (i = 0; ok && i < n; i++) {
		idx[i] = atomic_load(&ps[i]->held);
		if (!atomic_compare_exchange_strong(&ps[i]->held, &idx[i], MP_OPENING))
			break; /* a handler opens it right now */
	}
	if (ok && i < n) {
		while (i--) /* leave the others held */
			atomic_store(&ps[i]->held, idx[i]);
		ok = false;
	}
	for (i = 0; ok && i < n; i++) {
		if (view)
			dmasan_hw_copy((uint8_t *)view + i * PAGE,
				       mp_held_mem + (size_t)(idx[i] - 1) * PAGE, PAGE);
		atomic_store(&ps[i]->whole, 1);
		atomic_store_explicit(&ps[i]->count, (int)(PAGE / mp_line_size),
				      memory_order_release);
		mp_held_put(idx[i] - 1);
		atomic_fetch_sub(&mp_held_pages, 1);
		atomic_store_explicit(&ps[i]->held, 0, memory_order_release);
	}
	pthread_mutex_unlock(&mp_lock);
	return ok;
}

void mp_open_held_range(uintptr_t lo, uintptr_t hi, bool touched)
{
	uintptr_t p;

	if (!atomic_load(&mp_held_pages) || hi <= lo)
		return;
	for (p = lo & ~(PAGE - 1); p < hi; p += PAGE) {
		struct mp_slot *ps = mp_find(mp_pages, p, false);

		if (ps && mp_held_settled(ps) > 0)
			mp_open_held(ps, p, touched);
	}
}

void mp_released(uintptr_t lo, uintptr_t hi)
{
	uintptr_t p;

	mp_open_held_range(lo, hi, false);
	if (!atomic_load_explicit(&mp_lazy, memory_order_relaxed))
		return;
	for (p = (lo + PAGE - 1) & ~(PAGE - 1); p + PAGE <= hi; p += PAGE) {
		struct mp_slot *ps = mp_find(mp_pages, p, false);

		if (ps) /* whole pages change hands: the next buffer there starts afresh */
			atomic_store_explicit(&ps->eager, 0, memory_order_relaxed);
	}
}

/* The program replaces our SIGSEGV handler: a held page's first touch would reach its handler,
 * so every held page opens now and no more are held. */
void mp_lazy_stop(void)
{
	unsigned int w;

	if (!atomic_exchange(&mp_lazy, false) || !mp_held_mem)
		return;
	pthread_mutex_lock(&mp_lock);
	for (w = 0; w < HELD_MAX / 64; w++) {
		unsigned long used = atomic_load(&mp_held_used[w]);

		while (used) {
			int i = (int)(w * 64 + __builtin_ctzl(used));
			struct mp_slot *ps = mp_find(mp_pages, mp_held_page[i], false);

			used &= used - 1;
			if (ps && mp_held_settled(ps) == i + 1)
				mp_open_held(ps, mp_held_page[i], false);
		}
	}
	pthread_mutex_unlock(&mp_lock);
}

bool mp_is_handler(void (*fn)(int, siginfo_t *, void *))
{
	return fn == mp_segv;
}

/* Not instrumented: ThreadSanitizer installs its own SIGSEGV handler through our sigaction
 * while it initialises, before it can run instrumented code. */
__attribute__((no_sanitize_address, no_sanitize_thread)) bool mp_lazy_on(void)
{
	return atomic_load_explicit(&mp_lazy, memory_order_relaxed);
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

	if (san_dmabuf_cpu_access(addr, write, stack, tid, detected_by))
		return; /* a dma-buf's vmap outside its CPU-access brackets */
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

	if (!atomic_load_explicit(&mp_ring_ready, memory_order_acquire))
		return;
	for (i = 0; i < RING; i++) {
		struct mp_fault *f = &mp_ring[i];

		if (!atomic_load(&f->ready))
			continue;
		mp_emit(f->addr, f->write, dmasan_stack_put(f->pcs, f->npcs), f->tid, released,
			"mprotect");
		if (atomic_exchange(&f->ready, 0))
			atomic_fetch_sub(&mp_ring_ready, 1);
	}
}

/* The calling thread's DMA layer just copied [lo, hi) (a SWIOTLB bounce): faults it took
 * there were the DMA layer's, not the driver's (a buffer mapped twice is still owned by the
 * other mapping while the first one bounces). */
void mp_forgive(uintptr_t lo, uintptr_t hi)
{
	unsigned int i;
	uintptr_t p;

	if (!atomic_load_explicit(&mp_ring_ready, memory_order_acquire))
		return;
	/* nor do they leave the pages readable (mp_read_found): the driver's reads still trap */
	pthread_mutex_lock(&mp_lock);
	for (p = lo & ~(PAGE - 1); p < hi; p += PAGE) {
		struct mp_slot *ps = mp_find(mp_pages, p, false);

		if (ps && atomic_exchange(&ps->readable, 0) && atomic_load(&ps->count) &&
		    !atomic_load(&ps->open))
			mprotect((void *)p, PAGE, PROT_NONE);
	}
	pthread_mutex_unlock(&mp_lock);
	for (i = 0; i < RING; i++) {
		struct mp_fault *f = &mp_ring[i];

		if (atomic_load(&f->ready) && f->thread == (uintptr_t)&mp_inside &&
		    f->addr >= lo && f->addr < hi && atomic_exchange(&f->ready, 0))
			atomic_fetch_sub(&mp_ring_ready, 1);
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
		if (mp_count(mp_lines, l) && !mp_held(l & ~(PAGE - 1)))
			owned = l < lo ? lo : l;
	if (owned) /* the kernel is about to touch a device-owned line on the program's behalf */
		mp_emit(owned, kernel_writes, 0, dmasan_thread_id(), NULL, call);
	mp_open_held_range(lo, hi, true); /* the CPU's own pages: opened for good, with their bytes */
	return mp_open_pages(lo, hi, pages, max);
}

unsigned int mp_open_pages(uintptr_t lo, uintptr_t hi, uintptr_t *pages, unsigned int max)
{
	uintptr_t p;
	unsigned int n = 0;

	if (hi <= lo || !mp_pages || !mp_any_protected())
		return 0;
	for (p = lo & ~(PAGE - 1); p < hi && !mp_count(mp_pages, p); p += PAGE)
		;
	if (p >= hi)
		return 0; /* none closed for owned lines (held ones open when touched) */
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
			mprotect((void *)pages[i], PAGE,
				 atomic_load(&s->readable) ? PROT_READ : PROT_NONE);
	}
	pthread_mutex_unlock(&mp_lock);
}

#else /* !x86_64: no single-stepping; the backend is unavailable */

void san_mp_fork_lock(void) {}
void san_mp_fork_unlock(bool child) {}

bool mp_init(size_t line_size, bool lazy)
{
	return false;
}
bool mp_give_back(uintptr_t lo, uintptr_t hi, const void *bytes)
{
	return false;
}
bool mp_take_held(uintptr_t lo, uintptr_t hi, void *view)
{
	return false;
}
void mp_open_held_range(uintptr_t lo, uintptr_t hi, bool touched) {}
void mp_released(uintptr_t lo, uintptr_t hi) {}
void mp_lazy_stop(void) {}
bool mp_lazy_on(void)
{
	return false;
}
bool mp_is_handler(void (*fn)(int, siginfo_t *, void *))
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
