// SPDX-License-Identifier: MIT
/*
 * SARIF 2.1.0 for GitHub code scanning: one rule per check id,
 * the first user frame as the primary location (relative URI), the other stacks as
 * relatedLocations linked from the message, full stacks in result.stacks, a line-free
 * partialFingerprint, suppressed findings kept with result.suppressions. Built with json-c, so
 * escaping is the library's job.
 */
#define _GNU_SOURCE /* vasprintf */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "common/suppress.h"
#include "report.h"

#define MAX_SARIF_FRAMES 100 /* GitHub shows far fewer; keep the upload small */

static json_object *jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

/* {"text": t}: SARIF's message and description objects */
static json_object *text_of(json_object *t)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "text", t);
	return o;
}

static json_object *jtext(const char *s)
{
	return text_of(jstr(s));
}

static void add(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

__attribute__((format(printf, 1, 2)))
static json_object *jprintf(const char *fmt, ...)
{
	json_object *o;
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	o = jstr(s);
	free(s);
	return o;
}

/* SARIF messages treat [ ] \ as link syntax: escape literal ones (SARIF 2.1.0 §3.11.6). */
static char *escape_message(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		if (*s == '[' || *s == ']' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* Percent-encode what may not appear in a URI path. */
static char *uri_encode(const char *prefix, const char *path)
{
	size_t n = strlen(prefix);
	char *out = malloc(n + 3 * strlen(path) + 1), *o;

	if (!out)
		return NULL;
	memcpy(out, prefix, n);
	o = out + n;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("-._~/!$&'()*+,;=:@", *p))
			*o++ = *p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = '\0';
	return out;
}

static json_object *artifact_location(const char *file)
{
	json_object *al = json_object_new_object();
	const char *rel = strip_prefix(file);
	char *uri;

	if (rel[0] == '/') {
		uri = uri_encode("file://", rel);
		add(al, "uri", jstr(uri));
	} else {
		uri = uri_encode("", rel);
		add(al, "uri", jstr(uri));
		add(al, "uriBaseId", jstr("SRCROOT"));
	}
	free(uri);
	return al;
}

static json_object *physical_location(const struct frame *fr)
{
	json_object *pl = json_object_new_object(), *region;

	add(pl, "artifactLocation", artifact_location(fr->file));
	if (fr->line > 0) {
		region = json_object_new_object();
		add(region, "startLine", json_object_new_int(fr->line));
		if (fr->column > 0)
			add(region, "startColumn", json_object_new_int(fr->column));
		add(pl, "region", region);
	}
	return pl;
}

static json_object *logical_locations(const char *function)
{
	json_object *arr = json_object_new_array(), *ll = json_object_new_object();

	add(ll, "fullyQualifiedName", jstr(function));
	add(ll, "kind", jstr("function"));
	json_object_array_add(arr, ll);
	return arr;
}

static json_object *sarif_stack(const char *what, const struct stack *st, long tid)
{
	json_object *s = json_object_new_object(), *frames = json_object_new_array();

	add(s, "message", jtext(what));
	for (unsigned int i = 0; i < st->n && i < MAX_SARIF_FRAMES; i++) {
		const struct frame *fr = &st->frames[i];
		json_object *sf = json_object_new_object(), *loc = json_object_new_object(), *props;

		if (fr->file)
			add(loc, "physicalLocation", physical_location(fr));
		if (fr->function)
			add(loc, "logicalLocations", logical_locations(fr->function));
		add(sf, "location", loc);
		if (fr->module)
			add(sf, "module", jstr(fr->module));
		if (tid >= 0)
			add(sf, "threadId", json_object_new_int((int)tid));
		if (fr->pc) {
			props = json_object_new_object();
			add(props, "pc", jstr(fr->pc));
			add(sf, "properties", props);
		}
		json_object_array_add(frames, sf);
	}
	add(s, "frames", frames);
	return s;
}

static char *pascal_case(const char *id)
{
	char *out = strdup(id), *o = out;
	bool up = true;

	for (; out && *id; id++) {
		if (*id == '-') {
			up = true;
			continue;
		}
		*o++ = up ? toupper((unsigned char)*id) : *id;
		up = false;
	}
	if (out)
		*o = '\0';
	return out;
}

static json_object *sarif_rule(const char *id, const struct check_info *ci, enum sev sev,
			       const char *docs_url)
{
	json_object *r = json_object_new_object(), *help, *cfg, *props, *tags, *full;
	char *name = pascal_case(id), *buf = NULL;
	size_t len;
	FILE *m;

	add(r, "id", jstr(id));
	add(r, "name", jstr(name));
	free(name);
	add(r, "shortDescription", jtext(ci ? ci->what : id));
	full = ci && ci->kernel[0] ? jprintf("%s. The kernel's CONFIG_DMA_API_DEBUG reports it as \"%s\".",
					    ci->what, ci->kernel)
				   : jprintf("%s.", ci ? ci->what : "a check this dmasan-report does not know");
	add(r, "fullDescription", text_of(full));
	help = json_object_new_object();
	m = open_memstream(&buf, &len);
	if (m) {
		fprintf(m, "%s: %s.\n", id, ci ? ci->what : id);
		if (ci)
			fprintf(m, "Why it is a bug: %s.\n", ci->why);
		fprintf(m, "How to fix: %s.\nSuppress with '%s:<function>' in a suppressions file, "
			   "disable with DMASAN_OPTIONS=check_", ci ? ci->fix : "see the documentation", id);
		for (const char *c = id; *c; c++)
			fputc(*c == '-' ? '_' : *c, m);
		fputs("=0.", m);
		fclose(m);
		add(help, "text", jstr(buf));
		free(buf);
	}
	add(help, "markdown", jprintf("**%s**: %s.\n\n%s%s%s**How to fix:** %s.\n\n"
				      "[Documentation](%s/checks.md#%s)",
				      id, ci ? ci->what : id, ci ? "**Why it is a bug:** " : "",
				      ci ? ci->why : "", ci ? ".\n\n" : "",
				      ci ? ci->fix : "see the documentation", docs_url, id));
	add(r, "help", help);
	add(r, "helpUri", jprintf("%s/checks.md#%s", docs_url, id));
	cfg = json_object_new_object();
	add(cfg, "level", jstr(sev_name(sev)));
	add(r, "defaultConfiguration", cfg);
	props = json_object_new_object();
	tags = json_object_new_array();
	json_object_array_add(tags, jstr("dma"));
	json_object_array_add(tags, jstr(!ci ? "unknown" : ci->group == 'A' ? "api-bookkeeping"
					  : ci->group == 'B' ? "memory-lifetime" : "ownership"));
	add(props, "tags", tags);
	add(props, "precision", jstr("very-high"));
	add(r, "properties", props);
	return r;
}

/* Rules: every catalogue id in catalogue order, then ids found in the input that it lacks. */
static json_object *sarif_rules(const struct input *in, const char *docs_url, const char ***extra,
				unsigned int *nextra)
{
	json_object *rules = json_object_new_array();

	for (unsigned int i = 0; i < check_count; i++)
		json_object_array_add(rules, sarif_rule(check_table[i].id, &check_table[i],
							check_table[i].severity, docs_url));
	*extra = calloc(in->nfindings + 1, sizeof(**extra));
	*nextra = 0;
	for (unsigned int i = 0; *extra && i < in->nfindings; i++) {
		const struct finding *f = in->findings[i];
		unsigned int k;

		if (check_find(f->check))
			continue;
		for (k = 0; k < *nextra && strcmp((*extra)[k], f->check); k++)
			;
		if (k < *nextra)
			continue;
		(*extra)[(*nextra)++] = f->check;
		json_object_array_add(rules, sarif_rule(f->check, NULL, f->severity, docs_url));
	}
	return rules;
}

static int rule_index(const char *check, const char **extra, unsigned int nextra)
{
	const struct check_info *ci = check_find(check);

	if (ci)
		return (int)(ci - check_table);
	for (unsigned int k = 0; k < nextra; k++)
		if (!strcmp(extra[k], check))
			return (int)(check_count + k);
	return -1;
}

static const char *related_label(const struct related *r)
{
	return r->title && *r->title ? r->title : r->what ? r->what : "related";
}

static json_object *sarif_result(const struct finding *f, int ruleidx, const struct out_opts *opt)
{
	json_object *res = json_object_new_object(), *arr, *o;
	const struct frame *prim = stack_located_frame(&f->stack), *user = stack_user_frame(&f->stack);
	char *msg = escape_message(f->message), *buf = NULL, hex[17];
	unsigned int nlinks = 0;
	size_t len;
	FILE *m;

	add(res, "ruleId", jstr(f->check));
	if (ruleidx >= 0)
		add(res, "ruleIndex", json_object_new_int(ruleidx));
	add(res, "level", jstr(sev_name(f->severity)));
	arr = json_object_new_array();
	for (unsigned int i = 0; i < f->nrelated; i++) {
		const struct frame *rf = stack_located_frame(&f->related[i].stack);

		if (!rf)
			continue;
		o = json_object_new_object();
		add(o, "id", json_object_new_int(++nlinks));
		add(o, "message", jtext(related_label(&f->related[i])));
		add(o, "physicalLocation", physical_location(rf));
		if (rf->function)
			add(o, "logicalLocations", logical_locations(rf->function));
		json_object_array_add(arr, o);
	}
	m = open_memstream(&buf, &len);
	if (m) {
		fputs(msg ? msg : "", m);
		for (unsigned int i = 0, k = 0; i < f->nrelated; i++) {
			if (!stack_located_frame(&f->related[i].stack))
				continue;
			k++;
			fprintf(m, "%s[%s](%u)", k > 1 ? ", " : " See: ",
				related_label(&f->related[i]), k);
		}
		fclose(m);
		add(res, "message", jtext(buf));
		free(buf);
	}
	free(msg);
	if (prim) {
		o = json_object_new_object();
		add(o, "physicalLocation", physical_location(prim));
		if (prim->function)
			add(o, "logicalLocations", logical_locations(prim->function));
		json_object *locs = json_object_new_array();

		json_object_array_add(locs, o);
		add(res, "locations", locs);
	}
	if (nlinks)
		add(res, "relatedLocations", arr);
	else
		json_object_put(arr);
	arr = json_object_new_array();
	json_object_array_add(arr, sarif_stack(f->check, &f->stack, f->tid));
	for (unsigned int i = 0; i < f->nrelated; i++)
		json_object_array_add(arr, sarif_stack(related_label(&f->related[i]),
						       &f->related[i].stack, f->related[i].tid));
	add(res, "stacks", arr);
	o = json_object_new_object();
	fingerprint_hex(f->fingerprint, hex);
	add(o, "dmasanStack/v1", jstr(hex));
	add(res, "partialFingerprints", o);
	add(res, "occurrenceCount", json_object_new_int64((int64_t)f->count));
	if (opt->baseline)
		add(res, "baselineState", jstr(f->in_baseline ? "unchanged" : "new"));
	if (finding_suppressed(f)) {
		arr = json_object_new_array();
		o = json_object_new_object();
		add(o, "kind", jstr("external"));
		add(o, "status", jstr("accepted"));
		add(o, "justification", jprintf("dmasan suppression '%s'", finding_supp_rule(f, opt->supp)));
		json_object_array_add(arr, o);
		add(res, "suppressions", arr);
	}
	o = json_object_new_object();
	if (f->device)
		add(o, "device", jstr(f->device));
	if (f->driver && *f->driver)
		add(o, "driver", jstr(f->driver));
	arr = json_object_new_array();
	for (unsigned int i = 0; i < f->nprocs; i++) {
		json_object *p = json_object_new_object();

		add(p, "pid", json_object_new_int64(f->procs[i].pid));
		if (f->procs[i].exe)
			add(p, "exe", jstr(f->procs[i].exe));
		json_object_array_add(arr, p);
	}
	add(o, "processes", arr);
	if (user && user->function)
		add(o, "suggestedSuppression", jprintf("%s:%s", f->check, user->function));
	if (f->facts)
		add(o, "facts", json_object_get(f->facts));
	add(res, "properties", o);
	return res;
}

void write_sarif(FILE *out, const struct input *in, const struct out_opts *opt)
{
	json_object *root = json_object_new_object(), *run = json_object_new_object(), *runs, *tool,
		    *driver, *results = json_object_new_array();
	const char **extra = NULL;
	unsigned int nextra = 0;

	add(root, "version", jstr("2.1.0"));
	add(root, "$schema", jstr("https://json.schemastore.org/sarif-2.1.0.json"));
	driver = json_object_new_object();
	add(driver, "name", jstr("dmasan"));
	add(driver, "informationUri", jstr(opt->docs_url));
	add(driver, "version", jstr(opt->version));
	add(driver, "semanticVersion", jstr(opt->version));
	add(driver, "rules", sarif_rules(in, opt->docs_url, &extra, &nextra));
	tool = json_object_new_object();
	add(tool, "driver", driver);
	add(run, "tool", tool);
	if (opt_strip_prefix && opt_strip_prefix[0] == '/') {
		json_object *bases = json_object_new_object(), *src = json_object_new_object();
		size_t n = strlen(opt_strip_prefix);
		char *dir = malloc(n + 2), *uri;

		if (dir) {
			snprintf(dir, n + 2, "%s%s", opt_strip_prefix, opt_strip_prefix[n - 1] == '/' ? "" : "/");
			uri = uri_encode("file://", dir);
			add(src, "uri", jstr(uri));
			free(uri);
			free(dir);
		}
		add(bases, "SRCROOT", src);
		add(run, "originalUriBaseIds", bases);
	}
	for (unsigned int i = 0; i < in->nfindings; i++)
		json_object_array_add(results, sarif_result(in->findings[i],
				rule_index(in->findings[i]->check, extra, nextra), opt));
	add(run, "results", results);
	add(run, "columnKind", jstr("unicodeCodePoints"));
	runs = json_object_new_array();
	json_object_array_add(runs, run);
	add(root, "runs", runs);
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						   JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(root);
	free(extra);
}
