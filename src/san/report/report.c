/* SPDX-License-Identifier: MIT */
/*
 * Reports: filtering (per-check enables, device_filter, suppressions), deduplication by
 * (check, stack), the AddressSanitizer-shaped text report, the JSON Lines record (checks.md,
 * schema 1), counting, max_reports and halt_on_error. One report at a time under report_lock;
 * everything is formatted into static buffers and written with write(2).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fnmatch.h>
#include <linux/device.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rt/services.h"
#include "common/names.h"
#include "common/render.h"
#include "common/suppress.h"
#include "report/log.h"
#include "rt/options.h"
#include "report/report.h"
#include "rt/runtime.h"

#define ERROR DMASAN_ERROR
#define WARNING DMASAN_WARNING
const struct dmasan_check_info dmasan_checks[DMASAN_CHECK__COUNT] = {
#define DMASAN_CHECK(E, id_, sev, grp, ksent, what_, why_, fix_) \
	[DMASAN_CHECK_##E] = { id_, sev, #grp[0], ksent, what_, why_, fix_ },
#include "common/checks.inc"
#undef DMASAN_CHECK
};
#undef ERROR
#undef WARNING

_Static_assert(DMASAN_ERROR == 0 && DMASAN_WARNING == 1, "names.c's severity order");

#define DEDUP_SLOTS 8192
#define MAX_SYM_FRAMES (DMASAN_MAX_FRAMES * 2)

struct dedup_entry {
	dmasan_stack_id stack; /* 0: empty slot */
	unsigned short check;
	bool suppressed;
	unsigned int seq;      /* the violation record's "id" */
	unsigned long occurrences;
};

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread bool in_report;
static unsigned long n_errors, n_warnings, n_suppressed, n_unique, n_printed;
static struct dedup_entry dedup[DEDUP_SLOTS];
static struct dmasan_supp *supp;

/* Scratch under report_lock: symbolised frames and the two output buffers. */
static struct dmasan_frame sym[MAX_SYM_FRAMES];
static char text_storage[16384], json_storage[16384];

/* ------------------------------------------------------------------ building a report */

void dmasan_report_init(struct dmasan_report *r, enum dmasan_check check, struct device *dev)
{
	memset(r, 0, sizeof(*r));
	r->check = check;
	r->dev = dev;
	r->count = 1;
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

/* ------------------------------------------------------------------ filters */

bool dmasan_check_enabled(enum dmasan_check c)
{
	if (__builtin_expect(!dmasan_runtime_initialized(), 0))
		dmasan_runtime_init();
	return (unsigned int)c < DMASAN_CHECK__COUNT && dmasan_opts.check[c];
}

bool dmasan_device_selected(const struct device *dev)
{
	const char *f = dmasan_opts.device_filter;
	const char *name, *drv;

	if (!f || !*f)
		return true;
	if (!dev)
		return false;
	name = dev_name(dev);
	if (name && !fnmatch(f, name, 0))
		return true;
	drv = dev_driver_string(dev);
	return drv && !fnmatch(f, drv, 0);
}

static void supp_load(void)
{
	char err[1024];

	if (!dmasan_opts.suppressions || !*dmasan_opts.suppressions)
		return;
	supp = dmasan_supp_load(dmasan_opts.suppressions, err, sizeof(err));
	if (!supp) {
		dmasan_err_printf("ERROR: DMASanitizer: failed to parse suppressions (suppressions=%s): %s\n",
				  dmasan_opts.suppressions, err);
		_exit(1);
	}
}

static bool supp_match(enum dmasan_check c, const struct dmasan_frame *f, unsigned int n)
{
	struct dmasan_supp_frame sf[MAX_SYM_FRAMES];

	if (!supp)
		return false;
	for (unsigned int i = 0; i < n; i++)
		sf[i] = (struct dmasan_supp_frame){ f[i].function, f[i].file, f[i].module };
	return dmasan_supp_match(supp, dmasan_checks[c].id, sf, n) >= 0;
}

/* ------------------------------------------------------------------ stacks */

/* Symbolise a stack into out (inlined frames expanded), dropping the sanitizer's own frames at
 * the top and, of the libkdma frames under them, all but the outermost: the API function the
 * driver called stays as frame #0, like an interceptor frame in AddressSanitizer reports.
 * Returns the number of frames. */
static unsigned int symbolize_stack(dmasan_stack_id id, struct dmasan_frame *out, unsigned int max)
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
	return n;
}

