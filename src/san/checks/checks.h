/* SPDX-License-Identifier: MIT */
/*
 * The rules of groups A and B, one function per rule, grouped by concern:
 *   checks_common.c   names, facts and related stacks shared by every report
 *   checks_area.c     where mapped memory lives: stack, read-only image, invalid, RAM vs MMIO
 *   checks_map.c      dma_map_single/page/phys/resource, dma_mapping_error, overlaps
 *   checks_unmap.c    unmap and free of one handle
 *   checks_sync.c     dma_sync_single_*
 *   checks_sg.c       map/unmap/sync of scatterlists
 *   checks_alloc.c    dma_alloc_xxx, dma_free_xxx and dma_pool events
 *   checks_lifetime.c memory released while mapped, coherent memory freed wrongly
 *   leaks.c           mapping-leak at device destroy and at exit
 * hooks.c calls them from the libkdma hook table; intercept.c from free/realloc/munmap.
 */
#ifndef DMASAN_SAN_CHECKS_H
#define DMASAN_SAN_CHECKS_H

#include <linux/types.h>
#include <linux/dma-direction.h>

#include "common/kdma_hooks.h"
#include "report/report.h"
#include "stacks/stack.h"
#include "table/table.h"


struct scatterlist;
struct dma_pool;

/* The API call being checked: who made it and where. */
struct san_call {
	struct device *dev;
	dmasan_stack_id stack; /* 0: captured when a report needs it */
	u32 tid;
};

/* The checks already reported by one call (sg calls check every segment): one bit per check,
 * as many words as the catalogue needs. */
struct san_reported {
	u64 bits[(DMASAN_CHECK__COUNT + 63) / 64];
};
_Static_assert(sizeof(((struct san_reported *)0)->bits) * 8 >= DMASAN_CHECK__COUNT,
	       "san_reported must hold one bit per check");

/* Report a check at most once per call. */
static inline bool san_once(struct san_reported *reported, enum dmasan_check c)
{
	u64 bit = 1ULL << ((unsigned int)c % 64);
	u64 *word = &reported->bits[(unsigned int)c / 64];

	if (*word & bit)
		return false;
	*word |= bit;
	return true;
}

/* ---- checks_common.c ---- */
const char *san_dir_name(int dir);  /* "DMA_TO_DEVICE", ..., "invalid" */
const char *san_type_name(int type); /* "single", "page", "scatter-gather", ... */
bool san_dir_valid(int dir);         /* TO/FROM/BIDIRECTIONAL */
void san_report_start(struct dmasan_report *r, enum dmasan_check c, const struct san_call *call);
/* [device address] [size] [mapped as] [direction] of an entry */
void san_report_entry(struct dmasan_report *r, const struct san_entry *e);
/* "mapped by thread Tn here:" (or "allocated by" for allocations) and the last syncs */
void san_report_entry_stacks(struct dmasan_report *r, const struct san_entry *e);
void san_report_hist(struct dmasan_report *r, const struct san_hist *h);
bool san_is_allocation(int type);     /* coherent, noncoherent, noncontiguous, pool */
/* invalid-direction: true if dir is valid (else reported). */
bool san_check_direction(const struct san_call *call, int dir, const char *what);
/* invalid-device / invalid-pool: libkdma refused a call on a pointer that is not a live object
 * (obj is a key only: never dereferenced). */
void san_on_bad_object(const struct san_call *call, const void *obj, enum kdma_object_kind kind,
		       bool destroyed, const char *fn);

/* ---- checks_area.c ---- */
void san_area_unmapped(void);        /* munmap/mremap happened: forget cached mapped pages */
/* Each reports its check and returns true when the range [p, p+len) is bad. */
bool san_check_map_area(const struct san_call *call, const void *p, size_t len, int type);
bool san_check_resource_ram(const struct san_call *call, phys_addr_t phys, size_t len);

/* ---- checks_sg.c ---- */
struct scatterlist;
/* The entry after sg (chain links followed, through libkdma's services), NULL after the last;
 * the physical address an entry describes (0 without a page). */
