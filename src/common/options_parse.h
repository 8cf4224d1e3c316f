/* SPDX-License-Identifier: MIT */
/*
 * The option-string parser shared by DMASAN_OPTIONS (the sanitizer) and KDMA_OPTIONS (libkdma).
 *
 * Syntax: "name=value" items separated by ':', ',' or whitespace; a value may be quoted with ' or "
 * (then it may contain separators). Value forms:
 *   bool    1/0, true/false, yes/no, on/off (any case)
 *   int     a decimal, 0x hex or 0 octal integer, may be negative
 *   u64     an unsigned number with an optional binary K, M, G or T suffix (optionally followed by
 *           B or iB): 4K = 4096
 *   str     anything; "" is empty
 *   choice  one of the words of desc->choices ("a|b|c", any case); the field holds its index
 *
 * Each library keeps its own table (an X-macro) and its own error policy: the parser formats a
 * message that names the option and the valid forms and hands it to opt_parser.error, which
 * decides (print and exit, or print and fall back to the default). Depends on libc only, so both
 * libraries can compile it; the symbols stay inside each library (hidden, not exported).
 */
#ifndef DMASAN_COMMON_OPTIONS_PARSE_H
#define DMASAN_COMMON_OPTIONS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum opt_type { OPT_bool, OPT_int, OPT_u64, OPT_str, OPT_choice };

struct opt_desc {
	const char *name;
	enum opt_type type;
	const char *choices; /* OPT_choice: "a|b|c"; else NULL */
	const char *desc;
	size_t offset; /* of the field in the options struct */
};

enum opt_error {
	OPT_ERR_UNKNOWN, /* no such option */
	OPT_ERR_VALUE,   /* a value that does not parse as the option's type (desc is set) */
	OPT_ERR_SYNTAX,  /* not name=value, unterminated quote, over-long name or value */
};

#define OPT_MAX_NAME 128
#define OPT_MAX_VALUE 4096
#define OPT_MAX_MESSAGE 2048

struct opt_parser {
	const char *source; /* named in messages: "DMASAN_OPTIONS", a file name, ... */
	const struct opt_desc *table;
	size_t count;
	void *opts; /* the struct the table's offsets point into */
	/* Names the table does not hold but special() accepts, listed in "valid options". */
	const char *extra_names;
	/* Options whose unquoted value is a ','-separated list (the ',' is not a separator). */
	const char *const *list_options;
	/* Options not in the table: return true when handled. May be NULL. */
	bool (*special)(struct opt_parser *p, const char *name, const char *value);
	/* Store a string value for the life of the process; NULL: out of memory (option unchanged). */
	const char *(*save_str)(struct opt_parser *p, const char *s);
	/* The policy: called with a complete message (no prefix, no newline). May return: the
	 * parser then skips the item (a syntax error in a quote ends the string). */
	void (*error)(struct opt_parser *p, enum opt_error kind, const struct opt_desc *desc,
		      const char *msg);
	void *ctx; /* the caller's */
	int unknown; /* count of OPT_ERR_UNKNOWN reported */
};

/* Parse s (NULL or "" is nothing) item by item, in order; later items override earlier ones. */
void opt_parse_string(struct opt_parser *p, const char *s);

/* Value parsers: true and *out set when v is a complete, in-range value of the type. */
bool opt_parse_bool(const char *v, bool *out);
bool opt_parse_int(const char *v, int *out);
bool opt_parse_u64(const char *v, uint64_t *out);
int opt_parse_choice(const char *choices, const char *v); /* word index, or -1 */

/* Report through p->error that v is not a valid `type` value for option name. */
void opt_bad_value(struct opt_parser *p, const struct opt_desc *d, const char *name,
		   enum opt_type type, const char *choices, const char *v);

/* The table row for name, or NULL. */
const struct opt_desc *opt_find(const struct opt_desc *table, size_t count, const char *name);

/* The field's current value as text: "true", "42", "1048576", the string, the choice word. */
void opt_format_value(const struct opt_desc *d, const void *opts, char *buf, size_t cap);

/* One help=1 entry: "\tname\n\t\t- description (Current Value: value)\n" into buf. */
void opt_help_entry(const struct opt_desc *d, const void *opts, char *buf, size_t cap);

#endif
