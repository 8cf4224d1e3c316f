/* SPDX-License-Identifier: MIT */
/*
 * The ownership layer (shadow.c), as the checks, the hooks and the dumps call it. Each entry's
 * `shadow` member is the layer's per-mapping state: san_shadow_map sets it once it is complete
 * (until then, who finds the entry finds no shadow: the handle is not the driver's yet), and
 * san_shadow_release frees it, after the entry left every index and before the entry is freed.
 * Device accesses are found by (device, bus range) with san_table_visit_bus().
 */
#ifndef DMASAN_SAN_OWNERSHIP_HOOKS_H
#define DMASAN_SAN_OWNERSHIP_HOOKS_H

#include "common/kdma_hooks.h"
#include "table/table.h"

/* A new mapping or allocation, already in the table. */
void san_shadow_map(struct san_entry *e);
/* The entry is leaving the table (unmap, free, device destroy). */
void san_shadow_release(struct san_entry *e);
/* [lo, hi) of CPU memory was released (free, kfree, munmap) while mappings lie in it: their
 * lines there go back to the CPU with no check and no copy, so no later sync or unmap writes
 * into memory that is gone or belongs to someone else by then. */
void san_shadow_cpu_released(uintptr_t lo, uintptr_t hi);
/* The sync hook, before (after=false) and after the copy. */
void san_shadow_sync(struct device *dev, dma_addr_t handle, size_t size,
		     enum dma_data_direction dir, bool for_cpu, bool after);
enum kdma_access_result san_shadow_device_access(struct device *dev, dma_addr_t addr,
						 phys_addr_t phys, void *buf, size_t len,
						 bool is_write, bool stale);
/* Mapping-table dumps: e's owner ranges as "cpu 0-127, device 128-2047" (byte offsets, by
 * cache line) into buf; returns the length, 0 when ownership is not tracked. Callable from a
 * table visitor (takes no lock, allocates nothing). */
size_t san_shadow_describe(const struct san_entry *e, char *buf, size_t len);

/* sg lists: one shadow for the whole list (every input entry's memory), shared by the table
 * entries of its segments. create → attach to each segment's entry → put the creator's
 * reference. */
struct san_shadow;
struct scatterlist;
struct san_shadow *san_shadow_sg_create(const struct san_entry *first, struct scatterlist *sg,
					int nents, int mapped);
/* SWIOTLB copied between orig and its slot: the copy is the stack's own, not a CPU access. */
void san_shadow_bounce(struct device *dev, phys_addr_t orig, phys_addr_t tlb, size_t size,
		       bool to_device);
void san_shadow_sg_attach(struct san_entry *e, struct san_shadow *sh);
void san_shadow_sg_put(struct san_shadow *sh);
/* The sync_sg hook, before (after=false) and after the copy. */
void san_shadow_sync_sg(struct device *dev, struct scatterlist *sg, int nelems,
			enum dma_data_direction dir, bool for_cpu, bool after);
/* The live sg mapping whose entries hold CPU address addr, as an entry copy (device, handle,
 * size, map stack and thread): an IOMMU-merged segment's table entry names only its first
 * entry's memory. For reports of CPU accesses found by address. */
bool san_shadow_entry_of(uintptr_t addr, struct san_entry *copy);

#endif
