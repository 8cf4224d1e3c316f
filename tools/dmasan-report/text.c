// SPDX-License-Identifier: MIT
/*
 * The text report: the AddressSanitizer layout (conventions-and-style.md §4.4) so existing parsers
 * and CI greps work: "==PID==ERROR: DMASanitizer: <check>", "    #N 0xPC in fn file:line:col"
 * frames, a blank line after each stack, HINT: and SUMMARY: lines.
 */
#include <string.h>
#include "common/names.h"
#include "common/suppress.h"
#include "report.h"

/* " file:line:col" (ASan's %L), else " (module)", else " (unknown)" if unknown is not NULL. */
static void write_file_line(FILE *o, const struct frame *fr, const char *unknown)
{
	if (fr->file) {
		fprintf(o, " %s", strip_prefix(fr->file));
		if (fr->line > 0)
			fprintf(o, ":%d", fr->line);
		if (fr->line > 0 && fr->column > 0)
			fprintf(o, ":%d", fr->column);
	} else if (fr->module || unknown) {
		fprintf(o, " (%s)", fr->module ? fr->module : unknown);
	}
}

static void write_frames(FILE *o, const struct stack *st)
{
	if (!st->n)
		fputs("    <empty stack>\n", o);
	for (unsigned int i = 0; i < st->n; i++) {
		const struct frame *fr = &st->frames[i];

		fprintf(o, "    #%u %s", i, fr->pc ? fr->pc : "0x0");
		if (fr->function)
			fprintf(o, " in %s", fr->function);
		write_file_line(o, fr, "<unknown module>");
		fputc('\n', o);
	}
	fputc('\n', o);
}

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

/* "file:line:col in fn" of the first user frame, for SUMMARY: */
static void write_location(FILE *o, const struct finding *f)
{
	const struct frame *fr = stack_located_frame(&f->stack);

	if (!fr)
		fr = stack_user_frame(&f->stack);
	if (!fr)
		return;
	write_file_line(o, fr, NULL);
	if (fr->function)
		fprintf(o, " in %s", fr->function);
}

static void write_occurrences(FILE *o, const struct finding *f)
{
	const unsigned int max = 8;

	if (f->count <= 1 && f->nprocs <= 1)
		return;
	fprintf(o, "NOTE: seen %lu times in %u process%s:", f->count, f->nprocs,
		f->nprocs == 1 ? "" : "es");
	for (unsigned int i = 0; i < f->nprocs && i < max; i++)
		fprintf(o, "%s %s (pid %ld)", i ? "," : "", f->procs[i].exe ? f->procs[i].exe : "?",
			f->procs[i].pid);
	fputs(f->nprocs > max ? ", ...\n" : "\n", o);
}

void write_text_finding(FILE *o, const struct finding *f)
{
	const struct frame *user = stack_user_frame(&f->stack);
	char id[64];

	fputs("=================================================================\n", o);
	fprintf(o, "==%ld==%s: DMASanitizer: %s", f->procs[0].pid < 0 ? 0 : f->procs[0].pid,
		dmasan_severity_title(f->severity == SEV_ERROR ? 0 : 1), f->check);
	if (f->headline) {
		fprintf(o, " %s", f->headline);
	} else if (f->device) {
		fprintf(o, " on device %s", f->device);
		if (f->driver && *f->driver)
			fprintf(o, " (driver %s)", f->driver);
	}
	if (f->tid >= 0)
		fprintf(o, " thread T%ld", f->tid);
	fprintf(o, "\n%s\n", f->message);
	write_frames(o, &f->stack);
	for (unsigned int i = 0; i < f->nrelated; i++) {
		const struct related *r = &f->related[i];

		if (r->tid >= 0)
			fprintf(o, "%s thread T%ld here:\n", related_title(r), r->tid);
		else
			fprintf(o, "%s an unknown thread here:\n", related_title(r));
		write_frames(o, &r->stack);
	}
	write_occurrences(o, f);
	if (f->in_baseline)
		fputs("NOTE: this finding is in the baseline; it does not fail the gate\n", o);
	snprintf(id, sizeof(id), "%s", f->check);
	for (char *c = id; *c; c++)
		if (*c == '-')
			*c = '_';
	fputs("HINT: to suppress, add '", o);
	if (user && (user->function || user->file || user->module))
		fprintf(o, "%s:%s", f->check, user->function ? user->function
					      : user->file ? strip_prefix(user->file)
							   : base_name(user->module));
	else
		fprintf(o, "%s:<function>", f->check);
	fprintf(o, "' to the suppressions file; to disable: DMASAN_OPTIONS=check_%s=0\n", id);
	fprintf(o, "SUMMARY: DMASanitizer: %s", f->check);
	write_location(o, f);
	fputc('\n', o);
}

void write_text(FILE *o, const struct input *in, const struct out_opts *opt)
{
	unsigned long errors = 0, warnings = 0, suppressed = 0, baseline = 0;

	for (unsigned int i = 0; i < in->nfindings; i++) {
		const struct finding *f = in->findings[i];

		if (finding_suppressed(f)) {
			suppressed++;
			continue;
		}
		write_text_finding(o, f);
		baseline += f->in_baseline;
		if (f->severity == SEV_ERROR)
			errors++;
		else
			warnings++;
	}
	fprintf(o, "dmasan-report: %lu unique finding%s (%lu error%s, %lu warning%s) from %u process%s;"
		   " %lu suppressed",
		errors + warnings, errors + warnings == 1 ? "" : "s", errors, errors == 1 ? "" : "s",
		warnings, warnings == 1 ? "" : "s", in->processes, in->processes == 1 ? "" : "es",
		suppressed);
	if (opt->baseline)
		fprintf(o, "; %lu in the baseline", baseline);
	fputc('\n', o);
	write_suppression_stats(o, opt->supp, opt->supp_hits);
}
