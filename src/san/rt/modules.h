/* SPDX-License-Identifier: MIT */
/* The module map: read-only segments of the loaded objects (modules.c). */
#ifndef DMASAN_SAN_MODULES_H
#define DMASAN_SAN_MODULES_H

#include <stdint.h>

struct san_ro_segment {
	uintptr_t lo, hi;
	const char *name; /* the object's path, or "the executable" */
};

/* A read-only segment overlapping [lo, hi), or NULL. Rebuilds the map after dlopen/dlclose. */
const struct san_ro_segment *san_ro_segment_find(uintptr_t lo, uintptr_t hi);

#endif
