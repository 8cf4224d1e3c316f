/* SPDX-License-Identifier: MIT */
/*
 * DMASAN_OPTIONS: compiler-rt's flag syntax (name=value separated by ':' ',' or whitespace, values
 * quoted with ' or ", include=FILE), mimalloc's value words (yes/on, K/M/G sizes). Everything is
 * generated from options.inc. Parsed once at start-up; strings are kept in a static pool, so the
 * options never point into malloc'ed memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "report/log.h"
#include "rt/options.h"
#include "rt/runtime.h"

struct dmasan_options dmasan_opts;

extern const char *dmasan_default_options(void) __attribute__((weak));

#define DMASAN_OPT_DEF_bool(d) d
#define DMASAN_OPT_DEF_int(d) d
#define DMASAN_OPT_DEF_u64(d) d
#define DMASAN_OPT_DEF_str(d) d
#define DMASAN_OPT_DEF_choice(d) 0

enum opt_type { OPT_bool, OPT_int, OPT_u64, OPT_str, OPT_choice };

static const struct opt_desc {
	const char *name;
	enum opt_type type;
	const char *choices; /* choice: "a|b|c" */
	const char *desc;
	size_t offset;
} opt_table[] = {
#define DMASAN_OPT_CHOICES_bool(d) NULL
#define DMASAN_OPT_CHOICES_int(d) NULL
#define DMASAN_OPT_CHOICES_u64(d) NULL
#define DMASAN_OPT_CHOICES_str(d) NULL
#define DMASAN_OPT_CHOICES_choice(d) d
#define DMASAN_OPTION(type, name_, def, desc_) \
	{ #name_, OPT_##type, DMASAN_OPT_CHOICES_##type(def), desc_, offsetof(struct dmasan_options, name_) },
#include "rt/options.inc"
#undef DMASAN_OPTION
};

#define N_OPTS (sizeof(opt_table) / sizeof(opt_table[0]))
#define MAX_VALUE 4096
#define MAX_INCLUDE (32 << 10)
#define MAX_INCLUDE_DEPTH 8

/* Option strings live here for the life of the process (no malloc during start-up). */
static char str_pool[32 << 10];
static size_t str_pool_used;
static const char *given_options = "";

static _Noreturn void opt_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void opt_fatal(const char *fmt, ...)
{
	char storage[1024];
	struct dmasan_buf b = DMASAN_BUF_INIT(2, storage);
	va_list ap;

	dmasan_buf_printf(&b, "==%d==ERROR: DMASanitizer: ", (int)getpid());
	va_start(ap, fmt);
	dmasan_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	dmasan_buf_putc(&b, '\n');
	dmasan_buf_flush(&b);
	_exit(1);
}

static const char *save_str(const char *s, size_t n)
{
	char *p;

	if (str_pool_used + n + 1 > sizeof(str_pool))
		opt_fatal("option strings exceed %zu bytes", sizeof(str_pool));
	p = str_pool + str_pool_used;
	memcpy(p, s, n);
	p[n] = 0;
	str_pool_used += n + 1;
	return p;
}

void dmasan_options_defaults(struct dmasan_options *o)
{
#define DMASAN_OPTION(type, name, def, desc) o->name = DMASAN_OPT_DEF_##type(def);
#include "rt/options.inc"
#undef DMASAN_OPTION
	for (int i = 0; i < DMASAN_CHECK__COUNT; i++)
		o->check[i] = true;
}

struct parser {
	struct dmasan_options *o;
	const char *source; /* "DMASAN_OPTIONS", "dmasan_default_options()", a file name */
	int depth;
	int unknown;
};

static void parse_string(struct parser *p, const char *s);

static bool is_sep(char c)
{
	return c == ' ' || c == ',' || c == ':' || c == '\n' || c == '\t' || c == '\r';
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };

	for (unsigned int i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]))
			return *out = true;
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool parse_int(const char *v, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 0);
	if (!*v || *end || errno || n < INT_MIN || n > INT_MAX)
		return false;
	*out = (int)n;
	return true;
}

