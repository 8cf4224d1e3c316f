// SPDX-License-Identifier: MIT
/*
 * Suppression files: parsing, validation against the check catalogue, and matching. See suppress.h.
 */
#include "suppress.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const supp_check_ids[] = {
#define DMASAN_CHECK(E, id, sev, grp, ksent, what, why, fix) id,
#include "checks.inc"
#undef DMASAN_CHECK
};
#define SUPP_NCHECKS (sizeof(supp_check_ids) / sizeof(supp_check_ids[0]))

struct supp_rule {
	char *text;            /* "check:pattern", trimmed */
	const char *pattern;   /* points into text, after the ':' */
	size_t check_len;
	unsigned long hits;    /* updated atomically */
};

struct dmasan_supp {
	unsigned int n;
	struct supp_rule *rules;
};

/* Glob match of pattern [p, pe) against s: '*' is any run; any_prefix/any_suffix act as an implied
 * leading/trailing '*' (the unanchored ends). Iterative with one backtrack point: linear-ish, no
 * recursion, so a hostile pattern cannot blow the stack. */
static bool glob_match(const char *p, const char *pe, const char *s, bool any_prefix, bool any_suffix)
{
	const char *star_p = any_prefix ? p : NULL, *star_s = s;

	while (*s) {
		if (p < pe && *p == '*') {
			star_p = ++p;
			star_s = s;
		} else if (p < pe && *p == *s) {
			p++;
			s++;
		} else if (p == pe && any_suffix) {
			return true;
		} else if (star_p) {
			p = star_p;
			s = ++star_s;
		} else {
			return false;
		}
	}
	while (p < pe && *p == '*')
		p++;
	return p == pe;
}

int dmasan_supp_pattern_match(const char *pattern, const char *str)
{
	const char *p = pattern, *pe;
	bool anchor_start = false, anchor_end = false;

	if (!pattern || !str)
		return 0;
	pe = p + strlen(p);
	if (*p == '^') {
		anchor_start = true;
		p++;
	}
	if (pe > p && pe[-1] == '$') {
		anchor_end = true;
		pe--;
	}
	return glob_match(p, pe, str, !anchor_start, !anchor_end);
}

static bool check_id_valid(const char *id, size_t len)
{
	for (size_t i = 0; i < SUPP_NCHECKS; i++)
		if (strlen(supp_check_ids[i]) == len && !memcmp(supp_check_ids[i], id, len))
			return true;
	return false;
}

