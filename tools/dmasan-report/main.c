// SPDX-License-Identifier: MIT
/*
 * dmasan-report: reads the JSON Lines files of one or many processes, deduplicates, applies
 * suppressions and a baseline, writes text, SARIF, JUnit, a summary or mapping-table dumps, and
 * exits with the CI gate: 0 nothing at or above --fail-on, 1 findings, 2 a usage or configuration
 * error, 3 incomplete evidence (no JSON file at all, malformed records, or a process that died
 * without its summary record).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "common/suppress.h"
#include "report.h"

#ifndef DMASAN_VERSION
#define DMASAN_VERSION "0.0.0"
#endif
#ifndef DMASAN_DOCS_URL
#define DMASAN_DOCS_URL "https://github.com/dmasan/dmasan/blob/main/docs"
#endif

enum format { FMT_TEXT, FMT_SARIF, FMT_JUNIT, FMT_SUMMARY, FMT_DUMP };
enum fail_on { FAIL_ERROR, FAIL_WARNING, FAIL_NEVER };

struct args {
	enum format format;
	enum fail_on fail_on;
	const char *output, *suppressions, *baseline;
	int dump_format;
	char **paths;
	int npaths;
};

static const char usage[] =
	"usage: dmasan-report [--format text|sarif|junit|summary|dump] [-o FILE]\n"
	"                     [--fail-on error|warning|never] [--suppressions FILE]\n"
	"                     [--baseline FILE] [--strip-path-prefix PREFIX]\n"
	"                     [--dump-format table|kernel] PATH...\n"
	"PATH is a JSON Lines file written with DMASAN_OPTIONS=json_path=... or a directory of them.\n"
	"Exit status: 0 nothing at or above the --fail-on level (default error); 1 findings at or\n"
	"above it; 2 usage or configuration error (bad option, unreadable path, suppressions or\n"
	"baseline); 3 incomplete evidence and no finding that fails: a directory without *.jsonl\n"
	"files (dmasan was not loaded), a truncated, malformed or non-UTF-8 line, or a process\n"
	"without its summary record (it died). --fail-on never: 0 unless 2.\n";

static int pick(const char *v, const char *const *words, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v, words[i]))
			return i;
	return -1;
}

/* "--name VALUE" or "--name=VALUE"; returns the value (advancing *i) or NULL if argv[*i] is not
 * this option. *missing is set when the option has no value. */