static bool parse_u64(const char *v, uint64_t *out)
{
	char *end;
	uint64_t n;
	unsigned int shift = 0;

	if (!*v || *v == '-')
		return false;
	errno = 0;
	n = strtoull(v, &end, 0);
	if (errno || end == v)
		return false;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (shift && (!strcasecmp(end, "ib") || !strcasecmp(end, "b")))
		end += strlen(end);
	if (*end || (shift && n > (UINT64_MAX >> shift)))
		return false;
	*out = n << shift;
	return true;
}

/* Index of word v in "a|b|c", or -1. */
static int parse_choice(const char *choices, const char *v)
{
	int idx = 0;
	size_t n = strlen(v);

	for (const char *c = choices; *c; idx++) {
		size_t len = strcspn(c, "|");

		if (len == n && !strncasecmp(c, v, n))
			return idx;
		c += len + (c[len] == '|');
	}
	return -1;
}

/* Check index for an id written with '-' or '_', or -1. */
static int check_by_name(const char *name)
{
	for (int i = 0; i < DMASAN_CHECK__COUNT; i++) {
		const char *id = dmasan_checks[i].id;
		size_t k = 0;

		while (id[k] && name[k] &&
		       (id[k] == name[k] || (id[k] == '-' && name[k] == '_')))
			k++;
		if (!id[k] && !name[k])
			return i;
	}
	return -1;
}

static _Noreturn void unknown_check(struct parser *p, const char *opt, const char *id)
{
	char storage[2048];
	struct dmasan_buf b = DMASAN_BUF_INIT(2, storage);

	dmasan_buf_printf(&b, "==%d==ERROR: DMASanitizer: unknown check id '%s' in %s=... in %s; valid ids:",
			  (int)getpid(), id, opt, p->source);
	for (int i = 0; i < DMASAN_CHECK__COUNT; i++)
		dmasan_buf_printf(&b, " %s", dmasan_checks[i].id);
	dmasan_buf_putc(&b, '\n');
	dmasan_buf_flush(&b);
	_exit(1);
}

static void set_disable(struct parser *p, const char *v)
{
	char id[128];

	while (*v) {
		size_t n = strcspn(v, ",+");

		if (n) {
			if (n >= sizeof(id))
				n = sizeof(id) - 1;
			memcpy(id, v, n);
			id[n] = 0;
			int c = check_by_name(id);

			if (c < 0)
				unknown_check(p, "disable", id);
			p->o->check[c] = false;
		}
		v += n + (v[n] != 0);
	}
}

/* "%p" → pid, "%b" → the executable's basename, "%%" → "%". */
static void expand_path(const char *in, char *out, size_t cap)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *base = "unknown";
	size_t len = 0;

	if (n > 0) {
		exe[n] = 0;
		base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
	}
	for (; *in && len + 1 < cap; in++) {
		char tmp[32];
		const char *sub = NULL;

		if (in[0] == '%' && in[1] == 'p') {
			snprintf(tmp, sizeof(tmp), "%d", (int)getpid());
			sub = tmp;
		} else if (in[0] == '%' && in[1] == 'b') {
			sub = base;
		} else if (in[0] == '%' && in[1] == '%') {
			sub = "%";
		}
		if (sub) {
			in++;
			while (*sub && len + 1 < cap)
				out[len++] = *sub++;
		} else {
			out[len++] = *in;
		}
	}
	out[len] = 0;
}

static void include_file(struct parser *p, const char *v, bool must_exist)
{
	static char contents[MAX_INCLUDE_DEPTH][MAX_INCLUDE + 1];
	char path[PATH_MAX];
	struct parser sub = *p;
	ssize_t n, total = 0;
	int fd;

	if (p->depth >= MAX_INCLUDE_DEPTH)
		opt_fatal("include=%s in %s: includes nested deeper than %d", v, p->source,
			  MAX_INCLUDE_DEPTH);
	expand_path(v, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (!must_exist)
			return;
		opt_fatal("include=%s in %s: cannot open %s: %s", v, p->source, path, strerror(errno));
	}
	char *buf = contents[p->depth];

	while ((n = read(fd, buf + total, MAX_INCLUDE - total)) > 0)
		total += n;
	close(fd);
	if (n < 0)
		opt_fatal("include=%s in %s: cannot read %s: %s", v, p->source, path, strerror(errno));
	if (total == MAX_INCLUDE)
		opt_fatal("include=%s in %s: %s is larger than %d bytes", v, p->source, path,
			  MAX_INCLUDE);
	buf[total] = 0;
	sub.source = save_str(path, strlen(path));
	sub.depth = p->depth + 1;
	sub.unknown = 0;
	parse_string(&sub, buf);
	p->unknown += sub.unknown;
}

