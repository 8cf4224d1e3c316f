// SPDX-License-Identifier: MIT
/* The option-string parser shared by DMASAN_OPTIONS and KDMA_OPTIONS; see options_parse.h. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/options_parse.h"

static void report(struct opt_parser *p, enum opt_error kind, const struct opt_desc *d,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void report(struct opt_parser *p, enum opt_error kind, const struct opt_desc *d,
		   const char *fmt, ...)
{
	char msg[OPT_MAX_MESSAGE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (kind == OPT_ERR_UNKNOWN)
		p->unknown++;
	p->error(p, kind, d, msg);
}

bool opt_parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

bool opt_parse_int(const char *v, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 0);
	if (!*v || *end || end == v || errno || n < INT_MIN || n > INT_MAX)
		return false;
	*out = (int)n;
	return true;
}

bool opt_parse_u64(const char *v, uint64_t *out)
{
	unsigned long long n;
	unsigned int shift = 0;
	char *end;

	if (*v < '0' || *v > '9') /* strtoull would accept " 1", "+1" and wrap "-1" */
		return false;
	errno = 0;
	n = strtoull(v, &end, 0);
	if (errno)
		return false;
	switch (*end) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	}
	if (shift) {
		end++;
		if (!strcasecmp(end, "iB") || !strcasecmp(end, "B"))
			end += strlen(end);
	}
	if (*end || (shift && n > (UINT64_MAX >> shift)))
		return false;
	*out = (uint64_t)n << shift;
	return true;
}

int opt_parse_choice(const char *choices, const char *v)
{
	size_t n = strlen(v);
	int idx = 0;

	for (const char *c = choices; *c; idx++) {
		size_t len = strcspn(c, "|");

		if (len == n && !strncasecmp(c, v, n))
			return idx;
		c += len + (c[len] == '|');
	}
	return -1;
}

void opt_bad_value(struct opt_parser *p, const struct opt_desc *d, const char *name,
		   enum opt_type type, const char *choices, const char *v)
{
	static const char *const forms[] = {
		[OPT_bool] = "a boolean (1/0, true/false, yes/no, on/off)",
		[OPT_int] = "an integer (decimal or 0x hex, may be negative)",
		[OPT_u64] = "a size (a number with an optional K, M, G or T suffix)",
		[OPT_str] = "a string",
		[OPT_choice] = "one of",
	};

	report(p, OPT_ERR_VALUE, d, "%s: %s: '%s' is not %s%s%s", p->source, name, v, forms[type],
	       type == OPT_choice ? " " : "", type == OPT_choice ? choices : "");
}

