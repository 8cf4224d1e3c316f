/* SPDX-License-Identifier: MIT */
/*
 * DMASAN_OPTIONS: the struct generated from options.inc, and its parser. Precedence, lowest
 * first: the defaults in options.inc, the program's weak dmasan_default_options(), then the
 * DMASAN_OPTIONS environment variable.
 */
#ifndef DMASAN_SAN_OPTIONS_H
#define DMASAN_SAN_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include "report/report.h"

#define DMASAN_OPT_TYPE_bool bool
#define DMASAN_OPT_TYPE_int int
#define DMASAN_OPT_TYPE_u64 uint64_t
#define DMASAN_OPT_TYPE_str const char *
#define DMASAN_OPT_TYPE_choice int

struct dmasan_options {
#define DMASAN_OPTION(type, name, def, desc) DMASAN_OPT_TYPE_##type name;
#include "rt/options.inc"
#undef DMASAN_OPTION
	bool check[DMASAN_CHECK__COUNT]; /* per-check enables: check_<id>=0, disable=<id>,... */
};

/* Indexes of the choice options (the order of the words in options.inc). */
enum dmasan_fail_on { DMASAN_FAIL_ON_ERROR, DMASAN_FAIL_ON_WARNING };
enum dmasan_cpu_access {
	DMASAN_CPU_ACCESS_AUTO,
	DMASAN_CPU_ACCESS_ASAN,
	DMASAN_CPU_ACCESS_VALGRIND,
	DMASAN_CPU_ACCESS_MPROTECT,
	DMASAN_CPU_ACCESS_OFF,
};

/* The process's options; valid after dmasan_options_init() (run by dmasan_runtime_init()). */
extern struct dmasan_options dmasan_opts;

/* Defaults → dmasan_default_options() → DMASAN_OPTIONS, then help=1 output. Idempotent. Malformed
 * input prints a clear error and exits with status 1. */
void dmasan_options_init(void);

/* The building blocks, for tests and for re-reading: reset *o to the table's defaults; parse one
 * option string into *o (source names it in messages, e.g. "DMASAN_OPTIONS"). Returns the number
 * of unknown options (each warned about); malformed input exits(1) with a message. */
void dmasan_options_defaults(struct dmasan_options *o);
int dmasan_options_parse(struct dmasan_options *o, const char *str, const char *source);

/* Print every option with its description and current value (help=1) to fd. */
void dmasan_options_print_help(const struct dmasan_options *o, int fd);

/* The option string as given (defaults hook + environment), for the JSON run record. */
const char *dmasan_options_string(void);

/* Program hook (weak): extra default options, overridden by DMASAN_OPTIONS. */
const char *dmasan_default_options(void);

/* The exit status of a configuration error found at start-up (a malformed DMASAN_OPTIONS value, a
 * suppressions file that cannot be read): not `exitcode`, so it is not taken for a finding. */
#define DMASAN_CONFIG_ERROR_EXIT 2

#endif
