// SPDX-License-Identifier: MIT
/*
 * Stacks as reports show them: symbolised (or module+offset with symbolize=0), the sanitizer's
 * frames dropped and libkdma's folded into the API the driver called; as JSON frame arrays and as
 * the renderer's neutral frames.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include "report/log.h"
#include "report/report_impl.h"
#include "rt/options.h"

/* The API frame and stack_depth frames of the driver's code under it, an inlined function
 * counting with the frame it is inlined in (the capture took more, for libkdma's own frames). */
static unsigned int keep_depth(const struct dmasan_frame *f, unsigned int n)
{
	unsigned int pcs = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (f[i].internal != DMASAN_FRAME_KDMA && (i == 0 || f[i].pc != f[i - 1].pc))
			pcs++;
		if (pcs > (unsigned int)dmasan_opts.stack_depth)
			return i;
	}
	return n;
}

/* Symbolise a stack into out (inlined frames expanded), dropping the sanitizer's own frames at
 * the top and, of the libkdma frames under them, all but the outermost: the API function the
 * driver called stays as frame #0, like an interceptor frame in AddressSanitizer reports.
 * Returns the number of frames. */
unsigned int dmasan_report_symbolize(dmasan_stack_id id, struct dmasan_frame *out, unsigned int max)
{
	const uintptr_t *pcs;
	unsigned int npcs = dmasan_stack_get(id, &pcs), n = 0;
	bool top = true;

	for (unsigned int i = 0; i < npcs && n < max; i++) {
		struct dmasan_frame f[DMASAN_MAX_INLINE];
		unsigned int k;

		if (dmasan_opts.symbolize) {
			k = dmasan_symbolize_inline(pcs[i], f, DMASAN_MAX_INLINE);
		} else { /* module+offset only */
			Dl_info dli;

			memset(f, 0, sizeof(f[0]));
			f[0].pc = pcs[i] - 1;
			if (dladdr((void *)f[0].pc, &dli)) {
				f[0].module = dli.dli_fname;
				f[0].module_offset = f[0].pc - (uintptr_t)dli.dli_fbase;
			}
			/* by module: SUMMARY and suppressions still name the driver's frame */
			f[0].internal = dmasan_frame_classify(&f[0]);
			k = 1;
		}
		if (top && f[k - 1].internal == DMASAN_FRAME_SANITIZER && i + 1 < npcs)
			continue;
		top = false;
		for (unsigned int j = 0; j < k && n < max; j++)
			out[n++] = f[j];
	}
	unsigned int kdma = 0;

	while (kdma < n && out[kdma].internal == DMASAN_FRAME_KDMA)
		kdma++;
	if (kdma > 1) {
		memmove(out, out + kdma - 1, (n - kdma + 1) * sizeof(*out));
		n -= kdma - 1;
	}
	return keep_depth(out, n);
}


_Static_assert(DMASAN_FRAME_USER == (int)DMASAN_ORIGIN_USER &&
	       DMASAN_FRAME_SANITIZER == (int)DMASAN_ORIGIN_SANITIZER &&
	       DMASAN_FRAME_KDMA == (int)DMASAN_ORIGIN_KDMA &&
	       DMASAN_FRAME_STARTUP == (int)DMASAN_ORIGIN_STARTUP, "frame origins agree");

/* Symbolised frames as the renderer's neutral frames (strings shared, not copied). */
struct dmasan_rstack san_report_rstack(const struct dmasan_frame *f, unsigned int n,
				       struct dmasan_rframe *out)
{
	for (unsigned int i = 0; i < n; i++)
		out[i] = (struct dmasan_rframe){
			.pc = f[i].pc, .function = f[i].function, .file = f[i].file,
			.module = f[i].module, .line = f[i].line, .column = f[i].column,
			.module_offset = f[i].module_offset, .has_offset = f[i].module != NULL,
			.origin = (enum dmasan_origin)f[i].internal,
		};
	return (struct dmasan_rstack){ out, n };
}

void dmasan_report_text_stack(struct dmasan_buf *b, const struct dmasan_frame *f, unsigned int n)
{
	struct dmasan_rframe rf[MAX_SYM_FRAMES];
	struct dmasan_rstack s = san_report_rstack(f, n < MAX_SYM_FRAMES ? n : MAX_SYM_FRAMES, rf);

	dmasan_render_text_stack(b, &s);
}

void dmasan_report_json_stack(struct dmasan_buf *b, const struct dmasan_frame *f, unsigned int n)
{
	struct dmasan_rframe rf[MAX_SYM_FRAMES];
	struct dmasan_rstack s = san_report_rstack(f, n < MAX_SYM_FRAMES ? n : MAX_SYM_FRAMES, rf);

	dmasan_render_json_stack(b, &s);
}
