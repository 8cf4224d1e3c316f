// SPDX-License-Identifier: MIT
/* The shared option parser (src/common/options_parse.c): syntax, value forms, messages. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "common/options_parse.h"

struct opts {
	bool flag;
	int level;
	uint64_t size;
	const char *path;
	int mode;
	const char *list;
};

static const struct opt_desc table[] = {
	{ "flag", OPT_bool, NULL, "a flag", offsetof(struct opts, flag) },
	{ "level", OPT_int, NULL, "a level", offsetof(struct opts, level) },
	{ "size", OPT_u64, NULL, "a size", offsetof(struct opts, size) },
	{ "path", OPT_str, NULL, "a path", offsetof(struct opts, path) },
	{ "mode", OPT_choice, "fast|slow|off", "a mode", offsetof(struct opts, mode) },
	{ "list", OPT_str, NULL, "a list", offsetof(struct opts, list) },
};

/* What the error callback saw, in order. */
static char messages[8][OPT_MAX_MESSAGE];
static enum opt_error kinds[8];
static int n_messages;
static char strings[8][OPT_MAX_VALUE];
static int n_strings;
static struct opts o;

static void record(struct opt_parser *p, enum opt_error kind, const struct opt_desc *d,
		   const char *msg)
{
	cr_assert_lt(n_messages, 8);
	kinds[n_messages] = kind;
	snprintf(messages[n_messages++], OPT_MAX_MESSAGE, "%s", msg);
}

static const char *keep(struct opt_parser *p, const char *s)
{
	cr_assert_lt(n_strings, 8);
	return strcpy(strings[n_strings++], s);
}

static bool special(struct opt_parser *p, const char *name, const char *value)
{
	return !strcmp(name, "extra") && !strcmp(value, "ok");
}

static const char *const lists[] = { "list", NULL };

/* Parse s into a fresh o; return the number of messages. */
static int parse(const char *s)
{
	struct opt_parser p = {
		.source = "TEST_OPTIONS",
		.table = table,
		.count = sizeof(table) / sizeof(table[0]),
		.opts = &o,
		.extra_names = "extra",
		.list_options = lists,
		.special = special,
		.save_str = keep,
		.error = record,
	};

	memset(&o, 0, sizeof(o));
	o.level = -7;
	n_messages = n_strings = 0;
	opt_parse_string(&p, s);
	cr_assert_eq(p.unknown, 0 + (int)(n_messages && kinds[0] == OPT_ERR_UNKNOWN));
	return n_messages;
}

static void expect_message(const char *s, enum opt_error kind, const char *msg)
{
	cr_assert_eq(parse(s), 1, "'%s': %d messages", s, n_messages);
	cr_assert_eq(kinds[0], kind, "'%s'", s);
	cr_assert_str_eq(messages[0], msg);
}

Test(options_parse, empty_and_separators_only)
{
	cr_assert_eq(parse(NULL), 0);
	cr_assert_eq(parse(""), 0);
	cr_assert_eq(parse(":,: \t\r\n"), 0);
	cr_assert_eq(o.level, -7, "nothing assigned");
	cr_assert_eq(parse("flag=1:"), 0, "trailing ':'");
	cr_assert(o.flag);
	cr_assert_eq(parse(":::size=4K,,,"), 0);
	cr_assert_eq(o.size, 4096);
}

Test(options_parse, every_separator)
{
	cr_assert_eq(parse("flag=1:level=2,size=3 path=x\tmode=slow\nlist=a"), 0);
	cr_assert(o.flag);
	cr_assert_eq(o.level, 2);
	cr_assert_eq(o.size, 3);
	cr_assert_str_eq(o.path, "x");
	cr_assert_eq(o.mode, 1);
	cr_assert_str_eq(o.list, "a");
}

Test(options_parse, later_items_win)
{
	cr_assert_eq(parse("level=1:level=2:level=3"), 0);
	cr_assert_eq(o.level, 3);
}

