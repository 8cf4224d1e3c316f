/* SPDX-License-Identifier: MIT */
/* Shared helpers of the conformance tests. */
#ifndef DMASAN_TESTS_CONF_H
#define DMASAN_TESTS_CONF_H

#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

/* A simulated device with a streaming+coherent mask, coherence and bounce policy. */
static inline struct device *conf_dev(u64 mask, bool coherent, enum dmasim_bounce bounce)
{
	struct dmasim_config cfg = {
		.dma_mask = mask, .coherent_dma_mask = mask, .coherent = coherent, .bounce = bounce,
	};
	struct device *dev = dmasim_device_create(&cfg);

	cr_assert_not_null(dev);
	return dev;
}

/* Everything written to the redirected stderr so far contains `needle`. Call
 * cr_redirect_stderr() in the test's .init first. */
static inline bool conf_stderr_has(const char *needle)
{
	static char buf[1 << 16];
	static size_t len;

	/* Reading the redirected stream consumes it: keep what was read for later checks. */
	fflush(stderr);
	len += fread(buf + len, 1, sizeof(buf) - 1 - len, cr_get_redirected_stderr());
	buf[len] = '\0';
	return strstr(buf, needle) != NULL;
}

#endif
