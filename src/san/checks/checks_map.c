// SPDX-License-Identifier: MIT
/*
 * dma_map_single/page/phys/resource (kernel debug_dma_map_single + debug_dma_map_phys),
 * dma_mapping_error(), and the overlap rule over whole ranges (the kernel tracks only the first
 * cache line of each mapping).
 */
#include <linux/dma-mapping.h>

#include "checks/checks.h"
#include "stacks/stack.h"
#include "ownership/ownership_hooks.h"

#ifndef DMA_ATTR_CPU_CACHE_CLEAN
#define DMA_ATTR_CPU_CACHE_CLEAN (1UL << 11)
#endif

static unsigned long entry_attrs(const struct san_entry *e)
{
	return e->type == KDMA_TYPE_POOL ? 0 : e->attrs; /* pool entries keep their pool there */
}

static bool map_failure_report(const struct san_call *call, enum kdma_map_failure why,
			       const void *cpu_addr, phys_addr_t phys, size_t size, int dir)
{
	struct dmasan_report r;
	enum dmasan_check c;

	switch (why) {
	case KDMA_FAIL_VMALLOC:
		c = DMASAN_CHECK_MAP_FROM_VMALLOC;
		break;
	case KDMA_FAIL_OVERFLOW:
		c = DMASAN_CHECK_MAP_OVERFLOW;
		break;
	case KDMA_FAIL_SWIOTLB_FULL:
		c = DMASAN_CHECK_SWIOTLB_FULL;
		break;
	default:
		return false;
	}
	san_report_start(&r, c, call);
	if (cpu_addr)
		dmasan_report_hex(&r, "addr", (uintptr_t)cpu_addr);
	dmasan_report_hex(&r, "phys", phys);
	dmasan_report_u64(&r, "size", size);
	dmasan_report_str(&r, "direction", san_dir_name(dir));
	if (c == DMASAN_CHECK_MAP_OVERFLOW && call->dev && call->dev->dma_mask) {
		dmasan_report_hex(&r, "mask", *call->dev->dma_mask);
		dmasan_report_hex(&r, "bus limit", call->dev->bus_dma_limit);
	}
	dmasan_report_emit(&r);
	return true;
}

static void check_zero_length(const struct san_call *call, const void *cpu_addr, phys_addr_t phys,
			      const char *what)
{
	struct dmasan_report r;

	san_report_start(&r, DMASAN_CHECK_ZERO_LENGTH_MAP, call);
	dmasan_report_str(&r, "call", what);
	if (cpu_addr)
		dmasan_report_hex(&r, "addr", (uintptr_t)cpu_addr);
	else
		dmasan_report_hex(&r, "phys", phys);
	dmasan_report_emit(&r);
}

void san_on_map(const struct san_call *call, enum kdma_map_type type,
			   const void *cpu_addr, phys_addr_t phys, size_t size,
			   enum dma_data_direction dir, unsigned long attrs, dma_addr_t handle,
			   unsigned int flags, enum kdma_map_failure why)
{
	bool failed = flags & KDMA_MAP_FAILED, unsafe = false;

	if (!san_check_direction(call, dir, "map") || !call->dev)
		return;
	if (size == 0)
		check_zero_length(call, cpu_addr, phys, san_type_name(type));
	if (type == KDMA_TYPE_RESOURCE) {
		unsafe = san_check_resource_ram(call, phys, size);
	} else if (!(failed && why == KDMA_FAIL_VMALLOC)) {
		unsafe = san_check_map_area(call, cpu_addr ? cpu_addr : (const void *)(uintptr_t)phys,
					    size, type);
	}
	if (failed) {
		/* Not tracked, as in the kernel: using the error value later is invalid-unmap. */
		map_failure_report(call, why, cpu_addr, phys, size, dir);
		return;
	}
	san_track(call, &(struct san_entry){
		.bus = { .start = handle, .end = handle + size },
		.phys = { .start = phys, .end = type == KDMA_TYPE_RESOURCE ? phys : phys + size },
		.cpu_addr = cpu_addr, .attrs = attrs, .type = type, .dir = dir,
		.map_err = SAN_MAPERR_NOT_CHECKED,
		.flags = san_map_flags(flags) | (unsafe ? SAN_E_UNSAFE_AREA : 0) });
}

/* ---------------------------------------------------------- overlapping-mapping ---- */

struct overlap_ctx {
	const struct san_entry *new;
	struct san_entry found;
	bool hit;
};