static void json_stack(struct dmasan_buf *b, const struct dmasan_frame *f, unsigned int n)
{
	static const char *const kinds[] = { NULL, "sanitizer", "kdma", "startup" };

	dmasan_buf_putc(b, '[');
	for (unsigned int i = 0; i < n; i++) {
		dmasan_buf_printf(b, "%s{\"pc\":\"0x%lx\"", i ? "," : "", (unsigned long)f[i].pc);
		if (f[i].function) {
			dmasan_buf_puts(b, ",\"function\":\"");
			dmasan_buf_json_str(b, f[i].function);
			dmasan_buf_putc(b, '"');
		}
		if (f[i].file) {
			dmasan_buf_puts(b, ",\"file\":\"");
			dmasan_buf_json_str(b, f[i].file);
			dmasan_buf_putc(b, '"');
		}
		if (f[i].line)
			dmasan_buf_printf(b, ",\"line\":%d", f[i].line);
		if (f[i].column)
			dmasan_buf_printf(b, ",\"column\":%d", f[i].column);
		if (f[i].module) {
			dmasan_buf_puts(b, ",\"module\":\"");
			dmasan_buf_json_str(b, f[i].module);
			dmasan_buf_printf(b, "\",\"module_offset\":\"0x%lx\"",
					  (unsigned long)f[i].module_offset);
		}
		if (f[i].internal > 0 && f[i].internal < 4)
			dmasan_buf_printf(b, ",\"internal\":true,\"origin\":\"%s\"",
					  kinds[f[i].internal]);
		dmasan_buf_putc(b, '}');
	}
	dmasan_buf_putc(b, ']');
}

unsigned int dmasan_report_symbolize(dmasan_stack_id id, struct dmasan_frame *out, unsigned int max)
{
	return symbolize_stack(id, out, max);
}

_Static_assert(DMASAN_FRAME_USER == (int)DMASAN_ORIGIN_USER &&
	       DMASAN_FRAME_SANITIZER == (int)DMASAN_ORIGIN_SANITIZER &&
	       DMASAN_FRAME_KDMA == (int)DMASAN_ORIGIN_KDMA &&
	       DMASAN_FRAME_STARTUP == (int)DMASAN_ORIGIN_STARTUP, "frame origins agree");

/* Symbolised frames as the renderer's neutral frames (strings shared, not copied). */
static struct dmasan_rstack to_rstack(const struct dmasan_frame *f, unsigned int n,
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
	struct dmasan_rstack s = to_rstack(f, n < MAX_SYM_FRAMES ? n : MAX_SYM_FRAMES, rf);

	dmasan_render_text_stack(b, &s);
}

void dmasan_report_json_stack(struct dmasan_buf *b, const struct dmasan_frame *f, unsigned int n)
{
	json_stack(b, f, n);
}

/* ------------------------------------------------------------------ the text report */

static const char *sentence_of(const struct dmasan_report *r)
{
	const struct dmasan_check_info *ci = &dmasan_checks[r->check];

	if (r->sentence)
		return r->sentence;
	return ci->kernel[0] ? ci->kernel : ci->what;
}

static void put_fact_value(struct dmasan_buf *b, const struct dmasan_fact *f, bool json)
{
	switch (f->kind) {
	case DMASAN_FACT_HEX:
		dmasan_buf_printf(b, json ? "\"0x%016llx\"" : "0x%016llx", (unsigned long long)f->num);
		break;
	case DMASAN_FACT_U64:
		dmasan_buf_printf(b, "%llu", (unsigned long long)f->num);
		break;
	case DMASAN_FACT_STR:
		if (json) {
			dmasan_buf_putc(b, '"');
			dmasan_buf_json_str(b, f->str);
			dmasan_buf_putc(b, '"');
		} else { /* one line per report line: control characters shown escaped */
			for (const char *c = f->str; *c; c++) {
				if ((unsigned char)*c < 0x20)
					dmasan_buf_printf(b, "\\x%02x", (unsigned char)*c);
				else
					dmasan_buf_putc(b, *c);
			}
		}
		break;
	}
}

