// SPDX-License-Identifier: MIT
/*
 * KDMA_OPTIONS: libkdma's platform switches (options.inc), parsed once on first use.
 *
 * Syntax as the sanitizers' *_OPTIONS: "name=value" items separated by ':', ',' or whitespace;
 * values may be quoted with ' or ". Booleans take 0/1/true/false (and yes/no/on/off), sizes take
 * K/M/G/T suffixes (optionally followed by "iB" or "B"). Unknown names warn; a malformed item
 * prints an error and leaves that option at its default. Nothing here is fatal: a typo in an
 * environment variable must not take a test run down.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define KDMA_OPTIONS_ENV "KDMA_OPTIONS"

enum opt_type { OPT_bool, OPT_u64, OPT_str };

struct opt_desc {
	const char *name;
	enum opt_type type;
	size_t offset;
	const char *desc;
};

static const struct opt_desc opt_table[] = {
#define KDMA_OPTION(type, name, def, desc) \
	{ #name, OPT_##type, offsetof(struct kdma_options, name), desc },
#include "base/options.inc"
#undef KDMA_OPTION
};

static struct kdma_options opts;
static pthread_once_t opts_once = PTHREAD_ONCE_INIT;

static void opts_set_defaults(struct kdma_options *o)
{
#define KDMA_OPTION(type, name, def, desc) o->name = def;
#include "base/options.inc"
#undef KDMA_OPTION
}

static void opt_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void opt_error(const char *fmt, ...)
{
	va_list ap;

	fputs("libkdma: ERROR: " KDMA_OPTIONS_ENV ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool parse_bool(const char *v, bool *out)
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

static bool parse_size(const char *v, u64 *out)
{
	char *end;
	unsigned long long n;
	unsigned int shift = 0;

	if (!isdigit((unsigned char)*v))
		return false;
	errno = 0;
	n = strtoull(v, &end, 0);
	if (errno)
		return false;
	switch (toupper((unsigned char)*end)) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	}
	if (shift && (!strcasecmp(end, "iB") || !strcasecmp(end, "B")))
		end += strlen(end);
	if (*end)
		return false;
	if (shift && n > (UINT64_MAX >> shift))
		return false;
	*out = (u64)n << shift;
	return true;
}

static const struct opt_desc *opt_find(const char *name)
{
	for (size_t i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++)
		if (!strcmp(opt_table[i].name, name))
			return &opt_table[i];
	return NULL;
}

static void opt_assign(struct kdma_options *o, const char *name, const char *value)
{
	const struct opt_desc *d = opt_find(name);
	void *field;

	if (!d) {
		fprintf(stderr, "libkdma: WARNING: " KDMA_OPTIONS_ENV ": unknown option '%s' ignored\n",
			name);
		return;
	}
	field = (char *)o + d->offset;
	switch (d->type) {
	case OPT_bool:
		if (!parse_bool(value, (bool *)field))
			opt_error("invalid boolean '%s' for %s (expected 0/1/true/false); default kept",
				  value, name);
		break;
	case OPT_u64:
		if (!parse_size(value, (u64 *)field))
			opt_error("invalid size '%s' for %s (expected a number with an optional "
				  "K/M/G suffix); default kept", value, name);
		break;
	case OPT_str: {
		char *copy = strdup(value); /* lives as long as the process, like the option */

		if (copy)
			*(const char **)field = copy;
		break;
	}
	}
}

static bool is_separator(char c)
{
	return c == ':' || c == ',' || isspace((unsigned char)c);
}

/* Parse `s` into o; each item is handled independently so one bad item spoils only itself. */
static void opts_parse(struct kdma_options *o, const char *s)
{
	char name[64], value[4096];

	while (*s) {
		size_t n = 0, v = 0;
		char quote = 0;

		while (is_separator(*s))
			s++;
		if (!*s)
			break;
		while (*s && *s != '=' && !is_separator(*s))
			if (n < sizeof(name) - 1)
				name[n++] = *s++;
			else
				s++;
		name[n] = '\0';
		if (*s != '=') {
			opt_error("expected '=' after '%s'; item ignored", name);
			continue;
		}
		s++;
		if (*s == '\'' || *s == '"')
			quote = *s++;
		while (*s && (quote ? *s != quote : !is_separator(*s))) {
			if (v < sizeof(value) - 1)
				value[v++] = *s;
			s++;
		}
		value[v] = '\0';
		if (quote) {
			if (*s != quote) {
				opt_error("unterminated quote in the value of %s; item ignored", name);
				break;
			}
			s++;
		}
		opt_assign(o, name, value);
	}
}

static void opts_print_help(const struct kdma_options *o)
{
	fprintf(stderr, "libkdma options (" KDMA_OPTIONS_ENV "=name=value:name=value):\n");
	for (size_t i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++) {
		const struct opt_desc *d = &opt_table[i];
		const void *field = (const char *)o + d->offset;

		fprintf(stderr, "\t%s\n\t\t- %s (Current Value: ", d->name, d->desc);
		switch (d->type) {
		case OPT_bool:
			fputs(*(const bool *)field ? "true" : "false", stderr);
			break;
		case OPT_u64:
			fprintf(stderr, "%llu", *(const u64 *)field);
			break;
		case OPT_str:
			fputs(*(const char *const *)field ? *(const char *const *)field : "", stderr);
			break;
		}
		fputs(")\n", stderr);
	}
}

static void opts_load(void)
{
	const char *env = getenv(KDMA_OPTIONS_ENV);

	opts_set_defaults(&opts);
	if (env)
		opts_parse(&opts, env);
	if (opts.help)
		opts_print_help(&opts);
}

const struct kdma_options *kdma_opts(void)
{
	pthread_once(&opts_once, opts_load);
	return &opts;
}

void kdma_options_reload(void)
{
	pthread_once(&opts_once, opts_load);
	opts_load();
}
