// SPDX-License-Identifier: MIT
/*
 * CPU-access backends for the ownership layer; see cpu_access.h.
 *
 * Valgrind: client requests are no-ops when not running under it, so this code costs a few
 * instructions natively. ASan: its interface functions are looked up at run time, so
 * libdmasan.so itself is not built with ASan and works with programs that are.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>

#include "checks/checks_dmabuf.h"
#include "ownership/cpu_access.h"
#include "ownership/cpu_access_mprotect.h"
#include "ownership/ownership_hooks.h"
#include "rt/oom.h"
#include "rt/options.h"
#include "rt/services.h"
#include "report/report.h"
#include "table/table.h"

static enum cpu_access_backend backend;
static pthread_once_t backend_once = PTHREAD_ONCE_INIT;

static void (*asan_poison)(const volatile void *addr, size_t size);
static void (*asan_unpoison)(const volatile void *addr, size_t size);
static int (*asan_is_poisoned)(const volatile void *addr);
static void (*asan_set_report_cb)(void (*cb)(const char *));

static void asan_report_cb(const char *text);

static bool asan_present(void)
{
	asan_poison = (void (*)(const volatile void *, size_t))dlsym(RTLD_DEFAULT,
								    "__asan_poison_memory_region");
	asan_unpoison = (void (*)(const volatile void *, size_t))dlsym(
		RTLD_DEFAULT, "__asan_unpoison_memory_region");
	asan_is_poisoned = (int (*)(const volatile void *))dlsym(RTLD_DEFAULT,
								 "__asan_address_is_poisoned");
	asan_set_report_cb = (void (*)(void (*)(const char *)))dlsym(
		RTLD_DEFAULT, "__asan_set_error_report_callback");
	return asan_poison && asan_unpoison && asan_is_poisoned;
}

static void choose_backend(void)
{
	switch (dmasan_opts.cpu_access) {
	case DMASAN_CPU_ACCESS_VALGRIND:
		backend = RUNNING_ON_VALGRIND ? CPU_ACCESS_VALGRIND : CPU_ACCESS_NONE;
		break;
	case DMASAN_CPU_ACCESS_ASAN:
		backend = asan_present() ? CPU_ACCESS_ASAN : CPU_ACCESS_NONE;
		break;
	case DMASAN_CPU_ACCESS_AUTO:
		if (RUNNING_ON_VALGRIND)
			backend = CPU_ACCESS_VALGRIND;
		else if (asan_present())
			backend = CPU_ACCESS_ASAN;
		else
			backend = mp_init(dmasan_opts.line_size, dmasan_opts.mprotect_lazy)
					  ? CPU_ACCESS_MPROTECT
					  : CPU_ACCESS_NONE;
		break;
	case DMASAN_CPU_ACCESS_MPROTECT:
		backend = mp_init(dmasan_opts.line_size, dmasan_opts.mprotect_lazy)
				  ? CPU_ACCESS_MPROTECT
				  : CPU_ACCESS_NONE;
		break;
	default:
		backend = CPU_ACCESS_NONE;
	}
	if (backend == CPU_ACCESS_ASAN && asan_set_report_cb)
		asan_set_report_cb(asan_report_cb);
}

enum cpu_access_backend cpu_access_backend(void)
{
	pthread_once(&backend_once, choose_backend);
	return backend;
}

const char *cpu_access_backend_name(void)
{
	static const char *const names[] = { "none", "valgrind", "asan", "mprotect" };

	return names[cpu_access_backend()];
}

/* ----------------------------------------------------------------- valgrind ---- */

void cpu_access_quiet_begin(void)
{
	if (cpu_access_backend() == CPU_ACCESS_VALGRIND)
		VALGRIND_DISABLE_ERROR_REPORTING;
	else if (backend == CPU_ACCESS_MPROTECT)
		mp_inside_begin();
}

void cpu_access_quiet_end(void)
{
	if (cpu_access_backend() == CPU_ACCESS_VALGRIND)
		VALGRIND_ENABLE_ERROR_REPORTING;
	else if (backend == CPU_ACCESS_MPROTECT)
		mp_inside_end();
}

void cpu_access_drain(const struct san_entry *released)
{
	if (cpu_access_backend() == CPU_ACCESS_MPROTECT)
		mp_drain(released);
}

void cpu_access_dma_layer_copied(uintptr_t lo, uintptr_t hi)
{
	if (cpu_access_backend() == CPU_ACCESS_MPROTECT)
		mp_forgive(lo, hi);
}

bool cpu_access_traps_writes(void)
{
	enum cpu_access_backend b = cpu_access_backend();

	return b == CPU_ACCESS_MPROTECT || b == CPU_ACCESS_ASAN;
}

/* --------------------------------------------------------------------- asan ---- */

/* Per tracked piece. ASan keeps one shadow byte per 8-byte granule: before poisoning we
 * remember which granules ASan itself considered poisoned (freed memory, redzones), so that
 * unpoisoning at take-back never hides a real use-after-free. */