/* "FILE:LINE: unknown check id 'x'; valid ids: a, b, ..." (truncated to errlen). */
static void err_unknown_id(char *err, size_t errlen, const char *filename, unsigned int line,
			   const char *id, size_t len)
{
	size_t off;

	if (!err || !errlen)
		return;
	off = snprintf(err, errlen, "%s:%u: unknown check id '%.*s'; valid ids: ", filename, line,
		       (int)len, id);
	for (size_t i = 0; i < SUPP_NCHECKS && off < errlen; i++)
		off += snprintf(err + off, errlen - off, "%s%s", i ? ", " : "", supp_check_ids[i]);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void trim(const char **b, const char **e)
{
	while (*b < *e && is_space(**b))
		(*b)++;
	while (*e > *b && is_space((*e)[-1]))
		(*e)--;
}

void dmasan_supp_free(struct dmasan_supp *s)
{
	if (!s)
		return;
	for (unsigned int i = 0; i < s->n; i++)
		free(s->rules[i].text);
	free(s->rules);
	free(s);
}

static bool supp_add(struct dmasan_supp *s, const char *cb, const char *ce, const char *pb,
		     const char *pe)
{
	size_t clen = ce - cb, plen = pe - pb;
	struct supp_rule *r, *grown;
	char *text;

	if ((s->n & (s->n - 1)) == 0) { /* grow at powers of two */
		grown = realloc(s->rules, (s->n ? 2 * s->n : 8) * sizeof(*grown));
		if (!grown)
			return false;
		s->rules = grown;
	}
	text = malloc(clen + plen + 2);
	if (!text)
		return false;
	memcpy(text, cb, clen);
	text[clen] = ':';
	memcpy(text + clen + 1, pb, plen);
	text[clen + 1 + plen] = '\0';
	r = &s->rules[s->n++];
	r->text = text;
	r->check_len = clen;
	r->pattern = text + clen + 1;
	r->hits = 0;
	return true;
}

struct dmasan_supp *dmasan_supp_parse(const char *text, size_t len, const char *filename, char *err,
				      size_t errlen)
{
	struct dmasan_supp *s = calloc(1, sizeof(*s));
	const char *end = text ? text + len : text, *line = text;
	unsigned int lineno = 0;

	if (!filename)
		filename = "<suppressions>";
	if (err && errlen)
		err[0] = '\0';
	if (!s)
		goto oom;
	while (line && line < end) {
		const char *eol = memchr(line, '\n', end - line), *b = line, *e, *colon;

		e = eol ? eol : end;
		line = eol ? eol + 1 : end;
		lineno++;
		trim(&b, &e);
		if (b == e || *b == '#')
			continue;
		colon = memchr(b, ':', e - b);
		const char *cb = b, *ce = colon ? colon : e, *pb = colon ? colon + 1 : e, *pe = e;

		trim(&cb, &ce);
		trim(&pb, &pe);
		if (!colon || cb == ce || pb == pe || memchr(b, '\0', e - b)) {
			if (err && errlen)
				snprintf(err, errlen,
					 "%s:%u: malformed suppression '%.*s' (expected check-id:pattern)",
					 filename, lineno, (int)(e - b > 80 ? 80 : e - b), b);
			dmasan_supp_free(s);
			return NULL;
		}
		if (!check_id_valid(cb, ce - cb)) {
			err_unknown_id(err, errlen, filename, lineno, cb, ce - cb);
			dmasan_supp_free(s);
			return NULL;
		}
		if (!supp_add(s, cb, ce, pb, pe))
			goto oom;
	}
	return s;
oom:
	if (err && errlen)
		snprintf(err, errlen, "%s: out of memory", filename);
	dmasan_supp_free(s);
	return NULL;
}

struct dmasan_supp *dmasan_supp_load(const char *path, char *err, size_t errlen)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	char *buf = NULL, *grown;
	size_t len = 0, cap = 0, got;
	struct dmasan_supp *s;

	if (!f) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path ? path : "(null)",
				 path ? strerror(errno) : "no file name");
		return NULL;
	}
	do {
		if (len == cap) {
			cap = cap ? 2 * cap : 4096;
			grown = realloc(buf, cap);
			if (!grown) {
				free(buf);
				fclose(f);
				if (err && errlen)
					snprintf(err, errlen, "%s: out of memory", path);
				return NULL;
			}
			buf = grown;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got);
	if (ferror(f)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: read error", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	s = dmasan_supp_parse(buf ? buf : "", len, path, err, errlen);
	free(buf);
	return s;
}

static bool frame_matches(const char *pattern, const struct dmasan_supp_frame *f)
{
	return dmasan_supp_pattern_match(pattern, f->function) ||
	       dmasan_supp_pattern_match(pattern, f->file) ||
	       dmasan_supp_pattern_match(pattern, f->module);
}

int dmasan_supp_match(struct dmasan_supp *s, const char *check_id,
		      const struct dmasan_supp_frame *frames, unsigned int nframes)
{
	size_t idlen;

	if (!s || !check_id || (!frames && nframes))
		return -1;
	idlen = strlen(check_id);
	for (unsigned int i = 0; i < s->n; i++) {
		struct supp_rule *r = &s->rules[i];

		if (r->check_len != idlen || memcmp(r->text, check_id, idlen))
			continue;
		for (unsigned int f = 0; f < nframes; f++) {
			if (frame_matches(r->pattern, &frames[f])) {
				__atomic_fetch_add(&r->hits, 1, __ATOMIC_RELAXED);
				return (int)i;
			}
		}
	}
	return -1;
}

unsigned int dmasan_supp_count(const struct dmasan_supp *s)
{
	return s ? s->n : 0;
}

const char *dmasan_supp_rule(const struct dmasan_supp *s, unsigned int i, unsigned long *hits)
{
	if (!s || i >= s->n)
		return NULL;
	if (hits)
		*hits = __atomic_load_n(&s->rules[i].hits, __ATOMIC_RELAXED);
	return s->rules[i].text;
}
