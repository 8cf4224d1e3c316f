// SPDX-License-Identifier: MIT
/* The one-screen summary: one row per check id found, errors first. */
#include <stdlib.h>
#include <string.h>
#include "report.h"

struct row {
	const char *check;
	enum sev sev;
	unsigned long occurrences, unique, suppressed, baseline;
	const struct finding *first; /* first finding that counts, else the first one */
};

static void location(char *buf, size_t n, const struct finding *f)
{
	const struct frame *fr = stack_located_frame(&f->stack);

	if (!fr)
		fr = stack_user_frame(&f->stack);
	if (!fr)
		snprintf(buf, n, "(no stack)");
	else if (fr->file && fr->line > 0)
		snprintf(buf, n, "%s:%d in %s", strip_prefix(fr->file), fr->line,
			 fr->function ? fr->function : "??");
	else
		snprintf(buf, n, "%s (%s)", fr->function ? fr->function : fr->pc ? fr->pc : "??",
			 fr->module ? base_name(fr->module) : "<unknown module>");
}

void write_summary(FILE *o, const struct input *in, const struct out_opts *opt)
{
	struct row *rows = calloc(in->nfindings + 1, sizeof(*rows));
	unsigned int nrows = 0;
	char loc[512];

	if (!rows)
		return;
	for (unsigned int i = 0; i < in->nfindings; i++) {
		const struct finding *f = in->findings[i];
		unsigned int r;

		for (r = 0; r < nrows && strcmp(rows[r].check, f->check); r++)
			;
		if (r == nrows)
			rows[nrows++] = (struct row){ .check = f->check, .sev = f->severity, .first = f };
		rows[r].unique++;
		rows[r].occurrences += f->count;
		if (finding_suppressed(f))
			rows[r].suppressed += f->count;
		else if (f->in_baseline)
			rows[r].baseline += f->count;
		else if (!finding_counts(rows[r].first))
			rows[r].first = f;
	}
	fprintf(o, "%-28s %-8s %6s %6s %6s", "CHECK", "SEVERITY", "COUNT", "UNIQUE", "SUPPR");
	if (opt->baseline)
		fprintf(o, " %6s", "BASE");
	fputs("  FIRST LOCATION\n", o);
	for (int pass = SEV_ERROR; pass <= SEV_WARNING; pass++) {
		for (unsigned int r = 0; r < nrows; r++) {
			if (rows[r].sev != (enum sev)pass)
				continue;
			location(loc, sizeof(loc), rows[r].first);
			fprintf(o, "%-28s %-8s %6lu %6lu %6lu", rows[r].check, sev_name(rows[r].sev),
				rows[r].occurrences, rows[r].unique, rows[r].suppressed);
			if (opt->baseline)
				fprintf(o, " %6lu", rows[r].baseline);
			fprintf(o, "  %s\n", loc);
		}
	}
	if (!nrows)
		fputs("(no findings)\n", o);
	write_totals(o, in, opt);
	write_suppression_stats(o, opt->supp, opt->supp_hits);
	free(rows);
}
