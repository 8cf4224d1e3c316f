// SPDX-License-Identifier: MIT
/*
 * dma_sync_single_* and each segment of dma_sync_sg_* (the kernel's check_sync). The lookup is
 * a containing match in the device's bus index, so a sync of any sub-range finds its mapping; a
 * sync that starts inside a mapping and runs past its end is sync-out-of-range (dead code in the
 * kernel, live here). The entry remembers the stack of its last sync in each direction.
 */
#include <linux/dma-mapping.h>

#include "checks/checks.h"

struct sync_pick {
	dma_addr_t addr;
	u64 size;
	int dir;
	u32 nelems;
	struct san_entry *best;
	u64 best_seq;
	int best_score;
	struct san_entry copy;
};

/* Best containing mapping: the whole range first, then the direction, then the sg count. */
static bool sync_choose(struct san_entry *e, void *arg)
{
	struct sync_pick *p = arg;
	int score = 0;

	if (p->addr - e->bus.start <= san_size(e) && p->size <= san_size(e) - (p->addr - e->bus.start))
		score += 4;
	if (e->dir == p->dir || e->dir == DMA_BIDIRECTIONAL)
		score += 2;
	if (!p->nelems || e->sg_call_nents == p->nelems)
		score += 1;
	if (score > p->best_score) {
		p->best_score = score;
		p->best = e;
		p->best_seq = e->seq;
		san_entry_snapshot(&p->copy, e);
	}
	return false;
}

struct sync_mark {
	struct san_entry *target;
	u64 seq;
	bool for_cpu;
	dmasan_stack_id stack;
	u16 tid;
	bool report_unchecked;
};

static bool sync_mark(struct san_entry *e, void *arg)
{
	struct sync_mark *m = arg;

	if (e != m->target || e->seq != m->seq)
		return false;
	san_entry_set_sync(e, m->for_cpu, m->stack, m->tid);
	if (san_entry_take_unchecked(e))
		m->report_unchecked = true;
	return true;
}

static void report_unknown(const struct san_call *call, dma_addr_t addr, u64 size)
{
	struct dmasan_report r;
	struct san_hist h;

	san_report_start(&r, DMASAN_CHECK_SYNC_UNKNOWN, call);
	dmasan_report_hex(&r, "device address", addr);
	dmasan_report_u64(&r, "size", size);
	if (san_history_find(call->dev, addr, 1, &h)) {
		dmasan_report_hex(&r, "unmapped mapping at", h.handle);
		san_report_hist(&r, &h);
	}
	dmasan_report_emit(&r);
}

static void report_direction(const struct san_call *call, const struct san_entry *e, int dir,
			     bool for_cpu)
{
	struct dmasan_report r;

	san_report_start(&r, DMASAN_CHECK_SYNC_DIRECTION_MISMATCH, call);
	san_report_entry(&r, e);
	dmasan_report_str(&r, "mapped with", san_dir_name(e->dir));
	dmasan_report_str(&r, "synced with", san_dir_name(dir));
	dmasan_report_str(&r, "sync", for_cpu ? "for cpu" : "for device");
	/* The kernel's second messages when the mismatch also moves data the wrong way. */
	if (for_cpu && e->dir != DMA_FROM_DEVICE && dir != DMA_TO_DEVICE)
		dmasan_report_str(&r, "also", "device driver syncs device read-only DMA memory for cpu");
	if (!for_cpu && e->dir != DMA_TO_DEVICE && dir != DMA_FROM_DEVICE)
		dmasan_report_str(&r, "also", "device driver syncs device write-only DMA memory to device");
	san_report_entry_stacks(&r, e);
	dmasan_report_emit(&r);
}

void san_on_sync(const struct san_call *call, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, bool for_cpu, u32 sg_nelems, struct san_reported *reported)
{
	struct sync_pick p = { .addr = addr, .size = size, .dir = dir, .nelems = sg_nelems,
			       .best_score = -1 };
	struct sync_mark m;
	struct dmasan_report r;
	const struct san_entry *e = &p.copy;

	/* No mapping contains DMA_MAPPING_ERROR: the kernel's sync check finds nothing to sync
	 * (invalid-unmap is the unmap check's). */
	if (addr == DMA_MAPPING_ERROR) {
		if (san_once(reported, DMASAN_CHECK_SYNC_UNKNOWN)) {
			san_report_start(&r, DMASAN_CHECK_SYNC_UNKNOWN, call);
			r.sentence = "device driver tries to sync DMA_MAPPING_ERROR (a failed mapping)";
			dmasan_report_hex(&r, "device address", addr);
			dmasan_report_u64(&r, "size", size);
			dmasan_report_str(&r, "call", for_cpu ? "sync for cpu" : "sync for device");
			dmasan_report_emit(&r);
		}
		return;
	}
	if (size == 0 && san_once(reported, DMASAN_CHECK_ZERO_LENGTH_MAP)) {
		san_report_start(&r, DMASAN_CHECK_ZERO_LENGTH_MAP, call);
		dmasan_report_str(&r, "call", for_cpu ? "sync for cpu" : "sync for device");
		dmasan_report_hex(&r, "device address", addr);
		dmasan_report_emit(&r);
	}
	san_table_visit_bus(call->dev, addr, addr + 1, sync_choose, &p);
	if (!p.best) {
		if (san_once(reported, DMASAN_CHECK_SYNC_UNKNOWN))
			report_unknown(call, addr, size);
		return;
	}
	m = (struct sync_mark){ p.best, p.best_seq, for_cpu, call->stack, (u16)call->tid, false };
	san_table_visit_bus(call->dev, addr, addr + 1, sync_mark, &m);

	if (size > san_size(e) - (addr - san_handle(e)) &&
	    san_once(reported, DMASAN_CHECK_SYNC_OUT_OF_RANGE)) {
		san_report_start(&r, DMASAN_CHECK_SYNC_OUT_OF_RANGE, call);
		san_report_entry(&r, e);
		dmasan_report_u64(&r, "sync offset", addr - san_handle(e));
		dmasan_report_u64(&r, "sync size", size);
		dmasan_report_u64(&r, "sync offset+size", addr - san_handle(e) + size);
		san_report_entry_stacks(&r, e);
		dmasan_report_emit(&r);
	}
	if (e->dir != DMA_BIDIRECTIONAL && e->dir != dir &&
	    san_once(reported, DMASAN_CHECK_SYNC_DIRECTION_MISMATCH))
		report_direction(call, e, dir, for_cpu);
	if (sg_nelems && e->type == KDMA_TYPE_SG && e->sg_call_nents != sg_nelems &&
	    san_once(reported, DMASAN_CHECK_SYNC_SG_NENTS_MISMATCH)) {
		san_report_start(&r, DMASAN_CHECK_SYNC_SG_NENTS_MISMATCH, call);
		san_report_entry(&r, e);
		dmasan_report_u64(&r, "map count", e->sg_call_nents);
		dmasan_report_u64(&r, "sync count", sg_nelems);
		san_report_entry_stacks(&r, e);
		dmasan_report_emit(&r);
	}
	if (m.report_unchecked)
		san_report_unchecked(call, e, for_cpu ? "sync for cpu" : "sync for device");
}
