// SPDX-License-Identifier: MIT
/*
 * Reports (report.h): a check builds a struct dmasan_report on its stack and emits it; emit
 * filters, deduplicates, counts, renders and honours max_reports and halt_on_error. The
 * concerns live in catalogue.c, filters.c, frames.c, render.c, dedup.c and summary.c.
 */
#include <string.h>
#include "report/report_impl.h"
#include "rt/oom.h"
#include "rt/options.h"
#include "rt/runtime.h"

/* This thread is emitting a report: findings raised meanwhile (the symboliser frees) are dropped. */
static __thread bool in_report __attribute__((tls_model("initial-exec")));

/* Scratch under san_report_lock. */
struct dmasan_frame san_report_sym[MAX_SYM_FRAMES];
char san_text_storage[16384], san_json_storage[16384];

void dmasan_report_init(struct dmasan_report *r, enum dmasan_check check, struct device *dev)
{
	memset(r, 0, sizeof(*r));
	r->check = check;
	r->dev = dev;
	r->count = 1;
	r->tid = dmasan_thread_id();
}

static void add_fact(struct dmasan_report *r, const char *key, enum dmasan_fact_kind kind, u64 num,
		     const char *str)
{
	if (r->nfacts < DMASAN_MAX_FACTS)
		r->facts[r->nfacts++] = (struct dmasan_fact){ key, kind, num, str };
}

void dmasan_report_hex(struct dmasan_report *r, const char *key, u64 v)
{
	add_fact(r, key, DMASAN_FACT_HEX, v, NULL);
}

void dmasan_report_u64(struct dmasan_report *r, const char *key, u64 v)
{
	add_fact(r, key, DMASAN_FACT_U64, v, NULL);
}

void dmasan_report_str(struct dmasan_report *r, const char *key, const char *v)
{
	add_fact(r, key, DMASAN_FACT_STR, 0, v ? v : "(null)");
}

void dmasan_report_related(struct dmasan_report *r, const char *what, const char *title,
			   dmasan_stack_id stack, unsigned int tid)
{
	if (r->nrelated < DMASAN_MAX_RELATED)
		r->related[r->nrelated++] = (struct dmasan_related){ what, title, stack, tid };
}

bool dmasan_report_emit(struct dmasan_report *r)
{
	struct dedup_entry *e;
	unsigned long untracked;
	unsigned int n, seq;
	bool is_new, printed = false;

	if ((unsigned int)r->check >= DMASAN_CHECK__COUNT || !dmasan_check_enabled(r->check) ||
	    !dmasan_device_selected(r->dev))
		return false;
	if (in_report) /* a finding raised while reporting one (e.g. by the symboliser's frees) */
		return false;
	if (!r->stack)
		r->stack = dmasan_stack_capture_nowait(1); /* the leak check emits under its lock */
	/* after the table ran out of memory a finding may stem from what it could not track */
	untracked = san_mem_failures(SAN_MEM_ENTRY) + san_mem_failures(SAN_MEM_DEVICE);
	if (untracked)
		dmasan_report_u64(r, "untracked mappings", untracked);

	in_report = true;
	pthread_mutex_lock(&san_report_lock);
	e = san_dedup_slot(r->check, r->stack, &is_new);
	if (!is_new) {
		e->occurrences++;
		if (e->suppressed) { /* count the hit on the rule too (symbols are cached) */
			n = dmasan_report_symbolize(r->stack, san_report_sym, MAX_SYM_FRAMES / 2);
			san_supp_match(r->check, san_report_sym, n);
			san_n_suppressed++;
		} else {
			san_count(r->check);
		}
		pthread_mutex_unlock(&san_report_lock);
		in_report = false;
		return !e->suppressed;
	}
	n = dmasan_report_symbolize(r->stack, san_report_sym, MAX_SYM_FRAMES / 2);
	if (san_supp_match(r->check, san_report_sym, n)) {
		if (e) {
			e->suppressed = true;
			e->occurrences = 1;
		}
		san_n_suppressed++;
		pthread_mutex_unlock(&san_report_lock);
		in_report = false;
		return false;
	}
	seq = (unsigned int)++san_n_unique;
	if (e) {
		e->seq = seq;
		e->occurrences = 1;
	}
	san_count(r->check);
	if (!dmasan_opts.max_reports || san_n_printed < (unsigned long)dmasan_opts.max_reports) {
		san_n_printed++;
		printed = true;
		san_text_report(r, san_report_sym, n);
	}
	san_json_report(r, seq, r->stack, san_report_sym, n);
	pthread_mutex_unlock(&san_report_lock);
	in_report = false;

	if (printed && dmasan_opts.dump_on_error)
		dmasan_runtime_dump_why(NULL, r->dev, DMASAN_DUMP_ERROR);
	if (dmasan_opts.halt_on_error && san_counts_toward_exit(r->check))
		san_halt();
	return true;
}
