/* SPDX-License-Identifier: MIT */
/* DMASAN_OPTIONS parsing (stub: defaults only; the parser follows). */
#include <stdlib.h>
#include "options.h"

struct dmasan_options dmasan_opts;

#define DMASAN_OPT_DEF_bool(d) d
#define DMASAN_OPT_DEF_int(d) d
#define DMASAN_OPT_DEF_u64(d) d
#define DMASAN_OPT_DEF_str(d) d
#define DMASAN_OPT_DEF_choice(d) 0

void dmasan_options_defaults(struct dmasan_options *o)
{
#define DMASAN_OPTION(type, name, def, desc) o->name = DMASAN_OPT_DEF_##type(def);
#include "options.inc"
#undef DMASAN_OPTION
	for (int i = 0; i < DMASAN_CHECK__COUNT; i++)
		o->check[i] = true;
}

int dmasan_options_parse(struct dmasan_options *o, const char *str, const char *source)
{
	return 0;
}

void dmasan_options_print_help(const struct dmasan_options *o, int fd)
{
}

const char *dmasan_options_string(void)
{
	return "";
}

void dmasan_options_init(void)
{
	dmasan_options_defaults(&dmasan_opts);
}