static _Noreturn void bad_value(struct parser *p, const char *name, const char *v, const char *expected)
{
	opt_fatal("invalid value '%s' for option %s in %s: expected %s", v, name, p->source, expected);
}

static void set_option(struct parser *p, const char *name, const char *v)
{
	char *field;
	int c;

	if (!strcmp(name, "include") || !strcmp(name, "include_if_exists")) {
		include_file(p, v, name[7] == 0);
		return;
	}
	if (!strcmp(name, "disable")) {
		set_disable(p, v);
		return;
	}
	if (!strncmp(name, "check_", 6) && (c = check_by_name(name + 6)) >= 0) {
		if (!parse_bool(v, &p->o->check[c]))
			bad_value(p, name, v, "0|1|true|false|yes|no|on|off");
		return;
	}
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct opt_desc *d = &opt_table[i];

		if (strcmp(d->name, name))
			continue;
		field = (char *)p->o + d->offset;
		switch (d->type) {
		case OPT_bool:
			if (!parse_bool(v, (bool *)field))
				bad_value(p, name, v, "0|1|true|false|yes|no|on|off");
			break;
		case OPT_int:
			if (!parse_int(v, (int *)field))
				bad_value(p, name, v, "an integer");
			break;
		case OPT_u64:
			if (!parse_u64(v, (uint64_t *)field))
				bad_value(p, name, v, "an unsigned number (K, M, G suffixes allowed)");
			break;
		case OPT_str:
			*(const char **)field = save_str(v, strlen(v));
			break;
		case OPT_choice:
			if ((c = parse_choice(d->choices, v)) < 0)
				bad_value(p, name, v, d->choices);
			*(int *)field = c;
			break;
		}
		return;
	}
	p->unknown++;
	dmasan_err_printf("WARNING: DMASanitizer: unknown option '%s' in %s (ignored; help=1 lists the options)\n",
			  name, p->source);
}

static void parse_string(struct parser *p, const char *s)
{
	char name[128], value[MAX_VALUE];

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
		n = s - start;
		if (*s != '=')
			opt_fatal("expected '=' after '%.*s' in %s", (int)n, start, p->source);
		if (n >= sizeof(name))
			opt_fatal("option name '%.40s...' too long in %s", start, p->source);
		memcpy(name, start, n);
		name[n] = 0;
		s++;
		if (*s == '"' || *s == '\'') {
			char q = *s++;

			start = s;
			while (*s && *s != q)
				s++;
			if (!*s)
				opt_fatal("unterminated %c quote in the value of %s in %s", q, name,
					  p->source);
			n = s++ - start;
		} else {
			/* disable=a,b: the comma separates ids, not options */
			bool list = !strcmp(name, "disable");

			start = s;
			while (*s && (!is_sep(*s) || (list && *s == ',')))
				s++;
			n = s - start;
		}
		if (n >= sizeof(value))
			opt_fatal("value of %s longer than %d bytes in %s", name, MAX_VALUE - 1,
				  p->source);
		memcpy(value, start, n);
		value[n] = 0;
		set_option(p, name, value);
	}
}

/* Ranges the table's types cannot express. */
static void validate(const struct parser *p)
{
	const struct dmasan_options *o = p->o;

	if (o->stack_depth < 1 || o->stack_depth > DMASAN_MAX_FRAMES)
		opt_fatal("invalid value '%d' for option stack_depth in %s: expected 1..%d",
			  o->stack_depth, p->source, DMASAN_MAX_FRAMES);
	if (o->line_size < 8 || o->line_size > 4096 || (o->line_size & (o->line_size - 1)))
		opt_fatal("invalid value '%" PRIu64 "' for option line_size in %s: expected a power of two from 8 to 4096",
			  o->line_size, p->source);
	if (o->exitcode < 0 || o->exitcode > 255)
		opt_fatal("invalid value '%d' for option exitcode in %s: expected 0..255", o->exitcode,
			  p->source);
	if (o->max_reports < 0)
		opt_fatal("invalid value '%d' for option max_reports in %s: expected 0 (unlimited) or more",
			  o->max_reports, p->source);
	if (o->dump_signal < 0 || o->dump_signal > 64)
		opt_fatal("invalid value '%d' for option dump_signal in %s: expected 0 (off) or a signal number",
			  o->dump_signal, p->source);
	if (o->dedup_token_length < 0 || o->dedup_token_length > DMASAN_MAX_FRAMES)
		opt_fatal("invalid value '%d' for option dedup_token_length in %s: expected 0..%d",
			  o->dedup_token_length, p->source, DMASAN_MAX_FRAMES);
}

