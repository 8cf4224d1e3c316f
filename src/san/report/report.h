/* SPDX-License-Identifier: MIT */
/*
 * Building and emitting a report. A check fills a struct dmasan_report (on its stack: no malloc)
 * and calls dmasan_report_emit(), which applies device_filter, per-check enables, suppressions and
 * deduplication by (check, stack), then writes the text report (ASan layout) and the JSON Lines
 * record, counts it, and honours halt_on_error / max_reports.
 */
#ifndef DMASAN_REPORT_H
#define DMASAN_REPORT_H

#include <linux/types.h>
#include "stacks/stack.h"

struct device;

enum dmasan_check {
#define DMASAN_CHECK(E, id, sev, grp, ksent, what, why, fix) DMASAN_CHECK_##E,
#include "common/checks.inc"
#undef DMASAN_CHECK
	DMASAN_CHECK__COUNT
};

enum dmasan_severity { DMASAN_ERROR, DMASAN_WARNING };

struct dmasan_check_info {
	const char *id;            /* "unmap-size-mismatch" */
	enum dmasan_severity severity;
	char group;                /* 'A', 'B' or 'C' */
	const char *kernel;        /* kernel sentence, "" if none */
	const char *what;
	const char *why;           /* why it is a bug */
	const char *fix;
};
extern const struct dmasan_check_info dmasan_checks[DMASAN_CHECK__COUNT];

/* A fact shown as "[key=value]" in text and as "key_with_underscores": value in JSON. */
enum dmasan_fact_kind { DMASAN_FACT_HEX, DMASAN_FACT_U64, DMASAN_FACT_STR };
struct dmasan_fact {
	const char *key;
	enum dmasan_fact_kind kind;
	u64 num;
	const char *str;
};

/* A history stack: "mapping created by thread T1 here:" */
struct dmasan_related {
	const char *what;  /* JSON: "map", "unmap", "sync_for_cpu", "sync_for_device", "alloc", "free", "access" */
	const char *title; /* text: "mapped by", "first unmapped by", ... */
	dmasan_stack_id stack;
	unsigned int tid;
};

#define DMASAN_MAX_FACTS 12
#define DMASAN_MAX_RELATED 6

struct dmasan_report {
	enum dmasan_check check;
	struct device *dev;           /* NULL for process-wide findings */
	const char *headline_extra;   /* e.g. "on dma 0x... (device foo)"; NULL: generated */
	const char *sentence;         /* NULL: the catalogue's kernel sentence, else `what` */
	dmasan_stack_id stack;        /* the bad call; 0: captured by emit */
	unsigned int tid;             /* the thread of `stack`: the caller's, set by init; a check that
				       * leads with another thread's stack sets that one */
	unsigned int count;           /* >1 for aggregated findings (leaks per site) */
	unsigned int nfacts;
	struct dmasan_fact facts[DMASAN_MAX_FACTS];
	unsigned int nrelated;
	struct dmasan_related related[DMASAN_MAX_RELATED];
};

void dmasan_report_init(struct dmasan_report *r, enum dmasan_check check, struct device *dev);
void dmasan_report_hex(struct dmasan_report *r, const char *key, u64 v);
void dmasan_report_u64(struct dmasan_report *r, const char *key, u64 v);
void dmasan_report_str(struct dmasan_report *r, const char *key, const char *v);
void dmasan_report_related(struct dmasan_report *r, const char *what, const char *title,
			   dmasan_stack_id stack, unsigned int tid);
/* Emit. Returns true if it was printed or recorded (not filtered, disabled or suppressed). May not
 * return (halt_on_error). Never called with sanitizer table locks held. */
bool dmasan_report_emit(struct dmasan_report *r);

/* Whether a check is enabled (options check_<id>=0 / disable=...). Cheap. */
bool dmasan_check_enabled(enum dmasan_check c);
/* device_filter (like the kernel's driver_filter): true if findings for dev are reported. */
bool dmasan_device_selected(const struct device *dev);

/* Counters (errors, warnings, suppressed) for the summary, the exit status and the public API. */
void dmasan_report_counts(unsigned long *errors, unsigned long *warnings, unsigned long *suppressed);

/* Additions (infra helper). */
/* Start-up: options, log files, suppressions. Idempotent and thread-safe; the constructor calls
 * it, and so may the first hook. */
void dmasan_runtime_init(void);
/* The leak check: dmasan_check_leaks(), and at exit before the summary when detect_leaks=1. */
void dmasan_set_leak_callback(void (*fn)(void));
/* Checks that only the end of the process can make (fences, dmaengine); run after the leaks. */
void dmasan_set_exit_checks_callback(void (*fn)(void));
/* Unique findings (after deduplication) so far, and how many were printed in full. */
void dmasan_report_unique(unsigned long *unique, unsigned long *printed);

/* Why a dump runs (the "reason" of its JSON record). The dump callback serves
 * dmasan_dump_mappings(), dump_at_exit (also at a device destroy that leaked), dump_on_error and
 * dump_signal; device_filter may be NULL (all devices); dev is the reported device for
 * DMASAN_DUMP_ERROR and the destroyed one for DMASAN_DUMP_DESTROY (the dump shows only it), else
 * NULL. */
enum dmasan_dump_reason {
	DMASAN_DUMP_REQUEST, DMASAN_DUMP_SIGNAL, DMASAN_DUMP_EXIT, DMASAN_DUMP_ERROR, DMASAN_DUMP_DESTROY
};
void dmasan_set_dump_reason_callback(void (*fn)(const char *device_filter, const struct device *dev,
						enum dmasan_dump_reason why));
/* A stored stack the way reports show it (the sanitizer's frames dropped, libkdma's folded into
 * the API the driver called): symbolised into out (returns the count), then written as the
 * text report's "#N 0x... in f file:line" lines or as a JSON frame array. */
struct dmasan_buf;
unsigned int dmasan_report_symbolize(dmasan_stack_id id, struct dmasan_frame *out, unsigned int max);
void dmasan_report_text_stack(struct dmasan_buf *b, const struct dmasan_frame *f, unsigned int n);
void dmasan_report_json_stack(struct dmasan_buf *b, const struct dmasan_frame *f, unsigned int n);

#endif
