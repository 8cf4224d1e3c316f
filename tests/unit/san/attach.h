/* SPDX-License-Identifier: MIT */
/*
 * The unit tests that drive libkdma (linked statically) under the sanitizer attach its hook table
 * by hand, as the preloaded library does when libkdma looks it up.
 */
#ifndef DMASAN_TESTS_UNIT_SAN_ATTACH_H
#define DMASAN_TESTS_UNIT_SAN_ATTACH_H

#include <criterion/criterion.h>

#include "kdma/base/base.h"
#include "san/rt/options.h"

const struct kdma_hooks *__dmasan_kdma_hooks(const struct kdma_services *svc);

/* With cpu_access=off, read at the first mapping. */
static inline void attach_sanitizer(void)
{
	dmasan_runtime_init();
	dmasan_opts.cpu_access = DMASAN_CPU_ACCESS_OFF;
	kdma_hooks_init();
	kdma_hooks_table = __dmasan_kdma_hooks(&kdma_services);
	cr_assert_not_null(kdma_hooks_table);
}

#endif
