// SPDX-License-Identifier: MIT
/*
 * At exit: the suppressions used and unused, the SUMMARY: line, the JSON "summary" record, and
 * whether the findings set the exit status.
 */
#include <string.h>
#include <unistd.h>
#include "common/suppress.h"
#include "report/log.h"
#include "report/report_impl.h"
#include "rt/options.h"
#include "rt/runtime.h"

static unsigned long unused_suppressions(void)
{
	unsigned long hits, unused = 0;

	for (unsigned int i = 0; san_supp_rules && i < dmasan_supp_count(san_supp_rules); i++)
		if (dmasan_supp_rule(san_supp_rules, i, &hits) && !hits)
			unused++;
	return unused;
}

bool dmasan_report_failed(void)
{
	unsigned long e, w;

	dmasan_report_counts(&e, &w, NULL);
	if (e || (w && dmasan_opts.fail_on == DMASAN_FAIL_ON_WARNING))
		return true;
	if (dmasan_json_lost(NULL))
		return true;
	return dmasan_opts.print_suppressions >= 2 && unused_suppressions();
}

static void text_suppressions(void)
{
	struct dmasan_buf b = DMASAN_BUF_INIT(-1, san_text_storage);
	unsigned long hits;
	const char *rule;
	bool any_used = false;

	if (!san_supp_rules || !dmasan_opts.print_suppressions || !dmasan_supp_count(san_supp_rules))
		return;
	b.fd = dmasan_log_fd(); /* opened only when there is something to say */
	for (unsigned int i = 0; (rule = dmasan_supp_rule(san_supp_rules, i, &hits)); i++) {
		if (!hits)
			continue;
		if (!any_used)
			dmasan_buf_puts(&b, "-----------------------------------------------------\n"
					    "Suppressions used:\n  count template\n");
		any_used = true;
		dmasan_buf_printf(&b, "%7lu %s\n", hits, rule);
	}
	if (any_used)
		dmasan_buf_puts(&b, "-----------------------------------------------------\n");
	if (unused_suppressions()) {
		dmasan_buf_printf(&b, "==%d==%s: DMASanitizer: suppressions that matched nothing:\n",
				  (int)getpid(), dmasan_opts.print_suppressions >= 2 ? "ERROR" : "WARNING");
		for (unsigned int i = 0; (rule = dmasan_supp_rule(san_supp_rules, i, &hits)); i++)
			if (!hits)
				dmasan_buf_printf(&b, "  %s\n", rule);
	}
	dmasan_log_flush(&b);
}

static void json_summary(void)
{
	struct dmasan_buf b = DMASAN_BUF_INIT(-1, san_json_storage);
	unsigned long hits;
	const char *rule;
	bool first = true;

	/* Every process under dmasan ends its file with this record, also one that found nothing:
	 * a file without it comes from a process that died, and an empty directory from a run in
	 * which dmasan was never loaded. */
	b.fd = dmasan_json_fd();
	if (b.fd < 0)
		return;
	dmasan_buf_printf(&b, "{\"type\":\"summary\",\"errors\":%lu,\"warnings\":%lu,\"suppressed\":%lu,\"unique\":%lu,\"printed\":%lu,\"reports\":[",
			  san_n_errors, san_n_warnings, san_n_suppressed, san_n_unique, san_n_printed);
	for (unsigned int i = 0; i < DEDUP_SLOTS; i++) {
		if (!san_dedup[i].stack || san_dedup[i].suppressed || !san_dedup[i].seq)
			continue;
		dmasan_buf_printf(&b, "%s{\"id\":%u,\"occurrences\":%lu}", first ? "" : ",",
				  san_dedup[i].seq, san_dedup[i].occurrences);
		first = false;
	}
	dmasan_buf_puts(&b, "],\"suppressions\":[");
	for (unsigned int i = 0; san_supp_rules && (rule = dmasan_supp_rule(san_supp_rules, i, &hits)); i++) {
		dmasan_buf_puts(&b, i ? ",{\"rule\":\"" : "{\"rule\":\"");
		dmasan_buf_json_str(&b, rule);
		dmasan_buf_printf(&b, "\",\"hits\":%lu}", hits);
	}
	dmasan_buf_puts(&b, "],\"unused_suppressions\":[");
	first = true;
	for (unsigned int i = 0; san_supp_rules && (rule = dmasan_supp_rule(san_supp_rules, i, &hits)); i++) {
		if (hits)
			continue;
		dmasan_buf_puts(&b, first ? "\"" : ",\"");
		dmasan_buf_json_str(&b, rule);
		dmasan_buf_putc(&b, '"');
		first = false;
	}
	dmasan_buf_puts(&b, "]}\n");
	dmasan_buf_flush(&b);
	dmasan_json_written(&b);
}

/* A report that lost records must not read as a complete one: say how many, fail the run. */
static void json_lost_summary(void)
{
	int err;
	unsigned long lost = dmasan_json_lost(&err);

	if (lost)
		dmasan_log_printf("ERROR: DMASanitizer: %lu JSON record%s lost (%s); "
				  "the JSON report is incomplete\n", lost, lost == 1 ? "" : "s",
				  strerror(err));
}

/* The text log failed: how much of it is missing (later text went to stderr). */
static void log_lost_summary(void)
{
	int err;
	unsigned long lost = dmasan_log_lost(&err);

	if (lost)
		dmasan_log_printf("ERROR: DMASanitizer: %lu text record%s lost (%s); the text log is "
				  "incomplete\n", lost, lost == 1 ? "" : "s", strerror(err));
}

void dmasan_report_finish(void)
{
	static bool finished;

	pthread_mutex_lock(&san_report_lock);
	if (finished) {
		pthread_mutex_unlock(&san_report_lock);
		return;
	}
	finished = true;
	text_suppressions();
	if (dmasan_opts.print_summary && (san_n_errors || san_n_warnings)) {
		struct dmasan_buf b = DMASAN_BUF_INIT(dmasan_log_fd(), san_text_storage);

		dmasan_buf_puts(&b, "SUMMARY: DMASanitizer: ");
		dmasan_render_totals(&b, san_n_errors, san_n_warnings, san_n_unique, san_n_suppressed);
		dmasan_buf_putc(&b, '\n');
		dmasan_log_flush(&b);
	}
	json_summary();
	json_lost_summary();
	log_lost_summary();
	pthread_mutex_unlock(&san_report_lock);
}
