// SPDX-License-Identifier: MIT
/*
 * Releasing one handle: dma_unmap_single/page/phys/resource, each segment of dma_unmap_sg, and
 * dma_free_* (the kernel's check_unmap). Sharper than the kernel: a handle that was unmapped
 * before is a double-unmap (with where it was mapped and first unmapped), not "not allocated";
 * single and page are distinct kinds. As in the kernel the entry is released whatever was wrong
 * with the call.
 */
#include <linux/dma-mapping.h>

#include "checks/checks.h"
#include "ownership/ownership_hooks.h"

struct containing {
	dma_addr_t addr;
	struct san_entry found;
	bool hit;
};

static bool find_containing(struct san_entry *e, void *arg)
{
	struct containing *c = arg;

	san_entry_snapshot(&c->found, e);
	c->hit = true;
	return true;
}

static void report_not_live(const struct san_call *call, const struct san_unmap_ref *ref,
			    struct san_reported *reported)
{
	struct dmasan_report r;
	struct san_hist h;
	struct containing c = { .addr = ref->handle };

	if (san_history_find_unmap(call->dev, ref->handle, ref->size, &h)) {
		if (!san_once(reported, DMASAN_CHECK_DOUBLE_UNMAP))
			return;
		san_report_start(&r, DMASAN_CHECK_DOUBLE_UNMAP, call);
		dmasan_report_hex(&r, "device address", ref->handle);
		dmasan_report_u64(&r, "size", ref->size);
		dmasan_report_str(&r, "unmapped as", san_type_name(ref->type));
		san_report_hist(&r, &h);
		dmasan_report_emit(&r);
		return;
	}
	if (!san_once(reported, DMASAN_CHECK_UNKNOWN_UNMAP))
		return;
	san_report_start(&r, DMASAN_CHECK_UNKNOWN_UNMAP, call);
	dmasan_report_hex(&r, "device address", ref->handle);
	dmasan_report_u64(&r, "size", ref->size);
	dmasan_report_str(&r, "unmapped as", san_type_name(ref->type));
	/* An address inside a live mapping: the driver unmapped from the wrong start. */
	san_table_visit_bus(call->dev, ref->handle, ref->handle + 1, find_containing, &c);
	if (c.hit) {
		dmasan_report_hex(&r, "inside mapping at", san_handle(&c.found));
		dmasan_report_u64(&r, "of size", san_size(&c.found));
		san_report_entry_stacks(&r, &c.found);
	}
	dmasan_report_emit(&r);
}

static void report_mismatch(const struct san_call *call, enum dmasan_check check,
			    const struct san_entry *e, const struct san_unmap_ref *ref)
{
	struct dmasan_report r;

	san_report_start(&r, check, call);
	dmasan_report_hex(&r, "device address", san_handle(e));
	switch (check) {
	case DMASAN_CHECK_UNMAP_SIZE_MISMATCH:
		dmasan_report_u64(&r, "map size", san_size(e));
		dmasan_report_u64(&r, "unmap size", ref->size);
		dmasan_report_str(&r, "mapped as", san_type_name(e->type));
		dmasan_report_str(&r, "direction", san_dir_name(e->dir));
		break;
	case DMASAN_CHECK_UNMAP_WRONG_FUNCTION:
		dmasan_report_u64(&r, "size", san_size(e));
		dmasan_report_str(&r, "mapped as", san_type_name(e->type));
		dmasan_report_str(&r, "unmapped as", san_type_name(ref->type));
		break;
	case DMASAN_CHECK_FREE_CPU_ADDR_MISMATCH:
		dmasan_report_u64(&r, "size", san_size(e));
		dmasan_report_hex(&r, "cpu alloc address", (uintptr_t)e->cpu_addr);
		dmasan_report_hex(&r, "cpu free address", (uintptr_t)ref->cpu_addr);
		break;
	case DMASAN_CHECK_UNMAP_DIRECTION_MISMATCH:
		dmasan_report_u64(&r, "size", san_size(e));
		dmasan_report_str(&r, "mapped as", san_type_name(e->type));
		dmasan_report_str(&r, "mapped with", san_dir_name(e->dir));
		dmasan_report_str(&r, "unmapped with", san_dir_name(ref->dir));
		break;
	case DMASAN_CHECK_UNMAP_SG_NENTS_MISMATCH:
		dmasan_report_u64(&r, "size", san_size(e));
		dmasan_report_u64(&r, "map count", e->sg_call_nents);
		dmasan_report_u64(&r, "unmap count", ref->sg_call_nents);
		dmasan_report_u64(&r, "mapped entries", e->sg_mapped_nents);
		break;
	default:
		san_report_entry(&r, e);
		break;
	}
	san_report_entry_stacks(&r, e);
	dmasan_report_emit(&r);
}

