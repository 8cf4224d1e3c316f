// SPDX-License-Identifier: MIT
/* KDMA_OPTIONS parsing (src/kdma/base/options.c). */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "kdma/base/base.h"

static const struct kdma_options *load(const char *env)
{
	if (env)
		setenv("KDMA_OPTIONS", env, 1);
	else
		unsetenv("KDMA_OPTIONS");
	kdma_options_reload();
	return kdma_opts();
}

static bool stderr_has(const char *needle)
{
	static char buf[1 << 16];
	static size_t len;

	/* Reading the redirected stream consumes it: keep what was read for later checks. */
	fflush(stderr);
	len += fread(buf + len, 1, sizeof(buf) - 1 - len, cr_get_redirected_stderr());
	buf[len] = '\0';
	return strstr(buf, needle) != NULL;
}

Test(options, defaults)
{
	const struct kdma_options *o = load(NULL);

	cr_assert_not(o->swiotlb_force);
	cr_assert_eq(o->swiotlb_size, 64ULL << 20);
	cr_assert_eq(o->dma_minalign, 128);
	cr_assert_eq(o->iommu_fq_timeout_ms, 10);
	cr_assert_not(o->quiet);
}

Test(options, separators_bools_and_sizes)
{
	const struct kdma_options *o =
		load("swiotlb_force=1:swiotlb_size=16M,kmalloc_bounce=true zone_dma_size=512K\t"
		     "atomic_pool_size=1G:global_coherent_size=0x2000:iommu_strict=yes");

	cr_assert(o->swiotlb_force);
	cr_assert_eq(o->swiotlb_size, 16ULL << 20);
	cr_assert(o->kmalloc_bounce);
	cr_assert_eq(o->zone_dma_size, 512ULL << 10);
	cr_assert_eq(o->atomic_pool_size, 1ULL << 30);
	cr_assert_eq(o->global_coherent_size, 0x2000);
	cr_assert(o->iommu_strict);
	o = load("swiotlb_force=false:swiotlb_size=2MiB:dma_minalign='64'");
	cr_assert_not(o->swiotlb_force);
	cr_assert_eq(o->swiotlb_size, 2ULL << 20);
	cr_assert_eq(o->dma_minalign, 64);
}

Test(options, malformed_values_keep_the_default, .init = cr_redirect_stderr)
{
	const struct kdma_options *o = load("swiotlb_force=maybe:swiotlb_size=12Q:dma_minalign=-1");

	cr_assert_not(o->swiotlb_force);
	cr_assert_eq(o->swiotlb_size, 64ULL << 20);
	cr_assert_eq(o->dma_minalign, 128);
	cr_assert(stderr_has("libkdma: ERROR: KDMA_OPTIONS: swiotlb_force: 'maybe' is not a boolean "
			     "(1/0, true/false, yes/no, on/off); using the default (false)\n"));
	cr_assert(stderr_has("KDMA_OPTIONS: swiotlb_size: '12Q' is not a size (a number with an "
			     "optional K, M, G or T suffix); using the default (67108864)\n"));
	cr_assert(stderr_has("KDMA_OPTIONS: dma_minalign: '-1' is not a size"));
}

Test(options, missing_equals_and_unknown_names, .init = cr_redirect_stderr)
{
	const struct kdma_options *o = load("swiotlb_force:no_such_option=1:iommu_strict=1");

	cr_assert(o->iommu_strict, "later items still parse");
	cr_assert_not(o->swiotlb_force);
	cr_assert(stderr_has("expected '=' after 'swiotlb_force'"));
	cr_assert(stderr_has("libkdma: WARNING: KDMA_OPTIONS: unknown option 'no_such_option'; "
			     "valid options: help, swiotlb_force, swiotlb_size,"));
}

Test(options, unterminated_quote, .init = cr_redirect_stderr)
{
	const struct kdma_options *o = load("dma_minalign='64");

	cr_assert_eq(o->dma_minalign, 128);
	cr_assert(stderr_has("KDMA_OPTIONS: dma_minalign: unterminated ' quote"));
}

Test(options, size_overflow_is_rejected, .init = cr_redirect_stderr)
{
	const struct kdma_options *o = load("swiotlb_size=99999999999999T");

	cr_assert_eq(o->swiotlb_size, 64ULL << 20);
	cr_assert(stderr_has("swiotlb_size: '99999999999999T' is not a size"));
}

Test(options, a_bad_item_restores_the_default_set_earlier, .init = cr_redirect_stderr)
{
	const struct kdma_options *o = load("swiotlb_size=1M:swiotlb_size=1X:swiotlb_areas=4T");

	cr_assert_eq(o->swiotlb_size, 64ULL << 20);
	cr_assert_eq(o->swiotlb_areas, 4ULL << 40, "T is a binary suffix");
	cr_assert(stderr_has("swiotlb_size: '1X' is not a size"));
}

Test(options, help_prints_the_table, .init = cr_redirect_stderr)
{
	load("help=1:swiotlb_size=1M");
	cr_assert(stderr_has("\tswiotlb_size\n\t\t- SWIOTLB default pool size"));
	cr_assert(stderr_has("(Current Value: 1048576)"));
	cr_assert(stderr_has("\tquiet\n"));
}