const struct opt_desc *opt_find(const struct opt_desc *table, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

static void unknown_option(struct opt_parser *p, const char *name)
{
	char list[OPT_MAX_MESSAGE / 2];
	size_t len = 0;

	list[0] = '\0';
	for (size_t i = 0; i < p->count && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
					p->table[i].name);
	if (p->extra_names && len < sizeof(list))
		snprintf(list + len, sizeof(list) - len, ", %s", p->extra_names);
	report(p, OPT_ERR_UNKNOWN, NULL, "%s: unknown option '%s'; valid options: %s", p->source,
	       name, list);
}

static void assign(struct opt_parser *p, const char *name, const char *v)
{
	const struct opt_desc *d = opt_find(p->table, p->count, name);
	char *field;
	uint64_t size;
	bool b;
	int n;

	if (!d) {
		if (!p->special || !p->special(p, name, v))
			unknown_option(p, name);
		return;
	}
	field = (char *)p->opts + d->offset;
	switch (d->type) {
	case OPT_bool:
		if (!opt_parse_bool(v, &b))
			goto bad;
		*(bool *)field = b;
		return;
	case OPT_int:
		if (!opt_parse_int(v, &n))
			goto bad;
		*(int *)field = n;
		return;
	case OPT_u64:
		if (!opt_parse_u64(v, &size))
			goto bad;
		*(uint64_t *)field = size;
		return;
	case OPT_str: {
		const char *copy = p->save_str(p, v);

		if (copy)
			*(const char **)field = copy;
		return;
	}
	case OPT_choice:
		if ((n = opt_parse_choice(d->choices, v)) < 0)
			goto bad;
		*(int *)field = n;
		return;
	}
bad:
	opt_bad_value(p, d, name, d->type, d->choices, v);
}

static bool is_sep(char c)
{
	return c == ':' || c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_list_option(const struct opt_parser *p, const char *name)
{
	for (const char *const *l = p->list_options; l && *l; l++)
		if (!strcmp(*l, name))
			return true;
	return false;
}

void opt_parse_string(struct opt_parser *p, const char *s)
{
	char name[OPT_MAX_NAME], value[OPT_MAX_VALUE];

	if (!s)
		return;
	for (;;) {
		const char *start;
		size_t n;

		while (is_sep(*s))
			s++;
		if (!*s)
			return;
		start = s;
		while (*s && *s != '=' && !is_sep(*s))
			s++;
		n = (size_t)(s - start);
		if (*s != '=') {
			report(p, OPT_ERR_SYNTAX, NULL,
			       "%s: expected '=' after '%.*s' (items are name=value, separated by ':')",
			       p->source, (int)(n < 64 ? n : 64), start);
			continue;
		}
		s++;
		if (!n) {
			report(p, OPT_ERR_SYNTAX, NULL, "%s: missing option name before '=%.20s'",
			       p->source, s);
			name[0] = '\0';
		} else if (n >= sizeof(name)) {
			report(p, OPT_ERR_SYNTAX, NULL, "%s: option name '%.40s...' is too long",
			       p->source, start);
			name[0] = '\0';
		} else {
			memcpy(name, start, n);
			name[n] = '\0';
		}
		if (*s == '"' || *s == '\'') {
			char q = *s++;

			start = s;
			while (*s && *s != q)
				s++;
			if (!*s) {
				report(p, OPT_ERR_SYNTAX, NULL, "%s: %s: unterminated %c quote",
				       p->source, name, q);
				return;
			}
			n = (size_t)(s++ - start);
		} else {
			bool list = is_list_option(p, name);

			start = s;
			while (*s && (!is_sep(*s) || (list && *s == ',')))
				s++;
			n = (size_t)(s - start);
		}
		if (!name[0]) /* reported above; the value is skipped */
			continue;
		if (n >= sizeof(value)) {
			report(p, OPT_ERR_SYNTAX, NULL, "%s: %s: value longer than %d bytes", p->source,
			       name, OPT_MAX_VALUE - 1);
			continue;
		}
		memcpy(value, start, n);
		value[n] = '\0';
		assign(p, name, value);
	}
}

void opt_format_value(const struct opt_desc *d, const void *opts, char *buf, size_t cap)
{
	const char *field = (const char *)opts + d->offset;
	const char *c;

	switch (d->type) {
	case OPT_bool:
		snprintf(buf, cap, "%s", *(const bool *)field ? "true" : "false");
		break;
	case OPT_int:
		snprintf(buf, cap, "%d", *(const int *)field);
		break;
	case OPT_u64:
		snprintf(buf, cap, "%" PRIu64, *(const uint64_t *)field);
		break;
	case OPT_str:
		c = *(const char *const *)field;
		snprintf(buf, cap, "%s", c ? c : "");
		break;
	case OPT_choice:
		c = d->choices;
		for (int k = *(const int *)field; k > 0 && strchr(c, '|'); k--)
			c = strchr(c, '|') + 1;
		snprintf(buf, cap, "%.*s", (int)strcspn(c, "|"), c);
		break;
	}
}

void opt_help_entry(const struct opt_desc *d, const void *opts, char *buf, size_t cap)
{
	char value[OPT_MAX_VALUE];

	opt_format_value(d, opts, value, sizeof(value));
	snprintf(buf, cap, "\t%s\n\t\t- %s (Current Value: %s)\n", d->name, d->desc, value);
}
