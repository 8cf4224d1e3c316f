// SPDX-License-Identifier: MIT
/*
 * The option parsers: the input is a DMASAN_OPTIONS string (the sanitizer's parser) and, after the
 * first NUL, a KDMA_OPTIONS string (libkdma's, read from the environment as at start-up). The
 * sanitizer ends the process on a malformed option (a clear message and status 1): here _exit is
 * wrapped (-Wl,--wrap=_exit) to return to the harness instead, so that the fuzzer goes on.
 * include=/include_if_exists= are skipped: they read files named by the input (a FIFO blocks).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "kdma/base/base.h"
#include "kdma/mm/mm.h"
#include "rt/options.h"

static jmp_buf fatal_jmp;
static bool armed;

void __real__exit(int status) __attribute__((noreturn));
void __wrap__exit(int status) __attribute__((noreturn));
void __wrap__exit(int status)
{
	if (armed)
		longjmp(fatal_jmp, 1);
	__real__exit(status);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dmasan_options o;
	char *s = malloc(size + 2);
	const char *kdma;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = s[size + 1] = 0;
	kdma = s + strlen(s) + 1 < s + size + 1 ? s + strlen(s) + 1 : "";
	if (!strstr(s, "include")) {
		dmasan_options_defaults(&o);
		armed = true;
		if (!setjmp(fatal_jmp))
			dmasan_options_parse(&o, s, "fuzz");
		armed = false;
	}
	setenv("KDMA_OPTIONS", kdma, 1);
	kdma_options_reload();
	free(s);
	return 0;
}