bool san_release(const struct san_call *call, const struct san_unmap_ref *ref,
			    struct san_reported *reported)
{
	struct san_ref sref = { ref->size, ref->type, ref->dir, ref->sg_call_nents };
	struct san_entry *e;

	if (ref->handle == DMA_MAPPING_ERROR) {
		if (san_once(reported, DMASAN_CHECK_INVALID_UNMAP)) {
			struct dmasan_report r;

			san_report_start(&r, DMASAN_CHECK_INVALID_UNMAP, call);
			dmasan_report_hex(&r, "device address", ref->handle);
			dmasan_report_u64(&r, "size", ref->size);
			dmasan_report_str(&r, "unmapped as", san_type_name(ref->type));
			dmasan_report_emit(&r);
		}
		return false;
	}
	e = san_table_remove_exact(call->dev, ref->handle, &sref);
	if (!e) {
		report_not_live(call, ref, reported);
		return false;
	}
	if (san_size(e) != ref->size && san_once(reported, DMASAN_CHECK_UNMAP_SIZE_MISMATCH))
		report_mismatch(call, DMASAN_CHECK_UNMAP_SIZE_MISMATCH, e, ref);
	if (e->type != ref->type) {
		if (san_once(reported, DMASAN_CHECK_UNMAP_WRONG_FUNCTION))
			report_mismatch(call, DMASAN_CHECK_UNMAP_WRONG_FUNCTION, e, ref);
	} else if (ref->check_cpu_addr && e->cpu_addr != ref->cpu_addr &&
		   san_once(reported, DMASAN_CHECK_FREE_CPU_ADDR_MISMATCH)) {
		report_mismatch(call, DMASAN_CHECK_FREE_CPU_ADDR_MISMATCH, e, ref);
	}
	if (e->dir != ref->dir && san_once(reported, DMASAN_CHECK_UNMAP_DIRECTION_MISMATCH))
		report_mismatch(call, DMASAN_CHECK_UNMAP_DIRECTION_MISMATCH, e, ref);
	if (ref->sg_call_nents && e->type == KDMA_TYPE_SG &&
	    e->sg_call_nents != ref->sg_call_nents &&
	    san_once(reported, DMASAN_CHECK_UNMAP_SG_NENTS_MISMATCH))
		report_mismatch(call, DMASAN_CHECK_UNMAP_SG_NENTS_MISMATCH, e, ref);
	if (e->map_err == SAN_MAPERR_NOT_CHECKED && !(e->flags & SAN_E_UNCHECKED_REPORTED) &&
	    san_once(reported, DMASAN_CHECK_UNCHECKED_MAP_ERROR))
		san_report_unchecked(call, e, "unmap");
	san_history_add(e, call->stack, call->tid);
	san_shadow_release(e);
	san_entry_free(e);
	return true;
}

void san_on_unmap(const struct san_call *call, enum kdma_map_type type,
			     dma_addr_t handle, size_t size, enum dma_data_direction dir,
			     unsigned long attrs)
{
	struct san_unmap_ref ref = { handle, size, type, dir, 0, NULL, false };
	struct san_reported reported = { 0 };

	if (!san_check_direction(call, dir, "unmap"))
		return;
	san_release(call, &ref, &reported);
}
