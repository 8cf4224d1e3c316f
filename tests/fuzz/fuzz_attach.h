/* SPDX-License-Identifier: MIT */
/*
 * The sanitizer linked into a fuzz harness, attached to libkdma by hand as libdmasan.so attaches
 * when preloaded (the static build has no dynamic symbol to find). Options for speed and quiet:
 * reports go to stdout (closed with -close_fd_mask=1), frame-pointer stacks, no symbolising.
 */
#ifndef DMASAN_FUZZ_ATTACH_H
#define DMASAN_FUZZ_ATTACH_H

#include "kdma/base/base.h"
#include "kdma/mm/mm.h"
#include "rt/options.h"
#include "report/dump.h"
#include "report/report.h"

const struct kdma_hooks *__dmasan_kdma_hooks(const struct kdma_services *svc);
/* A strong reference links the ownership layer (weakly referenced by the table and hooks), as it
 * is in libdmasan.so. The archive is not linked whole: its malloc interceptors would replace
 * ASan's in a static executable. */
struct san_entry;
size_t san_shadow_describe(const struct san_entry *e, char *buf, size_t len);
size_t (*const fuzz_shadow_ref)(const struct san_entry *, char *, size_t) = san_shadow_describe;
/* The same for the mapping-table dumps (registered by a constructor of their own). */
unsigned int (*const fuzz_dump_ref)(const struct san_dump_request *) = san_dump;

const char *dmasan_default_options(void)
{
	return "log_path=stdout:symbolize=0:fast_unwind=1:detect_leaks=0:print_suppressions=0:"
	       "cpu_access=off:max_reports=1";
}

static inline void fuzz_attach_sanitizer(void)
{
	dmasan_runtime_init();
	kdma_hooks_init();
	kdma_hooks_table = __dmasan_kdma_hooks(&kdma_services);
	if (!kdma_hooks_table)
		abort();
}

#endif
