/* SPDX-License-Identifier: MIT */
/*
 * DMASAN_OPTIONS: the table (options.inc) handed to the shared parser (src/common/options_parse.h
 * has the syntax), plus what only the sanitizer has: include=FILE, disable=id,... and
 * check_<id>=. Parsed once at start-up; strings are kept in a static pool, so the options never
 * point into malloc'ed memory. Unknown options warn; malformed ones end the process (status 1).
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
#include "common/options_parse.h"
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

static const struct opt_desc opt_table[] = {
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
#define MAX_INCLUDE (32 << 10)
#define MAX_INCLUDE_DEPTH 8

/* Option strings live here for the life of the process (no malloc during start-up). */
static char str_pool[32 << 10];
static size_t str_pool_used;
static const char *given_options = "";

static _Noreturn void opt_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void opt_fatal(const char *fmt, ...)
{
	char storage[OPT_MAX_MESSAGE + 64];
	struct dmasan_buf b = DMASAN_BUF_INIT(2, storage);
	va_list ap;

	dmasan_buf_printf(&b, "==%d==ERROR: DMASanitizer: ", (int)getpid());
	va_start(ap, fmt);
	dmasan_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	dmasan_buf_putc(&b, '\n');
	dmasan_buf_flush(&b);
	_exit(DMASAN_CONFIG_ERROR_EXIT);
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

/* A malformed option ends the process with status 1; an unknown one is a warning. */
static void opt_error(struct opt_parser *p, enum opt_error kind, const struct opt_desc *d,
		      const char *msg)
{
	if (kind == OPT_ERR_UNKNOWN) {
		dmasan_err_printf("WARNING: DMASanitizer: %s\n", msg);
		return;
	}
	opt_fatal("%s", msg);
}

static const char *pool_str(struct opt_parser *p, const char *s)
{
	return save_str(s, strlen(s));
}

static bool special_option(struct opt_parser *p, const char *name, const char *v);

static const char *const list_options[] = { "disable", NULL };

static void parser_init(struct opt_parser *p, struct dmasan_options *o, const char *source,
			int depth)
{
	*p = (struct opt_parser){
		.source = source,
		.table = opt_table,
		.count = N_OPTS,
		.opts = o,
		.extra_names = "disable, check_<check id>, include, include_if_exists",
		.list_options = list_options,
		.special = special_option,
		.save_str = pool_str,
		.error = opt_error,
		.ctx = (void *)(intptr_t)depth, /* include= nesting */
	};
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

static void unknown_check(struct opt_parser *p, const char *opt, const char *id)
{
	char msg[OPT_MAX_MESSAGE];
	size_t len = (size_t)snprintf(msg, sizeof(msg), "%s: %s: unknown check id '%s'; valid ids: ",
				      p->source, opt, id);

	for (int i = 0; i < DMASAN_CHECK__COUNT && len < sizeof(msg); i++)
		len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s%s", i ? ", " : "",
					dmasan_checks[i].id);
	p->error(p, OPT_ERR_VALUE, NULL, msg);
}

static void set_disable(struct opt_parser *p, const char *v)
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
			else
				((struct dmasan_options *)p->opts)->check[c] = false;
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

static void include_file(struct opt_parser *p, const char *v, bool must_exist)
{
	static char contents[MAX_INCLUDE_DEPTH][MAX_INCLUDE + 1];
	int depth = (int)(intptr_t)p->ctx;
	char path[PATH_MAX];
	struct opt_parser sub;
	ssize_t n, total = 0;
	int fd;

	if (depth >= MAX_INCLUDE_DEPTH)
		opt_fatal("%s: include=%s: includes nested deeper than %d", p->source, v,
			  MAX_INCLUDE_DEPTH);
	expand_path(v, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (!must_exist)
			return;
		opt_fatal("%s: include=%s: cannot open %s: %s", p->source, v, path, strerror(errno));
	}
	char *buf = contents[depth];

	while ((n = read(fd, buf + total, MAX_INCLUDE - total)) > 0)
		total += n;
	close(fd);
	if (n < 0)
		opt_fatal("%s: include=%s: cannot read %s: %s", p->source, v, path, strerror(errno));
	if (total == MAX_INCLUDE)
		opt_fatal("%s: include=%s: %s is larger than %d bytes", p->source, v, path,
			  MAX_INCLUDE);
	buf[total] = 0;
	parser_init(&sub, p->opts, save_str(path, strlen(path)), depth + 1);
	opt_parse_string(&sub, buf);
	p->unknown += sub.unknown;
}

/* include=, disable= and check_<id>=: the options the table cannot hold. */
static bool special_option(struct opt_parser *p, const char *name, const char *v)
{
	bool on;
	int c;

	if (!strcmp(name, "include") || !strcmp(name, "include_if_exists")) {
		include_file(p, v, name[7] == 0);
		return true;
	}
	if (!strcmp(name, "disable")) {
		set_disable(p, v);
		return true;
	}
	if (strncmp(name, "check_", 6) || (c = check_by_name(name + 6)) < 0)
		return false;
	if (opt_parse_bool(v, &on))
		((struct dmasan_options *)p->opts)->check[c] = on;
	else
		opt_bad_value(p, NULL, name, OPT_bool, NULL, v);
	return true;
}

/* Ranges the table's types cannot express. */
static void validate(const struct dmasan_options *o, const char *src)
{
	if (o->stack_depth < 1 || o->stack_depth > DMASAN_MAX_FRAMES)
		opt_fatal("%s: stack_depth: '%d' is not in 1..%d", src, o->stack_depth,
			  DMASAN_MAX_FRAMES);
	if (o->line_size < 8 || o->line_size > 4096 || (o->line_size & (o->line_size - 1)))
		opt_fatal("%s: line_size: '%" PRIu64 "' is not a power of two from 8 to 4096", src,
			  o->line_size);
	if (o->exitcode < 0 || o->exitcode > 255)
		opt_fatal("%s: exitcode: '%d' is not in 0..255", src, o->exitcode);
	if (o->max_reports < 0)
		opt_fatal("%s: max_reports: '%d' is not 0 (unlimited) or more", src, o->max_reports);
	if (o->dump_signal < 0 || o->dump_signal > 64)
		opt_fatal("%s: dump_signal: '%d' is not 0 (off) or a signal number (1..64)", src,
			  o->dump_signal);
	if (o->dedup_token_length < 0 || o->dedup_token_length > DMASAN_MAX_FRAMES)
		opt_fatal("%s: dedup_token_length: '%d' is not in 0..%d", src,
			  o->dedup_token_length, DMASAN_MAX_FRAMES);
}

int dmasan_options_parse(struct dmasan_options *o, const char *str, const char *source)
{
	struct opt_parser p;

	parser_init(&p, o, source ? source : "DMASAN_OPTIONS", 0);
	opt_parse_string(&p, str);
	validate(o, p.source);
	return p.unknown;
}

void dmasan_options_print_help(const struct dmasan_options *o, int fd)
{
	char storage[4096];
	struct dmasan_buf b = DMASAN_BUF_INIT(fd, storage);

	dmasan_buf_puts(&b, "Available DMASAN_OPTIONS (name=value, separated by ':'):\n");
	for (size_t i = 0; i < N_OPTS; i++) {
		char entry[OPT_MAX_MESSAGE];

		opt_help_entry(&opt_table[i], o, entry, sizeof(entry));
		dmasan_buf_puts(&b, entry);
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
	char joined[OPT_MAX_VALUE];

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