/* What follows the check id in the headline: "on dma 0x... (device foo)", "on device foo", or
 * NULL (process-wide findings). */
static const char *headline_of(const struct dmasan_report *r, char *tmp, size_t size)
{
	if (r->headline_extra)
		snprintf(tmp, size, "%s", r->headline_extra);
	else if (r->dev)
		snprintf(tmp, size, "on device %s", dev_name(r->dev));
	else
		return NULL;
	return tmp;
}

/* The sentence and its facts, as the text report and the JSON "message" show them. */
static void put_message(struct dmasan_buf *b, const struct dmasan_report *r)
{
	dmasan_buf_puts(b, sentence_of(r));
	for (unsigned int i = 0; i < r->nfacts; i++) {
		dmasan_buf_printf(b, " [%s=", r->facts[i].key);
		put_fact_value(b, &r->facts[i], false);
		dmasan_buf_putc(b, ']');
	}
}

static void text_report(const struct dmasan_report *r, const struct dmasan_frame *f, unsigned int n)
{
	/* under report_lock, like sym: each related stack gets as many frames as before */
	static struct dmasan_rframe rframes[MAX_SYM_FRAMES];
	static struct dmasan_frame rel_sym[DMASAN_MAX_RELATED][MAX_SYM_FRAMES];
	static struct dmasan_rframe rel_rframes[DMASAN_MAX_RELATED][MAX_SYM_FRAMES];
	static struct dmasan_rrelated related[DMASAN_MAX_RELATED];
	static char message[4096], headline[256];
	struct dmasan_buf mb = DMASAN_BUF_INIT(-1, message);
	struct dmasan_buf b = DMASAN_BUF_INIT(dmasan_log_fd(), text_storage);
	struct dmasan_rreport rr = {
		.pid = (long)getpid(),
		.severity = dmasan_checks[r->check].severity,
		.check = dmasan_checks[r->check].id,
		.tid = (long)dmasan_thread_id(),
		.count = r->count,
		.stack = to_rstack(f, n, rframes),
		.related = related,
		.fix = dmasan_checks[r->check].fix,
		.dedup_token_length = dmasan_opts.dedup_token_length,
		.gen_suppressions = dmasan_opts.gen_suppressions,
		.print_summary = dmasan_opts.print_summary,
	};

	put_message(&mb, r);
	message[mb.len < sizeof(message) ? mb.len : sizeof(message) - 1] = '\0';
	rr.message = message;
	rr.headline = headline_of(r, headline, sizeof(headline));
	for (unsigned int i = 0; i < r->nrelated; i++) {
		unsigned int k;

		if (!r->related[i].stack)
			continue;
		k = symbolize_stack(r->related[i].stack, rel_sym[i], MAX_SYM_FRAMES - n);
		related[rr.nrelated++] = (struct dmasan_rrelated){
			.title = r->related[i].title, .tid = (long)r->related[i].tid,
			.stack = to_rstack(rel_sym[i], k, rel_rframes[i]),
		};
	}
	dmasan_render_text(&b, &rr);
	dmasan_buf_flush(&b);
}

/* ------------------------------------------------------------------ JSON Lines */

