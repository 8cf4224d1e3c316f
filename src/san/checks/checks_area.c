// SPDX-License-Identifier: MIT
/*
 * Where mapped memory lives (kernel-dma.md §1.11, sharper): any thread's stack (not only the
 * current one), read-only segments of every loaded object, memory that is not mapped at all, and
 * RAM handed to dma_map_resource.
 *
 * Stacks: each thread registers its bounds (pthread_getattr_np) the first time it enters the
 * sanitizer, and unregisters at exit; the main thread is registered at start-up. Read-only
 * segments come from dl_iterate_phdr, cached and rebuilt when objects are loaded or unloaded.
 * Whether memory is mapped is one mincore() call: it fails with ENOMEM on unmapped pages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/mm.h>

#include "checks/checks.h"
#include "rt/services.h"

#define SAN_PAGE 4096UL

/* ------------------------------------------------------------------ stacks ---- */

#define MAX_STACKS 1024

static struct {
	atomic_uintptr_t lo, hi;
} stacks[MAX_STACKS];
static atomic_int stacks_used; /* slots ever used: scans stop there */

static __thread int my_stack_slot __attribute__((tls_model("initial-exec"))) = -1;
static __thread uintptr_t my_lo __attribute__((tls_model("initial-exec")));
static __thread uintptr_t my_hi __attribute__((tls_model("initial-exec")));
static pthread_key_t stack_key;
static pthread_once_t stack_once = PTHREAD_ONCE_INIT;

static void stack_unregister(void *slot_plus_one)
{
	int slot = (int)(uintptr_t)slot_plus_one - 1;

	if (slot >= 0 && slot < MAX_STACKS) {
		atomic_store(&stacks[slot].hi, 0);
		atomic_store(&stacks[slot].lo, 0);
	}
}

static void stack_key_create(void)
{
	pthread_key_create(&stack_key, stack_unregister);
}

static int stack_slot_add(uintptr_t lo, uintptr_t hi)
{
	for (int i = 0; i < MAX_STACKS; i++) {
		uintptr_t zero = 0;

		if (atomic_compare_exchange_strong(&stacks[i].lo, &zero, lo)) {
			int used = atomic_load(&stacks_used);

			atomic_store(&stacks[i].hi, hi);
			while (used <= i && !atomic_compare_exchange_weak(&stacks_used, &used, i + 1))
				;
			return i;
		}
	}
	return -1;
}

SAN_HIDDEN void san_area_thread_register(void)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;

	if (my_stack_slot != -1)
		return;
	my_stack_slot = -2; /* tried */
	if (pthread_getattr_np(pthread_self(), &attr))
		return;
	if (!pthread_attr_getstack(&attr, &addr, &size)) {
		my_lo = (uintptr_t)addr;
		my_hi = (uintptr_t)addr + size;
		if (getpid() != gettid()) { /* the main thread is registered from /proc */
			int slot = stack_slot_add(my_lo, my_hi);

			if (slot >= 0) {
				my_stack_slot = slot;
				pthread_once(&stack_once, stack_key_create);
				pthread_setspecific(stack_key, (void *)(uintptr_t)(slot + 1));
			}
		}
	}
	pthread_attr_destroy(&attr);
}

/* The main thread's [stack] line of /proc/self/maps (its stack may grow up to the rlimit, but
 * what is mapped is what can be mapped for DMA). Read with plain read(2): no stdio. */
static void main_stack_register(void)
{
	char buf[8192];
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	ssize_t n, have = 0;

	if (fd < 0)
		return;
	for (;;) {
		char *nl, *line = buf;

		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			break;
		have += n;
		buf[have] = 0;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			if (strstr(line, "[stack]")) {
				unsigned long lo = strtoul(line, &line, 16);
				unsigned long hi = strtoul(line + 1, NULL, 16);

				stack_slot_add(lo, hi);
				close(fd);
				return;
			}
			line = nl + 1;
		}
		have = buf + have - line;
		memmove(buf, line, have);
	}
	close(fd);
}

