/* SPDX-License-Identifier: MIT */
/*
 * The names reports, dumps and dmasan-report print for mapping types, directions, map-error
 * states and severities: one table each, shared by the runtime and the tool. Values are the
 * runtime's enums (enum kdma_map_type, enum dma_data_direction, enum san_map_err, the check
 * severity) as plain integers, so the tool can use this without the kernel shim headers.
 */
#ifndef DMASAN_COMMON_NAMES_H
#define DMASAN_COMMON_NAMES_H

#include <stdbool.h>

/* Mapping types, in enum kdma_map_type order. */
#define DMASAN_NTYPES 8
/* The identifier of JSON records and dump tables: "single", "page", "sg", ..., "unknown". */
const char *dmasan_type_name(int type);
/* The wording of report facts ("[mapped as=scatter-gather]"), "unknown" if out of range. */
const char *dmasan_type_label(int type);
/* kernel/dma/debug.c's type2name for what the kernel records: page as "single", our
 * noncontiguous allocations as "scatter-gather" (dma_alloc_noncontiguous debugs its sg list),
 * dma_pool blocks as "coherent" (their chunks are coherent allocations). */
const char *dmasan_type_kernel(int type);
/* The type whose identifier is name, or -1. */
int dmasan_type_from_name(const char *name);

/* "DMA_BIDIRECTIONAL", "DMA_TO_DEVICE", "DMA_FROM_DEVICE", "DMA_NONE"; "invalid" otherwise. */
const char *dmasan_dir_name(int dir);

/* Map-error check states: not applicable (0), not checked (1), checked (2). */
#define DMASAN_NMAPERR 3
const char *dmasan_maperr_name(int state);   /* "not_applicable", "not_checked", "checked" */
const char *dmasan_maperr_kernel(int state); /* "dma map error checked", ... */
int dmasan_maperr_from_name(const char *name); /* 0 (not applicable) when unknown */

/* Severities: 0 error, 1 warning. */
const char *dmasan_severity_name(int sev);  /* "error" / "warning" (JSON, SARIF) */
const char *dmasan_severity_title(int sev); /* "ERROR" / "WARNING" (text headline) */

#endif