static void json_report(const struct dmasan_report *r, unsigned int seq, dmasan_stack_id stack,
			const struct dmasan_frame *f, unsigned int n)
{
	const struct dmasan_check_info *ci = &dmasan_checks[r->check];
	struct dmasan_buf b = DMASAN_BUF_INIT(dmasan_json_fd(), json_storage);
	char headline[256];

	if (b.fd < 0)
		return;
	dmasan_buf_printf(&b, "{\"type\":\"violation\",\"id\":%u,\"check\":\"%s\",\"severity\":\"%s\",\"device\":",
			  seq, ci->id, dmasan_severity_name(ci->severity));
	if (r->dev) {
		const char *drv = dev_driver_string(r->dev);
		const char *name = dev_name(r->dev);

		dmasan_buf_putc(&b, '"');
		dmasan_buf_json_str(&b, name ? name : "");
		dmasan_buf_puts(&b, "\",\"driver\":\"");
		dmasan_buf_json_str(&b, drv ? drv : "");
		dmasan_buf_putc(&b, '"');
	} else {
		dmasan_buf_puts(&b, "null");
	}
	dmasan_buf_printf(&b, ",\"tid\":%u,\"stack_id\":%u,\"count\":%u,", dmasan_thread_id(), stack,
			  r->count);
	if (headline_of(r, headline, sizeof(headline))) {
		dmasan_buf_puts(&b, "\"headline\":\"");
		dmasan_buf_json_str(&b, headline);
		dmasan_buf_puts(&b, "\",");
	}
	dmasan_buf_puts(&b, "\"message\":\"");
	dmasan_buf_json_str(&b, sentence_of(r));
	for (unsigned int i = 0; i < r->nfacts; i++) {
		char tmp[128];
		struct dmasan_buf t = DMASAN_BUF_INIT(-1, tmp);

		/* the text form of the fact, escaped (values may hold quotes) */
		dmasan_buf_printf(&t, " [%s=", r->facts[i].key);
		put_fact_value(&t, &r->facts[i], false);
		dmasan_buf_putc(&t, ']');
		tmp[t.len < sizeof(tmp) ? t.len : sizeof(tmp) - 1] = 0;
		dmasan_buf_json_str(&b, tmp);
	}
	dmasan_buf_puts(&b, "\",\"stack\":");
	json_stack(&b, f, n);
	dmasan_buf_puts(&b, ",\"related\":[");
	for (unsigned int i = 0, first = 1; i < r->nrelated; i++) {
		unsigned int k = symbolize_stack(r->related[i].stack, sym + n, MAX_SYM_FRAMES - n);

		dmasan_buf_printf(&b, "%s{\"what\":\"%s\",\"title\":\"", first ? "" : ",",
				  r->related[i].what ? r->related[i].what : "");
		dmasan_buf_json_str(&b, r->related[i].title ? r->related[i].title : "");
		dmasan_buf_printf(&b, "\",\"tid\":%u,\"stack_id\":%u,\"stack\":", r->related[i].tid,
				  r->related[i].stack);
		json_stack(&b, sym + n, k);
		dmasan_buf_putc(&b, '}');
		first = 0;
	}
	dmasan_buf_puts(&b, "],\"facts\":{");
	for (unsigned int i = 0; i < r->nfacts; i++) {
		dmasan_buf_puts(&b, i ? ",\"" : "\"");
		for (const char *k = r->facts[i].key; *k; k++)
			dmasan_buf_putc(&b, *k == ' ' || *k == '-' ? '_' : *k);
		dmasan_buf_puts(&b, "\":");
		put_fact_value(&b, &r->facts[i], true);
	}
	dmasan_buf_puts(&b, "}}\n");
	dmasan_buf_flush(&b);
}

void dmasan_report_write_run(void)
{
	char storage[1024]; /* not json_storage: this runs when any writer first opens the file */
	struct dmasan_buf b = DMASAN_BUF_INIT(dmasan_json_fd(), storage);
	char exe[4096];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (b.fd < 0)
		return;
	exe[len > 0 ? len : 0] = 0;
	dmasan_buf_printf(&b, "{\"type\":\"run\",\"dmasan\":1,\"pid\":%d,\"ppid\":%d,\"exe\":\"",
			  (int)getpid(), (int)getppid());
	dmasan_buf_json_str(&b, exe);
	dmasan_buf_puts(&b, "\",\"options\":\"");
	dmasan_buf_json_str(&b, dmasan_options_string());
	dmasan_buf_puts(&b, "\"}\n");
	dmasan_buf_flush(&b);
}

/* ------------------------------------------------------------------ emit */

static bool counts_toward_exit(enum dmasan_check c)
{
	return dmasan_checks[c].severity == DMASAN_ERROR ||
	       dmasan_opts.fail_on == DMASAN_FAIL_ON_WARNING;
}

static void count(enum dmasan_check c)
{
	if (dmasan_checks[c].severity == DMASAN_ERROR)
		__atomic_add_fetch(&n_errors, 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&n_warnings, 1, __ATOMIC_RELAXED);
}

/* The slot for (check, stack): found (*is_new false), claimed (*is_new true), or NULL when the
 * table is full or there is no stack to key on. */
static struct dedup_entry *dedup_slot(enum dmasan_check c, dmasan_stack_id stack, bool *is_new)
{
	unsigned int h = (stack * 2654435761u) ^ (unsigned int)c;