static const char *opt_value(char **argv, int argc, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("dmasan-report: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fputs(usage, stderr);
	return 2;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const char *const formats[] = { "text", "sarif", "junit", "summary", "dump" };
	static const char *const levels[] = { "error", "warning", "never" };
	static const char *const dumps[] = { "table", "kernel" };
	bool opts_done = false;

	a->paths = calloc(argc, sizeof(*a->paths));
	if (!a->paths)
		return 2;
	for (int i = 1; i < argc; i++) {
		bool missing = false;
		const char *v;
		int k;

		if (opts_done || argv[i][0] != '-' || !argv[i][1]) {
			a->paths[a->npaths++] = argv[i];
		} else if (!strcmp(argv[i], "--")) {
			opts_done = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			exit(0);
		} else if (!strcmp(argv[i], "--version")) {
			printf("dmasan-report %s\n", DMASAN_VERSION);
			exit(0);
		} else if ((v = opt_value(argv, argc, &i, "--format", &missing))) {
			if ((k = pick(v, formats, 5)) < 0)
				return usage_error("unknown format '%s'", v);
			a->format = k;
		} else if ((v = opt_value(argv, argc, &i, "--fail-on", &missing))) {
			if ((k = pick(v, levels, 3)) < 0)
				return usage_error("--fail-on takes error, warning or never, not '%s'", v);
			a->fail_on = k;
		} else if ((v = opt_value(argv, argc, &i, "--dump-format", &missing))) {
			if ((k = pick(v, dumps, 2)) < 0)
				return usage_error("--dump-format takes table or kernel, not '%s'", v);
			a->dump_format = k;
		} else if ((v = opt_value(argv, argc, &i, "-o", &missing)) ||
			   (v = opt_value(argv, argc, &i, "--output", &missing))) {
			a->output = v;
		} else if ((v = opt_value(argv, argc, &i, "--suppressions", &missing))) {
			a->suppressions = v;
		} else if ((v = opt_value(argv, argc, &i, "--baseline", &missing))) {
			a->baseline = v;
		} else if ((v = opt_value(argv, argc, &i, "--strip-path-prefix", &missing))) {
			opt_strip_prefix = v;
		} else {
			return missing ? usage_error("option '%s' needs a value", argv[i])
				       : usage_error("unknown option '%s'", argv[i]);
		}
	}
	if (!a->npaths)
		return usage_error("%s", "no input: give JSON Lines files or directories");
	return 0;
}

static bool gate_fails(const struct finding *f, enum fail_on level)
{
	if (!finding_counts(f) || level == FAIL_NEVER)
		return false;
	return f->severity == SEV_ERROR || level == FAIL_WARNING;
}

/* What the gate cannot vouch for: nothing was written, or something written was lost. */
static bool evidence_incomplete(const struct input *in)
{
	return in->no_evidence || in->bad_lines || in->unfinished;
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	struct input in = { 0 };
	struct out_opts oo = { .version = DMASAN_VERSION, .docs_url = DMASAN_DOCS_URL };
	struct fpset *base = NULL;
	FILE *o = stdout;
	char err[4096];
	int rc = parse_args(argc, argv, &a);
	unsigned long failing = 0;

	if (rc)
		goto out;
	rc = 2;
	if (a.suppressions) {
		oo.supp = dmasan_supp_load(a.suppressions, err, sizeof(err));
		if (!oo.supp) {
			fprintf(stderr, "dmasan-report: %s\n", err);
			goto out;
		}
		oo.supp_hits = calloc(dmasan_supp_count(oo.supp) + 1, sizeof(*oo.supp_hits));
		if (!oo.supp_hits)
			goto out;
	}
	if (a.baseline && !(base = fpset_read(a.baseline)))
		goto out;
	for (int i = 0; i < a.npaths; i++)
		if (input_read_path(&in, a.paths[i]))
			goto out;
	apply_suppressions(&in, oo.supp, oo.supp_hits);
	oo.baseline = base != NULL;
	oo.dump_format = a.dump_format ? DUMP_KERNEL : DUMP_TABLE;
	for (unsigned int i = 0; i < in.nfindings; i++) {
		in.findings[i]->in_baseline = fpset_has(base, in.findings[i]->fingerprint);
		failing += gate_fails(in.findings[i], a.fail_on);
	}
	if (a.output && !(o = fopen(a.output, "w"))) {
		perror(a.output);
		goto out;
	}
	switch (a.format) {
	case FMT_TEXT: write_text(o, &in, &oo); break;
	case FMT_SARIF: write_sarif(o, &in, &oo); break;
	case FMT_JUNIT: write_junit(o, &in, &oo); break;
	case FMT_SUMMARY: write_summary(o, &in, &oo); break;
	case FMT_DUMP: write_dump(o, &in, &oo); break;
	}
	if (a.format != FMT_TEXT && a.format != FMT_SUMMARY)
		write_suppression_stats(stderr, oo.supp, oo.supp_hits);
	if (in.bad_lines)
		fprintf(stderr, "dmasan-report: %u malformed line%s skipped\n", in.bad_lines,
			in.bad_lines == 1 ? "" : "s");
	if (o != stdout && fclose(o)) {
		perror(a.output);
		goto out;
	}
	if (o == stdout && fflush(stdout))
		goto out;
	if (in.unfinished)
		fprintf(stderr, "dmasan-report: %u process%s ended without a summary record\n",
			in.unfinished, in.unfinished == 1 ? "" : "es");
	if (failing)
		rc = 1;
	else if (evidence_incomplete(&in) && a.fail_on != FAIL_NEVER)
		rc = 3;
	else
		rc = 0;
	if (rc == 3)
		fputs("dmasan-report: exit status 3: the evidence is incomplete (see above)\n", stderr);
out:
	input_free(&in);
	fpset_free(base);
	dmasan_supp_free(oo.supp);
	free(oo.supp_hits);
	free(a.paths);
	return rc;
}
