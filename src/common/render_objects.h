/* SPDX-License-Identifier: MIT */
/*
 * The other DMA objects of a dump, rendered by one piece of code for the runtime (from its live
 * state) and dmasan-report (from a "dump_objects" record): live fences, dma-buf attachments and
 * dmaengine descriptors not yet completed. Strings may be NULL ("?").
 */
#ifndef DMASAN_COMMON_RENDER_OBJECTS_H
#define DMASAN_COMMON_RENDER_OBJECTS_H

#include <stdbool.h>
#include "common/buf.h"

struct dmasan_rfence {
	unsigned long long addr, context, seqno;
	const char *driver, *timeline;
	bool signalled;
	long long refs;
	unsigned long pending_cbs;
};

struct dmasan_rattach {
	unsigned long long dmabuf, attach;
	const char *exporter, *importer;
	unsigned long mapped; /* dma_buf_map_attachment() calls not yet undone */
};

struct dmasan_rdesc {
	unsigned long long desc, addr, size; /* addr/size: the first segment (size 0: none) */
	const char *device, *state;
	long long cookie;
};

/* "other DMA objects of dump #N: 2 live fences, 6 dma-buf attachments, 1 descriptor in flight" */
void dmasan_render_objects_head(struct dmasan_buf *b, unsigned long long dump_id,
				unsigned long nfences, unsigned long nattach, unsigned long ndescs);
/* One indented line per object. */
void dmasan_render_fence_row(struct dmasan_buf *b, const struct dmasan_rfence *f);
void dmasan_render_attach_row(struct dmasan_buf *b, const struct dmasan_rattach *a);
void dmasan_render_desc_row(struct dmasan_buf *b, const struct dmasan_rdesc *d);

#endif