	*is_new = true;
	if (!stack)
		return NULL;
	for (unsigned int i = 0; i < DEDUP_SLOTS; i++) {
		struct dedup_entry *e = &dedup[(h + i) % DEDUP_SLOTS];

		if (!e->stack) {
			e->stack = stack;
			e->check = (unsigned short)c;
			return e;
		}
		if (e->stack == stack && e->check == c) {
			*is_new = false;
			return e;
		}
	}
	return NULL;
}

static _Noreturn void halt(void)
{
	dmasan_report_finish();
	dmasan_log_printf("ABORTING\n");
	if (dmasan_opts.abort_on_error)
		abort();
	_exit(dmasan_opts.exitcode);
}

bool dmasan_report_emit(struct dmasan_report *r)
{
	struct dedup_entry *e;
	unsigned int n, seq;
	bool is_new, printed = false;

	if ((unsigned int)r->check >= DMASAN_CHECK__COUNT || !dmasan_check_enabled(r->check) ||
	    !dmasan_device_selected(r->dev))
		return false;
	if (in_report) /* a finding raised while reporting one (e.g. by the symboliser's frees) */
		return false;
	if (!r->stack)
		r->stack = dmasan_stack_capture(1);

	in_report = true;
	pthread_mutex_lock(&report_lock);
	e = dedup_slot(r->check, r->stack, &is_new);
	if (!is_new) {
		e->occurrences++;
		if (e->suppressed) { /* count the hit on the rule too (symbols are cached) */
			n = symbolize_stack(r->stack, sym, MAX_SYM_FRAMES / 2);
			supp_match(r->check, sym, n);
			n_suppressed++;
		} else {
			count(r->check);
		}
		pthread_mutex_unlock(&report_lock);
		in_report = false;
		return !e->suppressed;
	}
	n = symbolize_stack(r->stack, sym, MAX_SYM_FRAMES / 2);
	if (supp_match(r->check, sym, n)) {
		if (e) {
			e->suppressed = true;
			e->occurrences = 1;
		}
		n_suppressed++;
		pthread_mutex_unlock(&report_lock);
		in_report = false;
		return false;
	}
	seq = (unsigned int)++n_unique;
	if (e) {
		e->seq = seq;
		e->occurrences = 1;
	}
	count(r->check);
	if (!dmasan_opts.max_reports || n_printed < (unsigned long)dmasan_opts.max_reports) {
		n_printed++;
		printed = true;
		text_report(r, sym, n);
	}
	json_report(r, seq, r->stack, sym, n);
	pthread_mutex_unlock(&report_lock);
	in_report = false;

	if (printed && dmasan_opts.dump_on_error)
		dmasan_runtime_dump_why(NULL, r->dev, DMASAN_DUMP_ERROR);
	if (dmasan_opts.halt_on_error && counts_toward_exit(r->check))
		halt();
	return true;
}

/* ------------------------------------------------------------------ counters, exit */

void dmasan_report_counts(unsigned long *errors, unsigned long *warnings, unsigned long *suppressed)
{
	if (errors)
		*errors = __atomic_load_n(&n_errors, __ATOMIC_RELAXED);
	if (warnings)
		*warnings = __atomic_load_n(&n_warnings, __ATOMIC_RELAXED);
	if (suppressed)
		*suppressed = __atomic_load_n(&n_suppressed, __ATOMIC_RELAXED);
}

void dmasan_report_unique(unsigned long *unique, unsigned long *printed)
{
	pthread_mutex_lock(&report_lock);
	if (unique)
		*unique = n_unique;
	if (printed)
		*printed = n_printed;
	pthread_mutex_unlock(&report_lock);
}

static unsigned long unused_suppressions(void)
{
	unsigned long hits, unused = 0;

	for (unsigned int i = 0; supp && i < dmasan_supp_count(supp); i++)
		if (dmasan_supp_rule(supp, i, &hits) && !hits)
			unused++;
	return unused;
}

bool dmasan_report_failed(void)
{
	unsigned long e, w;

	dmasan_report_counts(&e, &w, NULL);
	if (e || (w && dmasan_opts.fail_on == DMASAN_FAIL_ON_WARNING))
		return true;
	return dmasan_opts.print_suppressions >= 2 && unused_suppressions();
}