struct tracked {
	enum cpu_access_backend kind;
	unsigned int vg_block;
	uintptr_t lo;
	size_t ngranules;
	u8 asan_was_poisoned[];
};

static void asan_restore(const struct tracked *t, uintptr_t lo, uintptr_t hi)
{
	uintptr_t g = (lo - t->lo) / 8 * 8 + t->lo;

	for (; g < hi; g += 8) {
		size_t i = (g - t->lo) / 8;

		if (i < t->ngranules && t->asan_was_poisoned[i])
			asan_poison((void *)g, 8);
	}
}

struct asan_hit {
	uintptr_t addr;
	struct san_entry copy;
	bool found;
};

static bool asan_find(struct san_entry *e, void *arg)
{
	struct asan_hit *h = arg;

	if (!__atomic_load_n(&e->shadow, __ATOMIC_RELAXED))
		return false;
	san_entry_snapshot(&h->copy, e);
	h->found = true;
	return true;
}

/* The current stack without ASan's own reporting frames (nor ours): the access is the first
 * frame outside the ASan runtime and the sanitizer. */
static dmasan_stack_id asan_access_stack(void)
{
	const uintptr_t *pcs;
	unsigned int n = dmasan_stack_get(dmasan_stack_capture(1), &pcs), i;
	Dl_info info, self;
	bool have_self = dladdr((void *)asan_access_stack, &self) && self.dli_fname;

	for (i = 0; i < n; i++)
		if (!dladdr((void *)pcs[i], &info) || !info.dli_fname ||
		    (!strstr(info.dli_fname, "libasan") &&
		     !(have_self && !strcmp(info.dli_fname, self.dli_fname))))
			break;
	return i < n ? dmasan_stack_put(pcs + i, n - i) : 0;
}

/* ASan is about to die on a use-after-poison: if the address is a device-owned line, say
 * which check it is and which mapping, in our report and JSON record, before it does. */
static void asan_report_cb(const char *text)
{
	const char *p = strstr(text, "on address 0x");
	struct dmasan_report r;
	struct asan_hit h = { 0 };
	bool write;

	/* an unaligned access that reaches into poisoned granules is an "unknown-crash" */
	if (!p || (!strstr(text, "use-after-poison") && !strstr(text, "unknown-crash")))
		return;
	h.addr = strtoull(p + strlen("on address "), NULL, 16);
	write = strstr(text, "WRITE of size") != NULL;
	if (san_dmabuf_cpu_access(h.addr, write, asan_access_stack(), dmasan_thread_id(), "asan"))
		return; /* a dma-buf's vmap outside its CPU-access brackets */
	san_table_visit_phys(h.addr, h.addr + 1, asan_find, &h);
	if (!h.found && !san_shadow_entry_of(h.addr, &h.copy))
		return;
	dmasan_report_init(&r, write ? DMASAN_CHECK_CPU_WRITE_DEVICE_OWNED
				      : DMASAN_CHECK_CPU_READ_DEVICE_OWNED, h.copy.dev);
	r.sentence = write ? "CPU wrote into DMA memory while the device owned it"
			   : "CPU read DMA memory while the device owned it (stale data)";
	dmasan_report_hex(&r, "cpu address", h.addr);
	dmasan_report_hex(&r, "mapping device address", san_handle(&h.copy));
	dmasan_report_u64(&r, "mapping size", san_size(&h.copy));
	dmasan_report_str(&r, "detected by", "asan");
	r.stack = asan_access_stack();
	dmasan_report_related(&r, "map", "mapped by", h.copy.map_stack, h.copy.tid);
	dmasan_report_emit(&r);
}

/* -------------------------------------------------------------- interface ---- */

/* mprotect keeps nothing per piece: one cookie for all, never freed. */
static struct tracked mp_tracked = { .kind = CPU_ACCESS_MPROTECT };

uintptr_t cpu_access_track(uintptr_t lo, uintptr_t hi, const char *what)
{
	enum cpu_access_backend kind = cpu_access_backend();
	size_t n = kind == CPU_ACCESS_ASAN ? (hi - lo + 7) / 8 : 0, i;
	struct tracked *t;

	if (kind == CPU_ACCESS_NONE || hi <= lo)
		return 0;
	if (kind == CPU_ACCESS_MPROTECT)
		return (uintptr_t)&mp_tracked;
	if (san_mem_fail() || !(t = calloc(1, sizeof(*t) + n))) {
		san_mem_failed(SAN_MEM_CPU_ACCESS);
		return 0;
	}
	t->kind = kind;
	t->lo = lo;
	t->ngranules = n;
	if (kind == CPU_ACCESS_VALGRIND)
		t->vg_block = VALGRIND_CREATE_BLOCK((void *)lo, hi - lo, what);
	for (i = 0; i < n; i++)
		t->asan_was_poisoned[i] = asan_is_poisoned((void *)(lo + i * 8)) != 0;
	return (uintptr_t)t;
}

