// SPDX-License-Identifier: MIT
/* Frames, paths and per-finding state shared by the writers. */
#include <stdlib.h>
#include <string.h>
#include "common/buf.h"
#include "common/render.h"
#include "common/suppress.h"
#include "report.h"

const char *opt_strip_prefix;

const struct frame *stack_user_frame(const struct stack *st)
{
	for (unsigned int i = 0; i < st->n; i++)
		if (!st->frames[i].internal)
			return &st->frames[i];
	return NULL;
}

const struct frame *stack_located_frame(const struct stack *st)
{
	for (unsigned int i = 0; i < st->n; i++)
		if (!st->frames[i].internal && st->frames[i].file && st->frames[i].line > 0)
			return &st->frames[i];
	return NULL;
}

const char *strip_prefix(const char *file)
{
	size_t n = opt_strip_prefix ? strlen(opt_strip_prefix) : 0;

	if (file && n && !strncmp(file, opt_strip_prefix, n) && file[n]) {
		file += n;
		while (*file == '/')
			file++;
	}
	return file;
}

void apply_suppressions(struct input *in, struct dmasan_supp *s, unsigned long *hits)
{
	for (unsigned int i = 0; s && i < in->nfindings; i++) {
		struct finding *f = in->findings[i];
		struct dmasan_supp_frame *sf = calloc(f->stack.n ? f->stack.n : 1, sizeof(*sf));

		if (!sf)
			continue;
		for (unsigned int k = 0; k < f->stack.n; k++)
			sf[k] = (struct dmasan_supp_frame){ f->stack.frames[k].function,
							    f->stack.frames[k].file,
							    f->stack.frames[k].module };
		f->suppressed_by = dmasan_supp_match(s, f->check, sf, f->stack.n);
		if (f->suppressed_by >= 0)
			hits[f->suppressed_by] += f->count;
		free(sf);
	}
}

bool finding_suppressed(const struct finding *f)
{
	return f->suppressed_by >= 0 || f->runtime_supp;
}

bool finding_counts(const struct finding *f)
{
	return !finding_suppressed(f) && !f->in_baseline;
}

const char *finding_supp_rule(const struct finding *f, const struct dmasan_supp *s)
{
	if (f->suppressed_by >= 0)
		return dmasan_supp_rule(s, f->suppressed_by, NULL);
	return f->runtime_supp;
}

/* Suppressions used (with occurrence counts) and unused, in the compiler-rt layout. */
void write_suppression_stats(FILE *o, const struct dmasan_supp *s, const unsigned long *hits)
{
	unsigned int n = dmasan_supp_count(s), unused = 0;
	bool any = false;

	if (!n)
		return;
	fputs("-----------------------------------------------------\n", o);
	for (unsigned int i = 0; i < n; i++) {
		if (!hits[i])
			continue;
		if (!any)
			fputs("Suppressions used:\n  count template\n", o);
		any = true;
		fprintf(o, "%7lu %s\n", hits[i], dmasan_supp_rule(s, i, NULL));
	}
	for (unsigned int i = 0; i < n; i++) {
		if (hits[i])
			continue;
		if (!unused++)
			fputs("Unused suppressions (matched nothing):\n", o);
		fprintf(o, "        %s\n", dmasan_supp_rule(s, i, NULL));
	}
	fputs("-----------------------------------------------------\n", o);
}

/* The totals line, in the runtime's words (common/render.h) so the two can be compared: every
 * number but the unique findings counts occurrences; suppressed ones include those the runtime's
 * own suppressions took. */
void write_totals(FILE *o, const struct input *in, const struct out_opts *opt)
{
	unsigned long errors = 0, warnings = 0, unique = 0, suppressed = in->runtime_suppressed;
	unsigned long baseline = 0;
	char storage[256];
	struct dmasan_buf b = DMASAN_BUF_FILE(o, storage);

	for (unsigned int i = 0; i < in->nfindings; i++) {
		const struct finding *f = in->findings[i];

		if (finding_suppressed(f)) {
			suppressed += f->count;
			continue;
		}
		unique++;
		baseline += f->in_baseline ? f->count : 0;
		if (f->severity == SEV_ERROR)
			errors += f->count;
		else
			warnings += f->count;
	}
	dmasan_buf_printf(&b, "%u process%s: ", in->processes, in->processes == 1 ? "" : "es");
	dmasan_render_totals(&b, errors, warnings, unique, suppressed);
	if (opt->baseline)
		dmasan_buf_printf(&b, "; %lu in the baseline", baseline);
	dmasan_buf_putc(&b, '\n');
	dmasan_buf_flush(&b);
}