int dmasan_options_parse(struct dmasan_options *o, const char *str, const char *source)
{
	struct parser p = { o, source ? source : "DMASAN_OPTIONS", 0, 0 };

	if (str)
		parse_string(&p, str);
	validate(&p);
	return p.unknown;
}

void dmasan_options_print_help(const struct dmasan_options *o, int fd)
{
	char storage[4096];
	struct dmasan_buf b = DMASAN_BUF_INIT(fd, storage);

	dmasan_buf_puts(&b, "Available DMASAN_OPTIONS (name=value, separated by ':'):\n");
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct opt_desc *d = &opt_table[i];
		const char *field = (const char *)o + d->offset;

		dmasan_buf_printf(&b, "\t%s\n\t\t- %s (Current Value: ", d->name, d->desc);
		switch (d->type) {
		case OPT_bool:
			dmasan_buf_puts(&b, *(const bool *)field ? "true" : "false");
			break;
		case OPT_int:
			dmasan_buf_printf(&b, "%d", *(const int *)field);
			break;
		case OPT_u64:
			dmasan_buf_printf(&b, "%" PRIu64, *(const uint64_t *)field);
			break;
		case OPT_str:
			dmasan_buf_puts(&b, *(const char *const *)field);
			break;
		case OPT_choice: {
			const char *c = d->choices;

			for (int k = *(const int *)field; k > 0 && strchr(c, '|'); k--)
				c = strchr(c, '|') + 1;
			dmasan_buf_printf(&b, "%.*s", (int)strcspn(c, "|"), c);
			break;
		}
		}
		dmasan_buf_puts(&b, ")\n");
	}
	dmasan_buf_puts(&b, "\tdisable\n\t\t- Comma-separated check ids to disable (same as check_<id>=0).\n");
	for (int i = 0; i < DMASAN_CHECK__COUNT; i++) {
		dmasan_buf_puts(&b, "\tcheck_");
		for (const char *c = dmasan_checks[i].id; *c; c++)
			dmasan_buf_putc(&b, *c == '-' ? '_' : *c);
		dmasan_buf_printf(&b, "\n\t\t- Report %s (0 disables). (Current Value: %s)\n",
				  dmasan_checks[i].id, o->check[i] ? "true" : "false");
	}
	dmasan_buf_flush(&b);
}

const char *dmasan_options_string(void)
{
	return given_options;
}

void dmasan_options_init(void)
{
	static bool done;
	const char *(*hook)(void) = dmasan_default_options;
	const char *def;
	const char *env = getenv("DMASAN_OPTIONS");
	char joined[MAX_VALUE];

	if (done)
		return;
	done = true;
	if (!hook) /* defined in an executable that exports nothing: its symbol table has it */
		hook = (const char *(*)(void))dmasan_exe_symbol("dmasan_default_options");
	def = hook ? hook() : NULL;
	dmasan_options_defaults(&dmasan_opts);
	dmasan_options_parse(&dmasan_opts, def, "dmasan_default_options()");
	dmasan_options_parse(&dmasan_opts, env, "DMASAN_OPTIONS");
	snprintf(joined, sizeof(joined), "%s%s%s", def ? def : "", def && env ? ":" : "",
		 env ? env : "");
	given_options = save_str(joined, strlen(joined));
	if (dmasan_opts.exitcode == 77 || dmasan_opts.exitcode == 125)
		dmasan_err_printf("WARNING: DMASanitizer: exitcode=%d means 'skipped' to test harnesses (automake, meson, git bisect); failures may go unnoticed\n",
				  dmasan_opts.exitcode);
	if (dmasan_opts.help)
		dmasan_options_print_help(&dmasan_opts, 2);
}