struct scatterlist *san_sg_next(struct scatterlist *sg);
phys_addr_t san_sg_phys(const struct scatterlist *sg);

/* ---- checks_map.c ---- */
void san_on_map(const struct san_call *call, enum kdma_map_type type, const void *cpu_addr,
		phys_addr_t phys, size_t size, enum dma_data_direction dir, unsigned long attrs,
		dma_addr_t handle, unsigned int flags, enum kdma_map_failure why);
void san_on_mapping_error(const struct san_call *call, dma_addr_t handle);
/* A new live entry from a template (call's device, stack, thread; overlap check; insert). */
struct san_entry *san_track(const struct san_call *call, const struct san_entry *tmpl);
static inline u8 san_map_flags(unsigned int kdma_flags)
{
	return (kdma_flags & KDMA_MAP_BOUNCED ? SAN_E_BOUNCED : 0) |
	       (kdma_flags & KDMA_MAP_IOMMU ? SAN_E_IOMMU : 0);
}
/* unchecked-map-error on use (sync, device access, leak): once per mapping */
void san_report_unchecked(const struct san_call *call, const struct san_entry *e, const char *use);

/* ---- checks_unmap.c ---- */
/* Release one handle: lookups, the unmap checks, history. cpu_addr: for frees (checked against
 * the allocation's), else NULL. */
struct san_unmap_ref {
	dma_addr_t handle;
	u64 size;
	enum kdma_map_type type;
	int dir;
	u32 sg_call_nents;
	const void *cpu_addr;
	bool check_cpu_addr;
};
/* Returns true if a live entry was found and released. Reports once per check per call; the
 * `reported` bit set (one bit per check) keeps sg unmaps to one report per call and check. */
bool san_release(const struct san_call *call, const struct san_unmap_ref *ref,
		 struct san_reported *reported);
void san_on_unmap(const struct san_call *call, enum kdma_map_type type, dma_addr_t handle,
		  size_t size, enum dma_data_direction dir, unsigned long attrs);

/* ---- checks_sync.c ---- */
void san_on_sync(const struct san_call *call, dma_addr_t handle, size_t size,
		 enum dma_data_direction dir, bool for_cpu, u32 sg_nelems,
		 struct san_reported *reported);

/* ---- checks_sg.c ---- */
void san_on_map_sg(const struct san_call *call, struct scatterlist *sg, int nents,
		   int mapped_ents, enum dma_data_direction dir, unsigned long attrs,
		   unsigned int flags);
void san_on_unmap_sg(const struct san_call *call, struct scatterlist *sg, int nents,
		     enum dma_data_direction dir, unsigned long attrs);
void san_on_sync_sg(const struct san_call *call, struct scatterlist *sg, int nelems,
		    enum dma_data_direction dir, bool for_cpu);

/* ---- checks_alloc.c ---- */
void san_on_alloc(const struct san_call *call, enum kdma_map_type type, size_t size,
		  const void *cpu_addr, dma_addr_t handle, enum dma_data_direction dir,
		  unsigned long attrs);
void san_on_free(const struct san_call *call, enum kdma_map_type type, size_t size,
		 const void *cpu_addr, dma_addr_t handle, enum dma_data_direction dir);
void san_on_pool(const struct san_call *call, struct dma_pool *pool, const char *name,
		 enum kdma_pool_event ev, const void *vaddr, dma_addr_t handle, size_t size);

/* ---- checks_lifetime.c ---- */
/* [p, p+len) is being released by `how` ("kfree", "free", "munmap", ...): freed-while-mapped and
 * coherent-freed-wrongly. Returns the number of reports. */
unsigned int san_check_release_memory(const void *p, size_t len, const char *how, bool heap);

/* ---- leaks.c ---- */
void san_leaks_device(struct device *dev); /* after devres release: report and forget */
void san_leaks_at_exit(void);              /* everything still live (detect_leaks) */

#endif
