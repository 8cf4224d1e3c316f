// SPDX-License-Identifier: MIT
/*
 * KDMA_OPTIONS: libkdma's platform switches (options.inc), parsed once on first use with the
 * parser DMASAN_OPTIONS uses (src/common/options_parse.h has the syntax). Nothing here is fatal: a
 * typo in an environment variable must not take the host program down, so an unknown option is
 * a warning and a malformed one an error after which the option has its kernel-like default.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/options_parse.h"
#include "base/base.h"

#define KDMA_OPTIONS_ENV "KDMA_OPTIONS"

static const struct opt_desc opt_table[] = {
#define KDMA_OPTION(type, name, def, desc) \
	{ #name, OPT_##type, NULL, desc, offsetof(struct kdma_options, name) },
#include "base/options.inc"
#undef KDMA_OPTION
};

#define N_OPTS (sizeof(opt_table) / sizeof(opt_table[0]))

static struct kdma_options opts;
static pthread_once_t opts_once = PTHREAD_ONCE_INIT;

static void opts_set_defaults(struct kdma_options *o)
{
#define KDMA_OPTION(type, name, def, desc) o->name = def;
#include "base/options.inc"
#undef KDMA_OPTION
}

/* String values live here until the next load (a reload would leak strdup'ed ones). */
static char str_pool[4096];
static size_t str_pool_used;

static const char *save_str(struct opt_parser *p, const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy;

	if (n > sizeof(str_pool) - str_pool_used) {
		fprintf(stderr, "libkdma: WARNING: %s: option values exceed %zu bytes; "
			"the rest keep their defaults\n", KDMA_OPTIONS_ENV, sizeof(str_pool));
		return NULL;
	}
	copy = memcpy(str_pool + str_pool_used, s, n);
	str_pool_used += n;
	return copy;
}

static void opt_error(struct opt_parser *p, enum opt_error kind, const struct opt_desc *d,
		      const char *msg)
{
	struct kdma_options def;
	char value[OPT_MAX_VALUE];

	if (kind == OPT_ERR_UNKNOWN) {
		fprintf(stderr, "libkdma: WARNING: %s\n", msg);
		return;
	}
	if (!d) {
		fprintf(stderr, "libkdma: ERROR: %s (item ignored)\n", msg);
		return;
	}
	/* The default, even if an earlier item had set the option. */
	opts_set_defaults(&def);
	memcpy((char *)p->opts + d->offset, (char *)&def + d->offset,
	       d->type == OPT_bool ? sizeof(bool) : d->type == OPT_u64 ? sizeof(u64)
								     : sizeof(const char *));
	opt_format_value(d, &def, value, sizeof(value));
	fprintf(stderr, "libkdma: ERROR: %s; using the default (%s)\n", msg, value);
}

static void opts_print_help(const struct kdma_options *o)
{
	char entry[OPT_MAX_MESSAGE];

	fprintf(stderr, "libkdma options (" KDMA_OPTIONS_ENV "=name=value:name=value):\n");
	for (size_t i = 0; i < N_OPTS; i++) {
		opt_help_entry(&opt_table[i], o, entry, sizeof(entry));
		fputs(entry, stderr);
	}
}

static void opts_load(void)
{
	struct opt_parser p = {
		.source = KDMA_OPTIONS_ENV,
		.table = opt_table,
		.count = N_OPTS,
		.opts = &opts,
		.save_str = save_str,
		.error = opt_error,
	};

	opts_set_defaults(&opts);
	str_pool_used = 0;
	opt_parse_string(&p, getenv(KDMA_OPTIONS_ENV));
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