/* The kernel's overlap rule, over the whole range: neither is TO_DEVICE, neither was mapped with
 * DMA_ATTR_SKIP_CPU_SYNC, and not both promise clean caches. */
static bool overlap_conflicts(struct san_entry *old, void *arg)
{
	struct overlap_ctx *c = arg;
	unsigned long a = entry_attrs(old), b = entry_attrs(c->new);

	if (old->dir == DMA_TO_DEVICE || (a & DMA_ATTR_SKIP_CPU_SYNC))
		return false;
	if ((a & DMA_ATTR_CPU_CACHE_CLEAN) && (b & DMA_ATTR_CPU_CACHE_CLEAN))
		return false;
	san_entry_snapshot(&c->found, old);
	c->hit = true;
	return true;
}

/* Whether a new entry is checked for overlaps at all (the same rule, its side). */
static bool overlap_checked(const struct san_entry *e)
{
	return e->phys.end > e->phys.start && e->dir != DMA_TO_DEVICE &&
	       !(entry_attrs(e) & DMA_ATTR_SKIP_CPU_SYNC) &&
	       dmasan_check_enabled(DMASAN_CHECK_OVERLAPPING_MAPPING);
}

static void report_overlap(const struct san_call *call, const struct san_entry *e,
			   const struct overlap_ctx *c)
{
	struct dmasan_report r;
	u64 lo, hi;

	lo = e->phys.start > c->found.phys.start ? e->phys.start : c->found.phys.start;
	hi = e->phys.end < c->found.phys.end ? e->phys.end : c->found.phys.end;
	san_report_start(&r, DMASAN_CHECK_OVERLAPPING_MAPPING, call);
	dmasan_report_hex(&r, "phys", e->phys.start);
	dmasan_report_u64(&r, "size", e->phys.end - e->phys.start);
	dmasan_report_str(&r, "mapped as", san_type_name(e->type));
	dmasan_report_str(&r, "direction", san_dir_name(e->dir));
	dmasan_report_hex(&r, "overlap start", lo);
	dmasan_report_u64(&r, "overlap size", hi - lo);
	dmasan_report_hex(&r, "live device address", san_handle(&c->found));
	dmasan_report_u64(&r, "live size", san_size(&c->found));
	dmasan_report_str(&r, "live mapped as", san_type_name(c->found.type));
	dmasan_report_str(&r, "live direction", san_dir_name(c->found.dir));
	san_report_entry_stacks(&r, &c->found);
	dmasan_report_emit(&r);
}

/* A new live entry from a template: the call's device, stack and thread; inserted, checked for
 * overlaps on the way in (reported once it is in: reports take no table lock). */
struct san_entry *san_track(const struct san_call *call, const struct san_entry *tmpl)
{
	struct san_entry *e = san_entry_alloc_from(tmpl);
	struct overlap_ctx oc;

	if (!e)
		return NULL;
	e->hnext = NULL;
	e->dev = call->dev;
	e->map_stack = call->stack;
	e->tid = call->tid;
	oc.new = e;
	oc.hit = false;
	san_table_insert(e, overlap_checked(e) ? overlap_conflicts : NULL, &oc);
	if (oc.hit)
		report_overlap(call, e, &oc);
	/* last: its copies leave many stores in flight, and a locked instruction after them waits
	 * for all of them */
	san_shadow_map(e);
	return e;
}

void san_on_mapping_error(const struct san_call *call, dma_addr_t handle)
{
	if (handle != DMA_MAPPING_ERROR)
		san_table_mark_checked(call->dev, handle);
}

/* ---------------------------------------------------------- unchecked-map-error ---- */

void san_report_unchecked(const struct san_call *call, const struct san_entry *e,
				     const char *use)
{
	dmasan_stack_id use_stack = call->stack ? call->stack : dmasan_stack_capture(0);
	struct dmasan_report r;

	/* The bug is the map site that did not check; where the handle got used is the evidence.
	 * So the map stack leads (SUMMARY, suppression key, dedup) and the use is related. */
	san_report_start(&r, DMASAN_CHECK_UNCHECKED_MAP_ERROR, call);
	if (e->map_stack) {
		r.stack = e->map_stack;
		r.tid = e->tid;
	}
	san_report_entry(&r, e);
	dmasan_report_str(&r, "used by", use);
	if (use_stack != e->map_stack) /* a leak has no use of its own: the map stack says it all */
		dmasan_report_related(&r, "use", "first used unchecked by", use_stack, call->tid);
	dmasan_report_emit(&r);
}