SAN_HIDDEN bool san_addr_on_stack(uintptr_t lo, uintptr_t hi, uintptr_t *stack_lo,
				  uintptr_t *stack_hi)
{
	if (my_hi && lo < my_hi && hi > my_lo) {
		*stack_lo = my_lo;
		*stack_hi = my_hi;
		return true;
	}
	int used = atomic_load_explicit(&stacks_used, memory_order_acquire);

	for (int i = 0; i < used; i++) {
		uintptr_t slo = atomic_load_explicit(&stacks[i].lo, memory_order_relaxed);
		uintptr_t shi = atomic_load_explicit(&stacks[i].hi, memory_order_relaxed);

		if (!slo && !shi)
			continue;
		if (shi && lo < shi && hi > slo) {
			*stack_lo = slo;
			*stack_hi = shi;
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------- read-only segments ---- */

struct ro_range {
	uintptr_t lo, hi;
	const char *name;
};

struct ro_set {
	unsigned long long adds, subs;
	unsigned int n;
	struct ro_range r[];
};

static _Atomic(struct ro_set *) ro_cur;
static pthread_mutex_t ro_lock = PTHREAD_MUTEX_INITIALIZER;

struct ro_build {
	struct ro_set *set;
	unsigned int cap;
};

static int ro_collect(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct ro_build *b = arg;

	for (unsigned int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		bool ro = (ph->p_type == PT_LOAD && !(ph->p_flags & PF_W)) ||
			  ph->p_type == PT_GNU_RELRO;

		if (!ro || !ph->p_memsz || b->set->n >= b->cap)
			continue;
		b->set->r[b->set->n++] = (struct ro_range){
			info->dlpi_addr + ph->p_vaddr, info->dlpi_addr + ph->p_vaddr + ph->p_memsz,
			info->dlpi_name && info->dlpi_name[0] ? info->dlpi_name : "the executable",
		};
	}
	return 0;
}

static int ro_cmp(const void *a, const void *b)
{
	const struct ro_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int ro_counts(struct dl_phdr_info *info, size_t size, void *arg)
{
	unsigned long long *c = arg;

	if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof(info->dlpi_subs)) {
		c[0] = info->dlpi_adds;
		c[1] = info->dlpi_subs;
	}
	return 1; /* the counters are the same in every callback: stop after one */
}

static const struct ro_set *ro_get(void)
{
	unsigned long long c[2] = { 0, 0 };
	struct ro_set *cur = atomic_load_explicit(&ro_cur, memory_order_acquire);

	dl_iterate_phdr(ro_counts, c);
	if (cur && cur->adds == c[0] && cur->subs == c[1])
		return cur;
	pthread_mutex_lock(&ro_lock);
	cur = atomic_load(&ro_cur);
	if (!cur || cur->adds != c[0] || cur->subs != c[1]) {
		const unsigned int cap = 2048;
		size_t bytes = sizeof(struct ro_set) + cap * sizeof(struct ro_range);
		void *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (mem != MAP_FAILED) {
			struct ro_build b = { mem, cap };

			b.set->adds = c[0];
			b.set->subs = c[1];
			dl_iterate_phdr(ro_collect, &b);
			qsort(b.set->r, b.set->n, sizeof(b.set->r[0]), ro_cmp);
			/* The old set stays mapped: a reader may still be scanning it. */
			atomic_store_explicit(&ro_cur, b.set, memory_order_release);
			cur = b.set;
		}
	}
	pthread_mutex_unlock(&ro_lock);
	return cur;
}

static const struct ro_range *ro_find(uintptr_t lo, uintptr_t hi)
{
	const struct ro_set *s = ro_get();
	unsigned int a = 0, b, n;

	if (!s)
		return NULL;
	/* Sorted by start; segments of one object never overlap each other's starts, and a
	 * RELRO range lies inside a PT_LOAD one, so checking the last few starting below hi is
	 * enough. */
	for (b = s->n; a < b;) {
		unsigned int mid = (a + b) / 2;

		if (s->r[mid].lo < hi)
			a = mid + 1;
		else
			b = mid;
	}
	for (n = 0; a > 0 && n < 4; a--, n++)
		if (lo < s->r[a - 1].hi && hi > s->r[a - 1].lo)
			return &s->r[a - 1];
	return NULL;
}

/* ------------------------------------------------------------------ mapped? ---- */

/* Pages recently found mapped, per thread, valid while no munmap/mremap went through the
 * interceptors (san_area_unmapped bumps the generation). glibc's internal unmaps are not seen, so
 * a stale hit can only miss a map-invalid-area report, never invent one. */
#define PAGE_CACHE 64
static atomic_uint unmap_gen;
static __thread struct {
	uintptr_t page;
	unsigned int gen;
} page_cache[PAGE_CACHE] __attribute__((tls_model("initial-exec")));

SAN_HIDDEN void san_area_unmapped(void)
{
	atomic_fetch_add_explicit(&unmap_gen, 1, memory_order_relaxed);
}

static bool pages_cached(uintptr_t a, uintptr_t hi, unsigned int gen)
{
	for (; a < hi; a += SAN_PAGE) {
		unsigned int i = (a / SAN_PAGE) % PAGE_CACHE;

		if (page_cache[i].page != a || page_cache[i].gen != gen)
			return false;
	}
	return true;
}

static void pages_remember(uintptr_t a, uintptr_t hi, unsigned int gen)
{
	for (unsigned int n = 0; a < hi && n < PAGE_CACHE; a += SAN_PAGE, n++) {
		unsigned int i = (a / SAN_PAGE) % PAGE_CACHE;

		page_cache[i].page = a;
		page_cache[i].gen = gen;
	}
}

/* True if every page of [lo, hi) is mapped in this process. */
static bool range_mapped(uintptr_t lo, uintptr_t hi)
{
	uintptr_t a = lo & ~(SAN_PAGE - 1), first = a;
	unsigned int gen = atomic_load_explicit(&unmap_gen, memory_order_relaxed);
	unsigned char vec[64];

	if (lo < SAN_PAGE)
		return false;
	if (hi - a <= 4 * SAN_PAGE && pages_cached(a, hi, gen))
		return true;
	while (a < hi) {
		size_t pages = (hi - a + SAN_PAGE - 1) / SAN_PAGE;

		if (pages > sizeof(vec))
			pages = sizeof(vec);
		if (mincore((void *)a, pages * SAN_PAGE, vec) && errno == ENOMEM)
			return false;
		a += pages * SAN_PAGE;
	}
	pages_remember(first, hi, gen);
	return true;
}

/* ------------------------------------------------------------------ checks ---- */

SAN_HIDDEN void san_area_init(void)
{
	main_stack_register();
	san_area_thread_register();
}

static bool check_stack(const struct san_call *call, uintptr_t lo, uintptr_t hi)
{
	uintptr_t slo, shi;
	struct dmasan_report r;

	if (!san_addr_on_stack(lo, hi, &slo, &shi))
		return false;
	san_report_start(&r, DMASAN_CHECK_MAP_FROM_STACK, call);
	dmasan_report_hex(&r, "addr", lo);
	dmasan_report_u64(&r, "len", hi - lo);
	dmasan_report_hex(&r, "stack start", slo);
	dmasan_report_hex(&r, "stack end", shi);
	dmasan_report_str(&r, "stack", slo == my_lo ? "current thread" : "another thread");
	dmasan_report_emit(&r);
	return true;
}

static bool check_readonly(const struct san_call *call, uintptr_t lo, uintptr_t hi)
{
	const struct ro_range *ro = ro_find(lo, hi);
	struct dmasan_report r;

	if (!ro)
		return false;
	san_report_start(&r, DMASAN_CHECK_MAP_FROM_READONLY, call);
	dmasan_report_hex(&r, "addr", lo);
	dmasan_report_u64(&r, "len", hi - lo);
	dmasan_report_str(&r, "object", ro->name);
	dmasan_report_hex(&r, "segment start", ro->lo);
	dmasan_report_hex(&r, "segment end", ro->hi);
	dmasan_report_emit(&r);
	return true;
}

static bool check_mapped(const struct san_call *call, uintptr_t lo, uintptr_t hi)
{
	struct dmasan_report r;

	if (range_mapped(lo, hi ? hi : lo + 1))
		return false;
	san_report_start(&r, DMASAN_CHECK_MAP_INVALID_AREA, call);
	dmasan_report_hex(&r, "addr", lo);
	dmasan_report_u64(&r, "len", hi - lo);
	dmasan_report_emit(&r);
	return true;
}

SAN_HIDDEN bool san_check_map_area(const struct san_call *call, const void *p, size_t len,
				   int type)
{
	uintptr_t lo = (uintptr_t)p, hi = lo + (len ? len : 1);
	size_t (*kmalloc_span)(const void *, const void **) = SAN_KDMA(kmalloc_span);
	const void *start;
	size_t size;

	if (hi < lo)
		hi = UINTPTR_MAX;
	/* The common case, cheaply: a live kmalloc object is mapped memory, on no stack and in no
	 * read-only segment. */
	if (kmalloc_span && (size = kmalloc_span(p, &start)) &&
	    hi <= (uintptr_t)start + size)
		return false;
	if (check_mapped(call, lo, hi))
		return true;
	if (check_stack(call, lo, hi))
		return true;
	return check_readonly(call, lo, hi);
}

SAN_HIDDEN bool san_check_resource_ram(const struct san_call *call, phys_addr_t phys, size_t len)
{
	struct dmasan_report r;
	uintptr_t lo = (uintptr_t)phys, hi = lo + (len ? len : 1);

	bool (*pfn_reserved)(unsigned long) = SAN_KDMA(pfn_reserved);

	if (!range_mapped(lo, hi))
		return false; /* not memory of this process: a modelled MMIO window */
	if (pfn_reserved && pfn_reserved(phys >> PAGE_SHIFT))
		return false; /* declared as MMIO / reserved */
	san_report_start(&r, DMASAN_CHECK_MAP_RESOURCE_RAM, call);
	r.sentence = NULL;
	dmasan_report_hex(&r, "phys", phys);
	dmasan_report_u64(&r, "len", len);
	dmasan_report_emit(&r);
	return true;
}

/* A child of fork() has only the forking thread: a mutex held by another one is dead. */
static void area_atfork_child(void)
{
	pthread_mutex_init(&ro_lock, NULL);
}

__attribute__((constructor)) static void area_init(void)
{
	pthread_atfork(NULL, NULL, area_atfork_child);
}
