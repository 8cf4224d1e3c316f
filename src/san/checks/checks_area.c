// SPDX-License-Identifier: MIT
/*
 * Where mapped memory lives. The kernel's DMA debugging only rejects the current task's stack;
 * here: any thread's stack (stacks/threads.c), read-only segments of every loaded object
 * (rt/modules.c), memory that is not mapped at all, and RAM handed to dma_map_resource.
 * Whether memory is mapped is one mincore() call: it fails with ENOMEM on unmapped pages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/mm.h>

#include "checks/checks.h"
#include "rt/modules.h"
#include "rt/services.h"
#include "stacks/threads.h"

#define SAN_PAGE 4096UL

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

void san_area_unmapped(void)
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
	dmasan_report_str(&r, "stack", san_stack_is_current(slo) ? "current thread" : "another thread");
	dmasan_report_emit(&r);
	return true;
}

static bool check_readonly(const struct san_call *call, uintptr_t lo, uintptr_t hi)
{
	const struct san_ro_segment *ro = san_ro_segment_find(lo, hi);
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

bool san_check_map_area(const struct san_call *call, const void *p, size_t len,
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

bool san_check_resource_ram(const struct san_call *call, phys_addr_t phys, size_t len)
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
