// SPDX-License-Identifier: MIT
/*
 * Memory released while DMA still uses it (group B): a live streaming mapping inside memory
 * given back by kfree/vfree/__free_pages (libkdma's mem_free hook) or free/realloc/munmap
 * (intercept.c) is freed-while-mapped; coherent, noncoherent or pool memory released that way
 * instead of with its own free function is coherent-freed-wrongly.
 */
#include "checks/checks.h"
#include "ownership/ownership_hooks.h"

#define MAX_HITS 4

struct release_hits {
	unsigned int n_map, n_alloc;
	struct san_entry map, alloc; /* the first of each kind */
};

static bool collect(struct san_entry *e, void *arg)
{
	struct release_hits *h = arg;

	if (san_is_allocation(e->type)) {
		if (!h->n_alloc++)
			san_entry_snapshot(&h->alloc, e);
	} else {
		if (!h->n_map++)
			san_entry_snapshot(&h->map, e);
	}
	return h->n_map + h->n_alloc >= MAX_HITS;
}

static void report_release(enum dmasan_check c, const struct san_entry *e, unsigned int n,
			   const void *p, size_t len, const char *how)
{
	struct san_call call = { e->dev, 0, dmasan_thread_id() };
	struct dmasan_report r;

	san_report_start(&r, c, &call);
	dmasan_report_str(&r, "released by", how);
	dmasan_report_hex(&r, "addr", (uintptr_t)p);
	dmasan_report_u64(&r, "len", len);
	dmasan_report_hex(&r, "mapped phys", e->phys.start);
	san_report_entry(&r, e);
	if (n > 1)
		dmasan_report_u64(&r, "live mappings in range", n);
	san_report_entry_stacks(&r, e);
	dmasan_report_emit(&r);
}

unsigned int san_check_release_memory(const void *p, size_t len, const char *how,
						 bool heap)
{
	struct release_hits h = { 0 };
	u64 lo = (uintptr_t)p;

	if (!p || !san_table_phys_maybe(lo, lo + (len ? len : 1)))
		return 0;
	san_table_visit_phys(lo, lo + (len ? len : 1), collect, &h);
	if (h.n_map) {
		report_release(DMASAN_CHECK_FREED_WHILE_MAPPED, &h.map, h.n_map, p, len, how);
		san_shadow_cpu_released(lo, lo + (len ? len : 1));
	}
	if (h.n_alloc)
		report_release(DMASAN_CHECK_COHERENT_FREED_WRONGLY, &h.alloc, h.n_alloc, p, len, how);
	return (h.n_map != 0) + (h.n_alloc != 0);
}
