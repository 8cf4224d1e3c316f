// SPDX-License-Identifier: MIT
/*
 * JUnit XML for GitLab and Jenkins: one testcase per finding with
 * a unique classname+name ("dmasan.<check>", "<function> (<file>:<line>)"), the whole text report
 * in the <failure> body (GitLab shows the body, not the message attribute), suppressed and
 * baseline findings as <skipped>.
 */
#include <stdlib.h>
#include <string.h>
#include <uthash.h>
#include "report.h"

/* XML-escape (quotes too when in an attribute); characters XML 1.0 cannot carry (most C0
 * controls) become '?'. */
static void xml_escape_mode(FILE *o, const char *s, bool attr)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (!attr && (c == '"' || c == '\'')) {
			fputc(c, o);
			continue;
		}
		switch (c) {
		case '&': fputs("&amp;", o); break;
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '"': fputs("&quot;", o); break;
		case '\'': fputs("&apos;", o); break;
		default:
			fputc(c < 0x20 && c != '\n' && c != '\t' && c != '\r' ? '?' : c, o);
		}
	}
}

static void xml_escape(FILE *o, const char *s)
{
	xml_escape_mode(o, s, true);
}

static char *testcase_name(const struct finding *f)
{
	const struct frame *fr = stack_located_frame(&f->stack);
	char *buf = NULL;
	size_t len;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	if (!fr)
		fr = stack_user_frame(&f->stack);
	if (!fr)
		fputs("(no stack)", m);
	else if (fr->file && fr->line > 0)
		fprintf(m, "%s (%s:%d)", fr->function ? fr->function : "??", strip_prefix(fr->file),
			fr->line);
	else
		fprintf(m, "%s (%s)", fr->function ? fr->function : fr->pc ? fr->pc : "??",
			fr->module ? base_name(fr->module) : "<unknown module>");
	fclose(m);
	return buf;
}

struct seen_name {
	UT_hash_handle hh;
	unsigned int count;
	char key[]; /* "check\nname" */
};

/* classname is dmasan.<check>, so a name only has to be unique within one check: returns how
 * many times (check, name) has been seen, this time included. */
static unsigned int count_name(struct seen_name **seen, const char *check, const char *name)
{
	size_t n = strlen(check) + strlen(name ? name : "") + 2;
	struct seen_name *e = malloc(sizeof(*e) + n), *old;

	if (!e)
		return 1;
	snprintf(e->key, n, "%s\n%s", check, name ? name : "");
	HASH_FIND_STR(*seen, e->key, old);
	if (old) {
		free(e);
		return ++old->count;
	}
	e->count = 1;
	HASH_ADD_STR(*seen, key, e);
	return 1;
}

void write_junit(FILE *o, const struct input *in, const struct out_opts *opt)
{
	struct seen_name *seen = NULL, *e, *tmp;
	unsigned int failures = 0, skipped = 0, tests = in->nfindings ? in->nfindings : 1;
	char **names = calloc(in->nfindings + 1, sizeof(*names));

	for (unsigned int i = 0; i < in->nfindings; i++) {
		if (finding_counts(in->findings[i]))
			failures++;
		else
			skipped++;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", o);
	fprintf(o, "<testsuites name=\"dmasan\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\" "
		   "time=\"0\">\n", tests, failures, skipped);
	fprintf(o, "  <testsuite name=\"dmasan\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\" "
		   "time=\"0\">\n", tests, failures, skipped);
	if (!in->nfindings)
		fprintf(o, "    <testcase classname=\"dmasan.summary\" name=\"no findings in %u process%s\" "
			   "time=\"0\"/>\n", in->processes, in->processes == 1 ? "" : "es");
	for (unsigned int i = 0; names && i < in->nfindings; i++) {
		const struct finding *f = in->findings[i];
		const struct frame *fr = stack_located_frame(&f->stack);
		char *name = testcase_name(f), *body = NULL;
		unsigned int dup;
		size_t len;
		FILE *m;

		dup = count_name(&seen, f->check, name);
		names[i] = name;
		fprintf(o, "    <testcase classname=\"dmasan.");
		xml_escape(o, f->check);
		fputs("\" name=\"", o);
		xml_escape(o, name ? name : "?");
		if (dup > 1)
			fprintf(o, " #%u", dup);
		fputc('"', o);
		if (fr) {
			fputs(" file=\"", o);
			xml_escape(o, strip_prefix(fr->file));
			fprintf(o, "\" line=\"%d\"", fr->line);
		}
		fputs(" time=\"0\">\n", o);
		if (finding_suppressed(f)) {
			fputs("      <skipped message=\"suppressed by '", o);
			xml_escape(o, finding_supp_rule(f, opt->supp));
			fputs("'\"/>\n", o);
		} else if (f->in_baseline) {
			fputs("      <skipped message=\"in the baseline\"/>\n", o);
		} else {
			fputs("      <failure message=\"", o);
			xml_escape(o, f->message);
			fputs("\" type=\"", o);
			xml_escape(o, f->check);
			fputs("\">", o);
			m = open_memstream(&body, &len);
			if (m) {
				write_text_finding(m, f);
				fclose(m);
				xml_escape_mode(o, body, false);
				free(body);
			}
			fputs("</failure>\n", o);
		}
		fputs("    </testcase>\n", o);
	}
	fputs("  </testsuite>\n</testsuites>\n", o);
	for (unsigned int i = 0; names && i < in->nfindings; i++)
		free(names[i]);
	free(names);
	HASH_ITER(hh, seen, e, tmp) {
		HASH_DEL(seen, e);
		free(e);
	}
}
