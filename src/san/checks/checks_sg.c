// SPDX-License-Identifier: MIT
/*
 * Scatterlists: every input entry's memory is checked (stack, read-only, invalid), each mapped
 * output segment becomes one entry remembering the nents of the call and the mapped count, and
 * segments are checked against the device's max segment size and segment boundary. Unmap and sync find the mapped count from the first segment, as the kernel does; unlike
 * the kernel an unknown first segment gives one report, not a cascade.
 */
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>

#include <limits.h>

#include "checks/checks.h"
#include "rt/services.h"
#include "ownership/ownership_hooks.h"

/* The entry after sg, through libkdma's services; without libkdma only plain arrays walk. */
struct scatterlist *san_sg_next(struct scatterlist *sg)
{
	struct scatterlist *(*next)(struct scatterlist *) = SAN_KDMA(sg_next);

	if (next)
		return next(sg);
	return sg_is_last(sg) ? NULL : sg + 1;
}

phys_addr_t san_sg_phys(const struct scatterlist *sg)
{
	phys_addr_t (*phys)(const struct scatterlist *) = SAN_KDMA(sg_phys);

	return phys ? phys(sg) : 0;
}

static void check_segment(const struct san_call *call, struct scatterlist *s, unsigned int i,
			  struct san_reported *reported)
{
	void (*limits)(const struct device *, unsigned int *, unsigned long *) =
		SAN_KDMA(segment_limits);
	unsigned int max_seg = UINT_MAX;
	unsigned long boundary = ULONG_MAX;
	u64 start = sg_dma_address(s), end = start + sg_dma_len(s) - 1;
	struct dmasan_report r;

	if (limits)
		limits(call->dev, &max_seg, &boundary);
	if (s->length > max_seg && san_once(reported, DMASAN_CHECK_SG_SEGMENT_TOO_LONG)) {
		san_report_start(&r, DMASAN_CHECK_SG_SEGMENT_TOO_LONG, call);
		dmasan_report_u64(&r, "len", s->length);
		dmasan_report_u64(&r, "max", max_seg);
		dmasan_report_u64(&r, "segment", i);
		dmasan_report_hex(&r, "device address", start);
		dmasan_report_emit(&r);
	}
	if (sg_dma_len(s) && ((start ^ end) & ~(u64)boundary) &&
	    san_once(reported, DMASAN_CHECK_SG_SEGMENT_BOUNDARY)) {
		san_report_start(&r, DMASAN_CHECK_SG_SEGMENT_BOUNDARY, call);
		dmasan_report_hex(&r, "start", start);
		dmasan_report_hex(&r, "end", end);
		dmasan_report_hex(&r, "boundary", boundary);
		dmasan_report_u64(&r, "segment", i);
		dmasan_report_emit(&r);
	}
}

void san_on_map_sg(const struct san_call *call, struct scatterlist *sg, int nents,
			      int mapped_ents, enum dma_data_direction dir, unsigned long attrs,
			      unsigned int flags)
{
	struct scatterlist *s;
	struct san_reported reported = { 0 };
	bool area_bad = false;
	struct san_shadow *shadow = NULL;
	int i;

	if (!san_check_direction(call, dir, "map_sg") || !call->dev || !sg)
		return;
	for (i = 0, s = sg; s && i < nents; i++, s = san_sg_next(s)) {
		phys_addr_t phys = san_sg_phys(s);

		if (s->length == 0 && san_once(&reported, DMASAN_CHECK_ZERO_LENGTH_MAP)) {
			struct dmasan_report r;

			san_report_start(&r, DMASAN_CHECK_ZERO_LENGTH_MAP, call);
			dmasan_report_str(&r, "call", "map_sg");
			dmasan_report_u64(&r, "segment", i);
			dmasan_report_emit(&r);
		}
		if (!area_bad && phys)
			area_bad = san_check_map_area(call, (const void *)(uintptr_t)phys, s->length,
						      KDMA_TYPE_SG);
	}
	if (mapped_ents <= 0)
		return; /* failed: nothing is tracked, as in the kernel */
	for (i = 0, s = sg; s && i < mapped_ents; i++, s = san_sg_next(s)) {
		phys_addr_t phys = san_sg_phys(s);
		struct san_entry *e;

		check_segment(call, s, i, &reported);
		/* As the kernel: output segment i is paired with input entry i's memory. */
		e = san_track(call, &(struct san_entry){
			    .bus = { .start = sg_dma_address(s),
				     .end = sg_dma_address(s) + sg_dma_len(s) },
			    .phys = { .start = phys, .end = phys ? phys + s->length : 0 },
			    .attrs = attrs, .type = KDMA_TYPE_SG, .dir = dir,
			    .map_err = SAN_MAPERR_NA, .sg_call_nents = nents,
			    .sg_mapped_nents = mapped_ents,
			    .flags = san_map_flags(flags) | (area_bad ? SAN_E_UNSAFE_AREA : 0) });
		if (!e)
			break;
		/* the ownership of every input entry's memory, shared by all segments */
		if (!i)
			shadow = san_shadow_sg_create(e, sg, nents, mapped_ents);
		san_shadow_sg_attach(e, shadow);
	}
	if (shadow)
		san_shadow_sg_put(shadow);
}