void cpu_access_untrack(uintptr_t cookie)
{
	struct tracked *t = (struct tracked *)cookie;

	if (!t || t == &mp_tracked)
		return;
	if (t->kind == CPU_ACCESS_VALGRIND)
		VALGRIND_DISCARD(t->vg_block);
	free(t);
}

void cpu_access_protect(uintptr_t cookie, uintptr_t lo, uintptr_t hi)
{
	struct tracked *t = (struct tracked *)cookie;

	if (!t || hi <= lo)
		return;
	if (t->kind == CPU_ACCESS_VALGRIND)
		VALGRIND_MAKE_MEM_NOACCESS((void *)lo, hi - lo);
	else if (t->kind == CPU_ACCESS_MPROTECT)
		mp_protect(lo, hi);
	else
		asan_poison((void *)lo, hi - lo);
}

void cpu_access_unprotect(uintptr_t cookie, uintptr_t lo, uintptr_t hi)
{
	struct tracked *t = (struct tracked *)cookie;

	if (!t || hi <= lo)
		return;
	if (t->kind == CPU_ACCESS_VALGRIND) {
		/* the bytes come from the device (or its view): all defined */
		VALGRIND_MAKE_MEM_DEFINED((void *)lo, hi - lo);
	} else if (t->kind == CPU_ACCESS_MPROTECT) {
		mp_unprotect(lo, hi);
	} else {
		asan_unpoison((void *)lo, hi - lo);
		asan_restore(t, lo, hi);
	}
}

/* Only memory of a live kmalloc object: its kfree opens the pages first (cpu_access_released),
 * so a page is never given back to the allocator, or unmapped and mapped anew, while held. */
bool cpu_access_give_back(uintptr_t cookie, uintptr_t lo, uintptr_t hi, const void *bytes)
{
	struct tracked *t = (struct tracked *)cookie;
	size_t (*kmalloc_span)(const void *, const void **) = SAN_KDMA(kmalloc_span);
	const void *start;
	size_t size;

	if (!t || t->kind != CPU_ACCESS_MPROTECT || !kmalloc_span)
		return false;
	size = kmalloc_span((const void *)lo, &start);
	if (!size || (uintptr_t)start + size < hi)
		return false;
	return mp_give_back(lo, hi, bytes);
}

bool cpu_access_take_held(uintptr_t cookie, uintptr_t lo, uintptr_t hi, void *view)
{
	struct tracked *t = (struct tracked *)cookie;

	return t && t->kind == CPU_ACCESS_MPROTECT && mp_take_held(lo, hi, view);
}

void cpu_access_released(const void *p, size_t size)
{
	if (size && cpu_access_backend() == CPU_ACCESS_MPROTECT)
		mp_released((uintptr_t)p, (uintptr_t)p + size);
}

void cpu_access_touch_begin(uintptr_t cookie, uintptr_t lo, uintptr_t hi,
			    struct cpu_access_touch *t)
{
	struct tracked *tr = (struct tracked *)cookie;

	t->n = tr && tr->kind == CPU_ACCESS_MPROTECT
		       ? mp_open_pages(lo, hi, t->pages, sizeof(t->pages) / sizeof(t->pages[0]))
		       : 0;
}

void cpu_access_touch_end(struct cpu_access_touch *t)
{
	mp_close_pages(t->pages, t->n);
	t->n = 0;
}

void cpu_access_check_defined(struct device *dev, dma_addr_t bus, uintptr_t lo, uintptr_t hi,
			      unsigned int dir)
{
	u8 vbits[256];
	uintptr_t a;
	size_t undefined = 0;
	uintptr_t first = 0;
	struct dmasan_report r;

	if (cpu_access_backend() != CPU_ACCESS_VALGRIND || hi <= lo)
		return;
	for (a = lo; a < hi; a += sizeof(vbits)) {
		size_t n = hi - a < sizeof(vbits) ? hi - a : sizeof(vbits), i;

		if (VALGRIND_GET_VBITS((void *)a, vbits, n) != 1)
			return; /* not addressable (already reported as a bad area) */
		for (i = 0; i < n; i++)
			if (vbits[i] && !undefined++)
				first = a + i;
	}
	if (!undefined)
		return;
	dmasan_report_init(&r, DMASAN_CHECK_UNINIT_TO_DEVICE, dev);
	r.sentence = "uninitialised bytes handed to the device";
	dmasan_report_hex(&r, "device address", bus == DMA_MAPPING_ERROR ? bus : bus + (first - lo));
	dmasan_report_hex(&r, "cpu address", first);
	dmasan_report_u64(&r, "uninitialised bytes", undefined);
	dmasan_report_u64(&r, "mapping size", hi - lo);
	dmasan_report_str(&r, "direction", dir == 0 ? "DMA_BIDIRECTIONAL" : "DMA_TO_DEVICE");
	dmasan_report_emit(&r);
}