static void text_suppressions(void)
{
	struct dmasan_buf b = DMASAN_BUF_INIT(-1, text_storage);
	unsigned long hits;
	const char *rule;
	bool any_used = false;

	if (!supp || !dmasan_opts.print_suppressions || !dmasan_supp_count(supp))
		return;
	b.fd = dmasan_log_fd(); /* opened only when there is something to say */
	for (unsigned int i = 0; (rule = dmasan_supp_rule(supp, i, &hits)); i++) {
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
		for (unsigned int i = 0; (rule = dmasan_supp_rule(supp, i, &hits)); i++)
			if (!hits)
				dmasan_buf_printf(&b, "  %s\n", rule);
	}
	dmasan_buf_flush(&b);
}

/* A process that reported nothing still gets its run and summary records when it is a DMA
 * program (libkdma attached), but the shell and the tools around it leave no file. */
static bool kdma_loaded(void)
{
	return san_kdma != NULL;
}

static void json_summary(void)
{
	struct dmasan_buf b = DMASAN_BUF_INIT(-1, json_storage);
	unsigned long hits;
	const char *rule;
	bool first = true;

	if (!dmasan_json_opened() && !kdma_loaded())
		return;
	b.fd = dmasan_json_fd();
	if (b.fd < 0)
		return;
	dmasan_buf_printf(&b, "{\"type\":\"summary\",\"errors\":%lu,\"warnings\":%lu,\"suppressed\":%lu,\"unique\":%lu,\"printed\":%lu,\"reports\":[",
			  n_errors, n_warnings, n_suppressed, n_unique, n_printed);
	for (unsigned int i = 0; i < DEDUP_SLOTS; i++) {
		if (!dedup[i].stack || dedup[i].suppressed || !dedup[i].seq)
			continue;
		dmasan_buf_printf(&b, "%s{\"id\":%u,\"occurrences\":%lu}", first ? "" : ",",
				  dedup[i].seq, dedup[i].occurrences);
		first = false;
	}
	dmasan_buf_puts(&b, "],\"suppressions\":[");
	for (unsigned int i = 0; supp && (rule = dmasan_supp_rule(supp, i, &hits)); i++) {
		dmasan_buf_puts(&b, i ? ",{\"rule\":\"" : "{\"rule\":\"");
		dmasan_buf_json_str(&b, rule);
		dmasan_buf_printf(&b, "\",\"hits\":%lu}", hits);
	}
	dmasan_buf_puts(&b, "],\"unused_suppressions\":[");
	first = true;
	for (unsigned int i = 0; supp && (rule = dmasan_supp_rule(supp, i, &hits)); i++) {
		if (hits)
			continue;
		dmasan_buf_puts(&b, first ? "\"" : ",\"");
		dmasan_buf_json_str(&b, rule);
		dmasan_buf_putc(&b, '"');
		first = false;
	}
	dmasan_buf_puts(&b, "]}\n");
	dmasan_buf_flush(&b);
}

void dmasan_report_finish(void)
{
	static bool finished;

	pthread_mutex_lock(&report_lock);
	if (finished) {
		pthread_mutex_unlock(&report_lock);
		return;
	}
	finished = true;
	text_suppressions();
	if (dmasan_opts.print_summary && (n_errors || n_warnings)) {
		struct dmasan_buf b = DMASAN_BUF_INIT(dmasan_log_fd(), text_storage);

		dmasan_buf_printf(&b, "SUMMARY: DMASanitizer: %lu error%s, %lu warning%s (%lu unique), %lu suppressed\n",
				  n_errors, n_errors == 1 ? "" : "s", n_warnings,
				  n_warnings == 1 ? "" : "s", n_unique, n_suppressed);
		dmasan_buf_flush(&b);
	}
	json_summary();
	pthread_mutex_unlock(&report_lock);
}

void dmasan_report_setup(void)
{
	supp_load();
}

void dmasan_report_fork_prepare(void)
{
	pthread_mutex_lock(&report_lock);
}

void dmasan_report_fork_parent(void)
{
	pthread_mutex_unlock(&report_lock);
}

void dmasan_report_fork_child(void)
{
	n_errors = n_warnings = n_suppressed = n_unique = n_printed = 0;
	memset(dedup, 0, sizeof(dedup));
	pthread_mutex_unlock(&report_lock);
}
