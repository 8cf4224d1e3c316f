/* SPDX-License-Identifier: MIT */
/*
 * What the report module's files share (report.h is its interface). Everything here is used under
 * san_report_lock unless said otherwise.
 */
#ifndef DMASAN_SAN_REPORT_IMPL_H
#define DMASAN_SAN_REPORT_IMPL_H

#include <pthread.h>
#include "common/render.h"
#include "report/log.h"
#include "report/report.h"
#include "stacks/threads.h"


#define DEDUP_SLOTS 8192
#define MAX_SYM_FRAMES (DMASAN_MAX_FRAMES * 2)

/* dedup.c: one report at a time; the counters (read with atomics outside the lock). */
extern pthread_mutex_t san_report_lock;
extern unsigned long san_n_errors, san_n_warnings, san_n_suppressed, san_n_unique, san_n_printed;

struct dedup_entry {
	dmasan_stack_id stack; /* 0: empty slot */
	unsigned short check;
	bool suppressed;
	unsigned int seq;      /* the violation record's "id" */
	unsigned long occurrences;
};
extern struct dedup_entry san_dedup[DEDUP_SLOTS];

/* The slot for (check, stack): found (*is_new false), claimed (*is_new true), or NULL when the
 * table is full or there is no stack to key on. */
struct dedup_entry *san_dedup_slot(enum dmasan_check c, dmasan_stack_id stack, bool *is_new);
void san_count(enum dmasan_check c);
bool san_counts_toward_exit(enum dmasan_check c);
_Noreturn void san_halt(void);

/* report.c: scratch for symbolised frames and the text and JSON output buffers. */
extern struct dmasan_frame san_report_sym[MAX_SYM_FRAMES];
extern char san_text_storage[16384], san_json_storage[16384];

/* filters.c: the parsed suppressions file (NULL: none), and whether one of its rules matches. */
extern struct dmasan_supp *san_supp_rules;
bool san_supp_match(enum dmasan_check c, const struct dmasan_frame *f, unsigned int n);

/* frames.c: symbolised frames as the renderer's (out has room for n). */
struct dmasan_rstack san_report_rstack(const struct dmasan_frame *f, unsigned int n,
				       struct dmasan_rframe *out);

/* render.c: the text report (to the log) and the JSON "violation" record (to the JSON file). */
void san_text_report(const struct dmasan_report *r, const struct dmasan_frame *f, unsigned int n);
void san_json_report(const struct dmasan_report *r, unsigned int seq, dmasan_stack_id stack,
		     const struct dmasan_frame *f, unsigned int n);


#endif