Test(options_parse, bools)
{
	static const char *const yes[] = { "1", "true", "TRUE", "yes", "Yes", "on" };
	static const char *const no[] = { "0", "false", "False", "no", "NO", "off" };
	char s[64];

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(s, sizeof(s), "flag=%s", yes[i]);
		cr_assert_eq(parse(s), 0, "%s", s);
		cr_assert(o.flag, "%s", s);
		snprintf(s, sizeof(s), "flag=1:flag=%s", no[i]);
		cr_assert_eq(parse(s), 0, "%s", s);
		cr_assert_not(o.flag, "%s", s);
	}
	expect_message("flag=2", OPT_ERR_VALUE,
		       "TEST_OPTIONS: flag: '2' is not a boolean (1/0, true/false, yes/no, on/off)");
	expect_message("flag=", OPT_ERR_VALUE,
		       "TEST_OPTIONS: flag: '' is not a boolean (1/0, true/false, yes/no, on/off)");
	expect_message("flag=yess", OPT_ERR_VALUE,
		       "TEST_OPTIONS: flag: 'yess' is not a boolean (1/0, true/false, yes/no, on/off)");
}

Test(options_parse, size_suffixes_are_binary)
{
	static const struct {
		const char *s;
		uint64_t v;
	} cases[] = {
		{ "0", 0 }, { "17", 17 }, { "0x10", 16 }, { "1k", 1ULL << 10 }, { "1K", 1ULL << 10 },
		{ "2M", 2ULL << 20 }, { "3g", 3ULL << 30 }, { "4T", 4ULL << 40 },
		{ "5KiB", 5ULL << 10 }, { "6MB", 6ULL << 20 }, { "7gib", 7ULL << 30 },
		{ "18446744073709551615", UINT64_MAX }, { "16777215T", 16777215ULL << 40 },
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert(opt_parse_u64(cases[i].s, &v), "%s", cases[i].s);
		cr_assert_eq(v, cases[i].v, "%s", cases[i].s);
	}
}

Test(options_parse, bad_sizes)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "K", "1Q", "1KK", "1 K", "1B", "1iB", "1Ki", "0x",
		"18446744073709551616", /* 2^64 */
		"16777216T",            /* 2^64 after the shift */
		"99999999999999999999999",
	};
	uint64_t v = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(opt_parse_u64(bad[i], &v), "'%s' accepted", bad[i]);
	cr_assert_eq(v, 42, "a rejected value leaves the output alone");
	expect_message("size=12Q", OPT_ERR_VALUE,
		       "TEST_OPTIONS: size: '12Q' is not a size (a number with an optional K, M, G "
		       "or T suffix)");
	cr_assert_eq(o.size, 0, "the field is not written");
}

Test(options_parse, ints)
{
	int v;

	cr_assert(opt_parse_int("-5", &v));
	cr_assert_eq(v, -5);
	cr_assert(opt_parse_int("0x7fffffff", &v));
	cr_assert_eq(v, 0x7fffffff);
	cr_assert(opt_parse_int("-2147483648", &v));
	cr_assert_eq(v, -2147483647 - 1);
	cr_assert_not(opt_parse_int("2147483648", &v));
	cr_assert_not(opt_parse_int("99999999999999999999", &v));
	cr_assert_not(opt_parse_int("", &v));
	cr_assert_not(opt_parse_int("1K", &v), "sizes only for u64");
	cr_assert_not(opt_parse_int("3x", &v));
	expect_message("level=loud", OPT_ERR_VALUE,
		       "TEST_OPTIONS: level: 'loud' is not an integer (decimal or 0x hex, may be "
		       "negative)");
}

Test(options_parse, choices)
{
	cr_assert_eq(parse("mode=OFF"), 0);
	cr_assert_eq(o.mode, 2);
	cr_assert_eq(opt_parse_choice("fast|slow|off", "fast"), 0);
	cr_assert_eq(opt_parse_choice("fast|slow|off", "fas"), -1, "no prefixes");
	cr_assert_eq(opt_parse_choice("fast|slow|off", ""), -1);
	expect_message("mode=medium", OPT_ERR_VALUE,
		       "TEST_OPTIONS: mode: 'medium' is not one of fast|slow|off");
}

