// SPDX-License-Identifier: MIT
/*
 * The text report: each finding rendered by the runtime's own renderer (common/render.h), so the
 * text is the one the program printed, then the tool's totals line.
 */
#include <stdlib.h>
#include <string.h>
#include "common/buf.h"
#include "common/render.h"
#include "common/suppress.h"
#include "report.h"

static const char *related_title(const struct related *r)
{
	static const struct { const char *what, *title; } titles[] = {
		{ "map", "mapping created by" },       { "unmap", "mapping unmapped by" },
		{ "sync_for_cpu", "last synced for the CPU by" },
		{ "sync_for_device", "last synced for the device by" },
		{ "alloc", "allocated by" },           { "free", "freed by" },
		{ "access", "accessed by" },
	};

	if (r->title && *r->title)
		return r->title;
	for (size_t i = 0; r->what && i < sizeof(titles) / sizeof(titles[0]); i++)
		if (!strcmp(r->what, titles[i].what))
			return titles[i].title;
	return r->what ? r->what : "related";
}

/* The record's frames as the renderer's (paths with --strip-path-prefix applied). */
static struct dmasan_rstack to_rstack(const struct stack *st, struct dmasan_rframe *out)
{
	for (unsigned int i = 0; i < st->n; i++) {
		const struct frame *fr = &st->frames[i];

		out[i] = (struct dmasan_rframe){
			.pc = fr->pc ? strtoull(fr->pc, NULL, 16) : 0, .function = fr->function,
			.file = fr->file ? strip_prefix(fr->file) : NULL, .module = fr->module,
			.line = fr->line, .column = fr->column, .module_offset = fr->module_offset,
			.has_offset = fr->has_offset, .origin = (enum dmasan_origin)fr->origin,
		};
	}
	return (struct dmasan_rstack){ out, st->n };
}

/* The tool's own lines: where else the finding was seen, and the baseline. */
static void put_notes(struct dmasan_buf *b, const struct finding *f)
{
	const unsigned int max = 8;

	if (f->count > 1 || f->nprocs > 1) {
		dmasan_buf_printf(b, "NOTE: seen %lu times in %u process%s:", f->count, f->nprocs,
				  f->nprocs == 1 ? "" : "es");
		for (unsigned int i = 0; i < f->nprocs && i < max; i++)
			dmasan_buf_printf(b, "%s %s (pid %ld)", i ? "," : "",
					  f->procs[i].exe ? f->procs[i].exe : "?", f->procs[i].pid);
		dmasan_buf_puts(b, f->nprocs > max ? ", ...\n" : "\n");
	}
	if (f->in_baseline)
		dmasan_buf_puts(b, "NOTE: this finding is in the baseline; it does not fail the gate\n");
}

static long long record_int(json_object *rec, const char *key, long long dflt)
{
	json_object *v;

	if (!json_object_object_get_ex(rec, key, &v) || !json_object_is_type(v, json_type_int))
		return dflt;
	return json_object_get_int64(v);
}

/* The same text the runtime printed for this record, from the shared renderer. The runtime's
 * options that shape the text (dedup_token_length, gen_suppressions, print_summary) are taken at
 * their defaults. */
void write_text_finding(FILE *o, const struct finding *f)
{
	const struct check_info *ci = check_find(f->check);
	unsigned int nframes = f->stack.n, nrel = 0;
	struct dmasan_rframe *frames;
	struct dmasan_rrelated *rel = calloc(f->nrelated + 1, sizeof(*rel));
	char headline[512], notes[2048], storage[8192];
	struct dmasan_buf nb = DMASAN_BUF_INIT(-1, notes), b = DMASAN_BUF_FILE(o, storage);
	struct dmasan_rreport r = {
		.pid = f->procs[0].pid < 0 ? 0 : f->procs[0].pid,
		.severity = f->severity == SEV_ERROR ? 0 : 1,
		.check = f->check,
		.headline = f->headline,
		.tid = f->tid,
		.message = f->message,
		.count = (unsigned long)record_int(f->rec, "count", 1),
		.fix = ci ? ci->fix : NULL,
		.print_summary = true,
	};

	for (unsigned int i = 0; i < f->nrelated; i++)
		nframes += f->related[i].stack.n;
	frames = calloc(nframes + 1, sizeof(*frames));
	if (!frames || !rel) {
		free(frames);
		free(rel);
		return;
	}
	r.stack = to_rstack(&f->stack, frames);
	nframes = f->stack.n;
	for (unsigned int i = 0; i < f->nrelated; i++) {
		const struct related *x = &f->related[i];

		if (x->no_stack)
			continue;
		rel[nrel++] = (struct dmasan_rrelated){ related_title(x), x->tid,
							to_rstack(&x->stack, frames + nframes) };
		nframes += x->stack.n;
	}
	r.related = rel;
	r.nrelated = nrel;
	if (!r.headline && f->device) {
		snprintf(headline, sizeof(headline), "on device %s%s%s%s", f->device,
			 f->driver && *f->driver ? " (driver " : "", f->driver ? f->driver : "",
			 f->driver && *f->driver ? ")" : "");
		r.headline = headline;
	}
	put_notes(&nb, f);
	notes[nb.len < sizeof(notes) ? nb.len : sizeof(notes) - 1] = '\0';
	r.notes = notes;
	dmasan_render_text(&b, &r);
	dmasan_buf_flush(&b);
	free(frames);
	free(rel);
}

void write_text(FILE *o, const struct input *in, const struct out_opts *opt)
{
	for (unsigned int i = 0; i < in->nfindings; i++)
		if (!finding_suppressed(in->findings[i]))
			write_text_finding(o, in->findings[i]);
	fputs("dmasan-report: ", o);
	write_totals(o, in, opt);
	write_suppression_stats(o, opt->supp, opt->supp_hits);
}
