/* SPDX-License-Identifier: MIT */
/*
 * Memory of the ownership shadows (a mapping's header, line states and device view or snapshot),
 * kept for reuse: a driver maps buffers of the same few sizes over and over, and a malloc plus a
 * free of a few KiB per mapping was a large share of a checked map+unmap. Blocks come back
 * uninitialised: every user fills what it reads.
 */
#ifndef DMASAN_SAN_OWNERSHIP_SHADOW_MEM_H
#define DMASAN_SAN_OWNERSHIP_SHADOW_MEM_H

#include <stddef.h>

/* A block of `size` bytes (a kept one of exactly that size, else malloc), or NULL. */
void *shadow_mem_get(size_t size);
/* Block p of `size` bytes is no longer used: kept for the next get of that size, or freed. */
void shadow_mem_put(void *p, size_t size);

#endif
