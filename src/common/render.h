/* SPDX-License-Identifier: MIT */
/*
 * One renderer for the runtime and dmasan-report. A report is described by a small neutral
 * struct (strings and numbers, no json-c, no runtime state); the runtime fills it from its live
 * state, the tool from a JSON record, and both render it with the same code into a struct
 * dmasan_buf (no malloc: safe in the preload's report path).
 */
#ifndef DMASAN_COMMON_RENDER_H
#define DMASAN_COMMON_RENDER_H

#include <stdbool.h>
#include "common/buf.h"

/* Where a frame comes from: the driver's code, or ours (reports fold or skip ours). */
enum dmasan_origin {
	DMASAN_ORIGIN_USER = 0,
	DMASAN_ORIGIN_SANITIZER,
	DMASAN_ORIGIN_KDMA,
	DMASAN_ORIGIN_STARTUP,
};

struct dmasan_rframe {
	unsigned long long pc;
	const char *function, *file, *module; /* NULL: unknown */
	int line, column;                     /* 0: unknown */
	unsigned long long module_offset;
	bool has_offset;
	enum dmasan_origin origin;
};

struct dmasan_rstack {
	const struct dmasan_rframe *frames;
	unsigned int n;
};

/* A history stack: "<title> thread T<tid> here:" */
struct dmasan_rrelated {
	const char *title;
	long tid; /* -1: unknown thread */
	struct dmasan_rstack stack;
};

struct dmasan_rreport {
	long pid;
	int severity;              /* 0 error, 1 warning */
	const char *check;         /* "unmap-size-mismatch" */
	const char *headline;      /* after the check id, e.g. "on device foo"; NULL: none */
	long tid;                  /* -1: unknown */
	const char *message;       /* the sentence with its "[key=value]" facts */
	unsigned long count;       /* >1: aggregated finding, shown as " [count=N]" */
	struct dmasan_rstack stack;
	const struct dmasan_rrelated *related;
	unsigned int nrelated;
	const char *notes;         /* extra "NOTE: ..." lines (the tool's), or NULL */
	const char *fix;           /* the catalogue's how-to-fix, or NULL */
	int dedup_token_length;    /* >0: a DEDUP_TOKEN: line of that many function names */
	bool gen_suppressions;     /* a ready suppression line */
	bool print_summary;        /* the SUMMARY: line */
};

/* The text report in the AddressSanitizer layout: the "=====" rule, "==PID==ERROR: DMASanitizer:
 * <check> ...", the message, "    #N 0xPC in fn file:line:col" frames with a blank line after each
 * stack, the related stacks, HINT: and SUMMARY: lines. */
void dmasan_render_text(struct dmasan_buf *b, const struct dmasan_rreport *r);
/* One stack as the text report shows it (then a blank line). */
void dmasan_render_text_stack(struct dmasan_buf *b, const struct dmasan_rstack *s);
/* The frame SUMMARY: and suppression hints name: the first user frame, else the first that is
 * not the sanitizer's, else the first; NULL for an empty stack. */
const struct dmasan_rframe *dmasan_render_key_frame(const struct dmasan_rstack *s);

/* The totals both the runtime's exit SUMMARY: line and dmasan-report's text end with, in one
 * wording so they can be compared: "N occurrences, U unique (E errors, W warnings), S suppressed",
 * every number but U counting occurrences. */
void dmasan_render_totals(struct dmasan_buf *b, unsigned long errors, unsigned long warnings,
			  unsigned long unique, unsigned long suppressed);

/* A stack as the JSON frame array of docs/report-format.md ("pc", "function", "file", "line",
 * "column", "module", "module_offset", and "internal"/"origin" for frames that are not the
 * driver's). */
void dmasan_render_json_stack(struct dmasan_buf *b, const struct dmasan_rstack *s);

/* One entry of the kernel's debugfs dma-api/dump ("<driver> <dev> <type> idx <bucket> P=%pa
 * D=%llx L=%llx cln=%pa <DIR> <maperr>"), type, dir and maperr already the kernel's names. */
void dmasan_render_kernel_dump_line(struct dmasan_buf *b, const char *driver, const char *device,
				    const char *type, unsigned long long handle,
				    unsigned long long phys, unsigned long long size,
				    const char *dir, const char *maperr);

#endif
