// SPDX-License-Identifier: MIT
/*
 * A live report as output: the text report through the shared renderer (common/render.h) and
 * the JSON Lines "violation" and "run" records (docs/report-format.md). Called under
 * san_report_lock; formats into static buffers, no malloc.
 */
#include <stdio.h>
#include <unistd.h>
#include <linux/device.h>
#include "common/names.h"
#include "common/render.h"
#include "report/log.h"
#include "report/report_impl.h"
#include "rt/options.h"
#include "rt/runtime.h"

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

void san_text_report(const struct dmasan_report *r, const struct dmasan_frame *f, unsigned int n)
{
	/* under san_report_lock, like san_report_sym: each related stack gets as many frames as before */
	static struct dmasan_rframe rframes[MAX_SYM_FRAMES];
	static struct dmasan_frame rel_sym[DMASAN_MAX_RELATED][MAX_SYM_FRAMES];
	static struct dmasan_rframe rel_rframes[DMASAN_MAX_RELATED][MAX_SYM_FRAMES];
	static struct dmasan_rrelated related[DMASAN_MAX_RELATED];
	static char message[4096], headline[256];
	struct dmasan_buf mb = DMASAN_BUF_INIT(-1, message);
	struct dmasan_buf b = DMASAN_BUF_INIT(dmasan_log_fd(), san_text_storage);
	struct dmasan_rreport rr = {
		.pid = (long)getpid(),
		.severity = dmasan_checks[r->check].severity,
		.check = dmasan_checks[r->check].id,
		.tid = (long)r->tid,
		.count = r->count,
		.stack = san_report_rstack(f, n, rframes),
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
		k = dmasan_report_symbolize(r->related[i].stack, rel_sym[i], MAX_SYM_FRAMES - n);
		related[rr.nrelated++] = (struct dmasan_rrelated){
			.title = r->related[i].title, .tid = (long)r->related[i].tid,
			.stack = san_report_rstack(rel_sym[i], k, rel_rframes[i]),
		};
	}
	dmasan_render_text(&b, &rr);
	dmasan_log_flush(&b);
}


void san_json_report(const struct dmasan_report *r, unsigned int seq, dmasan_stack_id stack,
			const struct dmasan_frame *f, unsigned int n)
{
	const struct dmasan_check_info *ci = &dmasan_checks[r->check];
	struct dmasan_buf b = DMASAN_BUF_INIT(dmasan_json_fd(), san_json_storage);
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
	dmasan_buf_printf(&b, ",\"tid\":%u,\"stack_id\":%u,\"count\":%u,", r->tid, stack,
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
	dmasan_report_json_stack(&b, f, n);
	dmasan_buf_puts(&b, ",\"related\":[");
	for (unsigned int i = 0, first = 1; i < r->nrelated; i++) {
		unsigned int k = dmasan_report_symbolize(r->related[i].stack, san_report_sym + n, MAX_SYM_FRAMES - n);

		dmasan_buf_printf(&b, "%s{\"what\":\"%s\",\"title\":\"", first ? "" : ",",
				  r->related[i].what ? r->related[i].what : "");
		dmasan_buf_json_str(&b, r->related[i].title ? r->related[i].title : "");
		dmasan_buf_printf(&b, "\",\"tid\":%u,\"stack_id\":%u,\"stack\":", r->related[i].tid,
				  r->related[i].stack);
		dmasan_report_json_stack(&b, san_report_sym + n, k);
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
	dmasan_json_written(&b);
}

void dmasan_report_write_run(void)
{
	char storage[1024]; /* not san_json_storage: this runs when any writer first opens the file */
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
	dmasan_json_written(&b);
}