/* The mapped count of the call that mapped sg (0 if its first segment is not live). */
static int sg_mapped_count(const struct san_call *call, struct scatterlist *sg, int nents,
			   int dir)
{
	struct san_ref ref = { sg_dma_len(sg), KDMA_TYPE_SG, dir, nents };
	struct san_entry copy;

	if (!san_table_get_exact(call->dev, sg_dma_address(sg), &ref, &copy))
		return 0;
	return copy.type == KDMA_TYPE_SG ? (int)copy.sg_mapped_nents : 1;
}

/* dma_unmap_sg with no entries (nents <= 0) unmaps nothing, here as in the kernel: the mapping
 * leaks, and the count cannot be the one it was mapped with. Reported with the mapping, if the
 * first entry still holds a live one. */
static void unmap_sg_no_entries(const struct san_call *call, struct scatterlist *sg, int nents,
				int dir)
{
	struct san_ref ref = { sg_dma_len(sg), KDMA_TYPE_SG, dir, 0 };
	struct dmasan_report r;
	struct san_entry copy;
	bool live = san_table_get_exact(call->dev, sg_dma_address(sg), &ref, &copy) &&
		    copy.type == KDMA_TYPE_SG;

	san_report_start(&r, DMASAN_CHECK_UNMAP_SG_NENTS_MISMATCH, call);
	r.sentence = "device driver frees DMA sg list with no entries: nothing is unmapped";
	dmasan_report_str(&r, "unmap count", nents ? "negative" : "0");
	if (live) {
		san_report_entry(&r, &copy);
		dmasan_report_u64(&r, "map count", copy.sg_call_nents);
		san_report_entry_stacks(&r, &copy);
	}
	dmasan_report_emit(&r);
}

void san_on_unmap_sg(const struct san_call *call, struct scatterlist *sg, int nents,
				enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *s;
	struct san_reported reported = { 0 };
	int i, mapped;

	if (!san_check_direction(call, dir, "unmap_sg") || !sg)
		return;
	if (nents <= 0) {
		unmap_sg_no_entries(call, sg, nents, dir);
		return;
	}
	mapped = sg_mapped_count(call, sg, nents, dir);
	for (i = 0, s = sg; s && i < nents; i++, s = san_sg_next(s)) {
		struct san_unmap_ref ref = { sg_dma_address(s), sg_dma_len(s), KDMA_TYPE_SG, dir,
					     (u32)nents, NULL, false };

		if (mapped && i >= mapped)
			break;
		if (!san_release(call, &ref, &reported) && !mapped)
			break; /* the first segment is not live: one report, not a cascade */
	}
}

void san_on_sync_sg(const struct san_call *call, struct scatterlist *sg, int nelems,
			       enum dma_data_direction dir, bool for_cpu)
{
	struct scatterlist *s;
	struct san_reported reported = { 0 };
	int i, mapped;

	if (!san_check_direction(call, dir, "sync_sg") || !sg)
		return;
	mapped = sg_mapped_count(call, sg, nelems, dir);
	if (!mapped) {
		san_on_sync(call, sg_dma_address(sg), sg_dma_len(sg), dir, for_cpu, nelems, &reported);
		return;
	}
	for (i = 0, s = sg; s && i < nelems && i < mapped; i++, s = san_sg_next(s))
		san_on_sync(call, sg_dma_address(s), sg_dma_len(s), dir, for_cpu, nelems, &reported);
}
