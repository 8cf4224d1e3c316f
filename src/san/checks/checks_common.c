// SPDX-License-Identifier: MIT
/* Names, facts and history stacks shared by the reports of every check. */
#include "checks/checks.h"
#include "common/names.h"

const char *san_dir_name(int dir)
{
	return dmasan_dir_name(dir);
}

bool san_dir_valid(int dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE || dir == DMA_FROM_DEVICE;
}

/* The kernel says "phy" for single, page and resource since 6.18; we keep them apart. */
const char *san_type_name(int type)
{
	return dmasan_type_label(type);
}

bool san_is_allocation(int type)
{
	return type == KDMA_TYPE_COHERENT || type == KDMA_TYPE_NONCOHERENT ||
	       type == KDMA_TYPE_NONCONTIGUOUS || type == KDMA_TYPE_POOL;
}

void san_report_start(struct dmasan_report *r, enum dmasan_check c,
				 const struct san_call *call)
{
	dmasan_report_init(r, c, call->dev);
	r->stack = call->stack;
}

void san_report_entry(struct dmasan_report *r, const struct san_entry *e)
{
	dmasan_report_hex(r, "device address", san_handle(e));
	dmasan_report_u64(r, "size", san_size(e));
	dmasan_report_str(r, "mapped as", san_type_name(e->type));
	dmasan_report_str(r, "direction", san_dir_name(e->dir));
}

void san_report_entry_stacks(struct dmasan_report *r, const struct san_entry *e)
{
	bool alloc = san_is_allocation(e->type);

	dmasan_report_related(r, alloc ? "alloc" : "map", alloc ? "allocated by" : "mapped by",
			      e->map_stack, e->tid);
	if (e->sync_cpu_stack)
		dmasan_report_related(r, "sync_for_cpu", "last synced for the CPU by",
				      e->sync_cpu_stack, e->sync_cpu_tid);
	if (e->sync_dev_stack)
		dmasan_report_related(r, "sync_for_device", "last synced for the device by",
				      e->sync_dev_stack, e->sync_dev_tid);
}

void san_report_hist(struct dmasan_report *r, const struct san_hist *h)
{
	bool alloc = san_is_allocation(h->type);

	dmasan_report_str(r, "mapped as", san_type_name(h->type));
	dmasan_report_u64(r, "map size", h->size);
	dmasan_report_related(r, alloc ? "alloc" : "map", alloc ? "allocated by" : "mapped by",
			      h->map_stack, h->map_tid);
	dmasan_report_related(r, alloc ? "free" : "unmap",
			      alloc ? "first freed by" : "first unmapped by", h->unmap_stack,
			      h->unmap_tid);
}

bool san_check_direction(const struct san_call *call, int dir, const char *what)
{
	struct dmasan_report r;

	if (san_dir_valid(dir))
		return true;
	san_report_start(&r, DMASAN_CHECK_INVALID_DIRECTION, call);
	dmasan_report_str(&r, "call", what);
	dmasan_report_u64(&r, "direction", (u64)(unsigned int)dir);
	dmasan_report_str(&r, "direction name", san_dir_name(dir));
	dmasan_report_emit(&r);
	return false;
}

void san_on_bad_object(const struct san_call *call, const void *obj, enum kdma_object_kind kind,
		       bool destroyed, const char *fn)
{
	bool dev = kind == KDMA_OBJ_DEVICE;
	struct dmasan_report r;

	san_report_start(&r, dev ? DMASAN_CHECK_INVALID_DEVICE : DMASAN_CHECK_INVALID_POOL, call);
	const char *state = destroyed ? "destroyed" : "never created";

	if (destroyed)
		r.sentence = dev ? "device driver uses a device that was already destroyed"
				 : "device driver uses a dma_pool that was already destroyed";
	else
		r.sentence = dev ? "device driver passes a pointer that is not a device"
				 : "device driver passes a pointer that is not a dma_pool";
	if ((uintptr_t)obj == 0 || (uintptr_t)obj >= (uintptr_t)-4095) { /* NULL or ERR_PTR: a failed step passed on unchecked */
		r.sentence = dev ? "device driver passes a NULL or ERR_PTR device pointer"
				 : "device driver passes a NULL or ERR_PTR dma_pool pointer";
		state = obj ? "ERR_PTR" : "NULL";
	}
	dmasan_report_str(&r, "call", fn ? fn : "?");
	dmasan_report_hex(&r, dev ? "device pointer" : "pool pointer", (uintptr_t)obj);
	dmasan_report_str(&r, "state", state);
	dmasan_report_emit(&r);
}
