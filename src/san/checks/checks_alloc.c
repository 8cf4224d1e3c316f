// SPDX-License-Identifier: MIT
/*
 * Allocations: dma_alloc_* / dma_free_* (a free gets the unmap checks) and dma_pool
 * blocks, whose lifecycle and DMAPOOL_DEBUG findings libkdma reports as pool events. Pool blocks
 * are table entries of type pool, so leaks, kfree of a pool block and overlaps see them.
 */
#include <linux/dma-mapping.h>

#include "checks/checks.h"
#include "ownership/ownership_hooks.h"

static void alloc_entry(const struct san_call *call, enum kdma_map_type type, const void *cpu,
			size_t size, dma_addr_t handle, int dir, unsigned long attrs, bool cpu_memory)
{
	/* physical = virtual in libkdma's memory model */
	u64 phys = cpu_memory && cpu ? (uintptr_t)cpu : 0;

	san_track(call, &(struct san_entry){
		.bus = { .start = handle, .end = handle + size },
		.phys = { .start = phys, .end = phys ? phys + size : 0 },
		.cpu_addr = cpu, .attrs = attrs, .type = type, .dir = dir,
		.map_err = SAN_MAPERR_NA });
}

void san_on_alloc(const struct san_call *call, enum kdma_map_type type, size_t size,
			     const void *cpu_addr, dma_addr_t handle, enum dma_data_direction dir,
			     unsigned long attrs)
{
	/* Coherent memory has no direction: the kernel records it as BIDIRECTIONAL. The cookie of
	 * DMA_ATTR_NO_KERNEL_MAPPING and noncontiguous tables are not CPU memory. */
	bool cpu_memory = (type == KDMA_TYPE_COHERENT || type == KDMA_TYPE_NONCOHERENT) &&
			  !(attrs & DMA_ATTR_NO_KERNEL_MAPPING);

	if (!cpu_addr || !call->dev)
		return;
	if (type == KDMA_TYPE_COHERENT)
		dir = DMA_BIDIRECTIONAL;
	else if (!san_check_direction(call, dir, "alloc"))
		return;
	alloc_entry(call, type, cpu_addr, size, handle, dir, attrs, cpu_memory);
}

void san_on_free(const struct san_call *call, enum kdma_map_type type, size_t size,
			    const void *cpu_addr, dma_addr_t handle, enum dma_data_direction dir)
{
	struct san_unmap_ref ref = { handle, size, type, dir, 0, cpu_addr,
				     type == KDMA_TYPE_COHERENT || type == KDMA_TYPE_NONCOHERENT };
	struct san_reported reported = { 0 };

	if (type == KDMA_TYPE_COHERENT) {
		if (!cpu_addr)
			return; /* the kernel ignores it too (debug_dma_free_coherent) */
		ref.dir = DMA_BIDIRECTIONAL;
	} else if (!san_check_direction(call, dir, "free")) {
		return;
	}
	san_release(call, &ref, &reported);
}

/* ------------------------------------------------------------------ pools ---- */

struct pool_match {
	struct dma_pool *pool;
	unsigned long count;
	struct san_entry first;
};

static bool is_block_of(struct san_entry *e, void *arg)
{
	struct pool_match *m = arg;

	return e->type == KDMA_TYPE_POOL && e->attrs == (unsigned long)(uintptr_t)m->pool;
}

static void forget_block(struct san_entry *e, void *arg)
{
	struct pool_match *m = arg;

	if (!m->count++)
		m->first = *e;
	san_shadow_release(e);
	san_entry_free(e);
}

static void pool_report(const struct san_call *call, enum dmasan_check c, const char *name,
			const void *vaddr, dma_addr_t handle, size_t size, const char *why)
{
	struct dmasan_report r;
	struct san_hist h;

	san_report_start(&r, c, call);
	dmasan_report_str(&r, "pool", name ? name : "(null)");
	dmasan_report_hex(&r, "vaddr", (uintptr_t)vaddr);
	dmasan_report_hex(&r, "device address", handle);
	dmasan_report_u64(&r, "block size", size);
	if (why)
		dmasan_report_str(&r, "reason", why);
	if (c != DMASAN_CHECK_POOL_BAD_FREE && san_history_find(call->dev, handle, 0, &h))
		san_report_hist(&r, &h);
	dmasan_report_emit(&r);
}

void san_on_pool(const struct san_call *call, struct dma_pool *pool, const char *name,
			    enum kdma_pool_event ev, const void *vaddr, dma_addr_t handle,
			    size_t size)
{
	struct san_ref ref = { size, KDMA_TYPE_POOL, DMA_BIDIRECTIONAL, 0 };
	struct pool_match m = { .pool = pool };
	struct dmasan_report r;
	struct san_entry *e;

	switch (ev) {
	case KDMA_POOL_ALLOC:
		alloc_entry(call, KDMA_TYPE_POOL, vaddr, size, handle, DMA_BIDIRECTIONAL,
			    (unsigned long)(uintptr_t)pool, true);
		break;
	case KDMA_POOL_FREE:
		e = san_table_remove_exact(call->dev, handle, &ref);
		if (!e)
			break; /* libkdma found it valid; a block allocated before we attached */
		san_history_add(e, call->stack, call->tid);
		san_shadow_release(e);
		san_entry_free(e);
		break;
	case KDMA_POOL_DESTROY:
	case KDMA_POOL_DESTROY_BUSY:
		san_table_drain(call->dev, is_block_of, &m, forget_block, &m);
		if (ev == KDMA_POOL_DESTROY)
			break;
		san_report_start(&r, DMASAN_CHECK_POOL_DESTROY_BUSY, call);
		dmasan_report_str(&r, "pool", name ? name : "(null)");
		dmasan_report_u64(&r, "busy blocks", m.count);
		if (m.count) {
			dmasan_report_hex(&r, "first busy block", (uintptr_t)m.first.cpu_addr);
			dmasan_report_hex(&r, "device address", san_handle(&m.first));
			dmasan_report_related(&r, "alloc", "allocated by", m.first.map_stack,
					      m.first.tid);
		}
		dmasan_report_emit(&r);
		break;
	case KDMA_POOL_BAD_DMA:
		pool_report(call, DMASAN_CHECK_POOL_BAD_FREE, name, vaddr, handle, size, "bad dma");
		break;
	case KDMA_POOL_BAD_VADDR:
		pool_report(call, DMASAN_CHECK_POOL_BAD_FREE, name, vaddr, handle, size, "bad vaddr");
		break;
	case KDMA_POOL_ALREADY_FREE:
		pool_report(call, DMASAN_CHECK_POOL_DOUBLE_FREE, name, vaddr, handle, size, NULL);
		break;
	case KDMA_POOL_CORRUPTED:
		pool_report(call, DMASAN_CHECK_POOL_CORRUPTION, name, vaddr, handle, size, NULL);
		break;
	default:
		break;
	}
}
