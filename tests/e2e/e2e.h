/* SPDX-License-Identifier: MIT */
/*
 * Shared scaffolding of the end-to-end programs: each is a tiny "driver" written against the
 * kernel headers (shim/) plus a simulated device, with the bug of a real kernel fix, and with
 * -DFIXED the fix. BUGGY(x, y) picks x in the buggy build and y in the fixed one.
 */
#ifndef DMASAN_E2E_H
#define DMASAN_E2E_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

#ifdef FIXED
#define BUGGY(bug, fix) fix
#else
#define BUGGY(bug, fix) bug
#endif

/* A device with the defaults, or with cfg; exits if the library refuses. */
static inline struct device *e2e_device(const struct dmasim_config *cfg)
{
	struct device *dev = dmasim_device_create(cfg);

	if (!dev) {
		fprintf(stderr, "e2e: cannot create the simulated device\n");
		exit(77);
	}
	return dev;
}

#endif
