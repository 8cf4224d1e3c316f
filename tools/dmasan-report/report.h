/* SPDX-License-Identifier: MIT */
/*
 * dmasan-report's model: findings read from JSON Lines (docs/report-format.md), deduplicated
 * across processes, with suppression and baseline state, and the writers for each output format.
 */
#ifndef DMASAN_REPORT_TOOL_H
#define DMASAN_REPORT_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

struct dmasan_supp;

enum sev { SEV_ERROR, SEV_WARNING };

/* One row of checks.inc. */
struct check_info {
	const char *id, *kernel, *what, *why, *fix;
	enum sev severity;
	char group;
};
extern const struct check_info check_table[];
extern const unsigned int check_count;
const struct check_info *check_find(const char *id);
const char *sev_name(enum sev s); /* "error" / "warning" */

/* Strings point into the record's json-c tree, which the finding keeps a reference to. */
struct frame {
	const char *pc, *function, *file, *module;
	int line, column;
	unsigned long long module_offset;
	bool has_offset;
	bool internal;
	int origin; /* enum dmasan_origin (common/render.h) */
};
struct stack {
	struct frame *frames;
	unsigned int n;
};
struct related {
	const char *what, *title;
	long tid; /* -1: unknown */
	bool no_stack; /* "stack_id":0: the runtime had none and its text report leaves it out */
	struct stack stack;
};
struct proc {
	long pid;
	const char *exe;
};

struct finding {
	json_object *rec;            /* owned reference */
	const char *check, *device, *driver, *message, *headline;
	enum sev severity;
	long tid;                    /* -1: unknown */
	struct stack stack;
	struct related *related;
	unsigned int nrelated;
	json_object *facts;          /* object or NULL; borrowed from rec */
	unsigned long count;         /* occurrences, summed over processes */
	struct proc *procs;          /* distinct processes it was seen in */
	unsigned int nprocs;
	char origin[320];            /* "file.jsonl:LINE" of the first occurrence */
	uint64_t key;                /* dedup key: check + full stack */
	uint64_t fingerprint;        /* check + top user function names: baseline, SARIF */
	int suppressed_by;           /* rule index, -1: not suppressed */
	const char *runtime_supp;    /* suppressed by the runtime already (suppressed_by in JSON) */
	bool in_baseline;
};

struct dump {
	json_object *rec; /* owned reference */
	struct proc proc;
	char origin[320];
};

struct input {
	struct finding **findings; /* first-seen order */
	unsigned int nfindings;
	struct dump *dumps;
	unsigned int ndumps;
	json_object **runs; /* run records: struct proc.exe points into them */
	unsigned int nruns;
	unsigned int files, bad_lines, processes;
	unsigned int unfinished; /* processes with a "run" but no "summary" record: they died */
	unsigned int no_evidence; /* directories without a single *.jsonl file */
	unsigned long runtime_suppressed; /* occurrences the runtime's suppressions took */
	void *index; /* dedup hash (uthash), private to input.c */
};

/* Reading. Returns 0, or -1 when a path is unreadable (message already printed). */
int input_read_path(struct input *in, const char *path);
void input_free(struct input *in);
/* A baseline: the fingerprints of a previous run. */
struct fpset;
struct fpset *fpset_read(const char *path); /* NULL: unreadable (message printed) */
bool fpset_has(const struct fpset *s, uint64_t fp);
void fpset_free(struct fpset *s);

/* Frames and paths. */
const struct frame *stack_user_frame(const struct stack *st);      /* first non-internal, or NULL */
const struct frame *stack_located_frame(const struct stack *st);   /* first user frame with a file */
const char *strip_prefix(const char *file);
const char *base_name(const char *path);                       /* applies --strip-path-prefix */
extern const char *opt_strip_prefix;
void fingerprint_hex(uint64_t fp, char out[17]);

/* Suppressions: sets f->suppressed_by for every finding and adds its count to hits[rule]. */
void apply_suppressions(struct input *in, struct dmasan_supp *s, unsigned long *hits);
bool finding_suppressed(const struct finding *f);
const char *finding_supp_rule(const struct finding *f, const struct dmasan_supp *s);

/* Writers. */
struct out_opts {
	struct dmasan_supp *supp;
	unsigned long *supp_hits; /* per rule, occurrences suppressed */
	bool baseline;
	enum { DUMP_TABLE, DUMP_KERNEL } dump_format;
	const char *version, *docs_url;
};
bool finding_counts(const struct finding *f); /* not suppressed and not in the baseline */
void write_text_finding(FILE *o, const struct finding *f);
void write_text(FILE *o, const struct input *in, const struct out_opts *opt);
void write_totals(FILE *o, const struct input *in, const struct out_opts *opt);
void write_suppression_stats(FILE *o, const struct dmasan_supp *s, const unsigned long *hits);
void write_sarif(FILE *o, const struct input *in, const struct out_opts *opt);
void write_junit(FILE *o, const struct input *in, const struct out_opts *opt);
void write_summary(FILE *o, const struct input *in, const struct out_opts *opt);
void write_dump(FILE *o, const struct input *in, const struct out_opts *opt);

#endif