Test(options_parse, quotes)
{
	cr_assert_eq(parse("path='a b:c,d' list=\"x\":flag=1"), 0);
	cr_assert_str_eq(o.path, "a b:c,d");
	cr_assert_str_eq(o.list, "x");
	cr_assert(o.flag);
	cr_assert_eq(parse("path=''"), 0);
	cr_assert_str_eq(o.path, "");
	cr_assert_eq(parse("path=\"it's\""), 0);
	cr_assert_str_eq(o.path, "it's");
	expect_message("flag=1:path='open", OPT_ERR_SYNTAX,
		       "TEST_OPTIONS: path: unterminated ' quote");
	cr_assert(o.flag, "items before the bad one are kept");
	cr_assert_null(o.path);
}

Test(options_parse, list_options_keep_commas)
{
	cr_assert_eq(parse("list=a,b,c:flag=1"), 0);
	cr_assert_str_eq(o.list, "a,b,c");
	cr_assert(o.flag);
	cr_assert_eq(parse("path=a,flag=1"), 0);
	cr_assert_str_eq(o.path, "a", "',' ends other values");
	cr_assert(o.flag);
}

Test(options_parse, unknown_options_name_the_valid_ones)
{
	expect_message("foo=1", OPT_ERR_UNKNOWN,
		       "TEST_OPTIONS: unknown option 'foo'; valid options: flag, level, size, path, "
		       "mode, list, extra");
	cr_assert_eq(parse("extra=ok"), 0, "special() handled it");
	cr_assert_eq(parse("extra=no"), 1, "special() declined it");
	cr_assert_eq(kinds[0], OPT_ERR_UNKNOWN);
	cr_assert_eq(parse("FLAG=1"), 1, "names are case-sensitive");
}

Test(options_parse, syntax_errors_skip_the_item)
{
	cr_assert_eq(parse("flag:level=3"), 1);
	cr_assert_eq(kinds[0], OPT_ERR_SYNTAX);
	cr_assert_str_eq(messages[0], "TEST_OPTIONS: expected '=' after 'flag' (items are "
				      "name=value, separated by ':')");
	cr_assert_eq(o.level, 3, "the next item is parsed");
	expect_message("=5:level=6", OPT_ERR_SYNTAX,
		       "TEST_OPTIONS: missing option name before '=5:level=6'");
	cr_assert_eq(o.level, 6);
}

Test(options_parse, overlong_name_and_value)
{
	static char s[OPT_MAX_VALUE + 64];

	memset(s, 'n', OPT_MAX_NAME + 10);
	strcpy(s + OPT_MAX_NAME + 10, "=1:level=4");
	cr_assert_eq(parse(s), 1);
	cr_assert_eq(kinds[0], OPT_ERR_SYNTAX);
	cr_assert(strstr(messages[0], "is too long"), "%s", messages[0]);
	cr_assert_eq(o.level, 4);

	strcpy(s, "path=");
	memset(s + 5, 'v', OPT_MAX_VALUE);
	strcpy(s + 5 + OPT_MAX_VALUE, ":level=5");
	expect_message(s, OPT_ERR_SYNTAX, "TEST_OPTIONS: path: value longer than 4095 bytes");
	cr_assert_null(o.path);
	cr_assert_eq(o.level, 5);
}

Test(options_parse, help_entry_and_value_text)
{
	char buf[256];

	cr_assert_eq(parse("size=1M:mode=slow:flag=yes"), 0);
	opt_help_entry(&table[2], &o, buf, sizeof(buf));
	cr_assert_str_eq(buf, "\tsize\n\t\t- a size (Current Value: 1048576)\n");
	opt_format_value(&table[4], &o, buf, sizeof(buf));
	cr_assert_str_eq(buf, "slow");
	opt_format_value(&table[0], &o, buf, sizeof(buf));
	cr_assert_str_eq(buf, "true");
	opt_format_value(&table[3], &o, buf, sizeof(buf));
	cr_assert_str_eq(buf, "", "an unset string prints empty");
}
