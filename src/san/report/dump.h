/* SPDX-License-Identifier: MIT */
/*
 * Mapping-table dumps (docs/dumps.md): every live entry of the table, or those of the devices
 * whose name or driver matches a '*' pattern, with per-device totals and SWIOTLB / IOVA use, as
 * text in the report log (a table, or the kernel's debugfs dma-api/dump lines) and as "dump"
 * records in the JSON Lines file (docs/report-format.md).
 *
 * The runtime calls it for dmasan_dump_mappings(), dump_signal (from its dump thread, never in
 * signal context), dump_at_exit and dump_on_error; dump.c registers itself for that.
 */
#ifndef DMASAN_SAN_DUMP_H
#define DMASAN_SAN_DUMP_H

#include "report/report.h"

struct device;

/* The values of the dump_format option. */
enum san_dump_format { SAN_DUMP_TABLE = 0, SAN_DUMP_KERNEL = 1 };

struct san_dump_request {
	const char *filter;       /* NULL or "": every device */
	const struct device *dev; /* non-NULL: only this device */
	enum dmasan_dump_reason why;
	enum san_dump_format format;
	int text_fd, json_fd;     /* -1: skip that form */
};

/* One dump. Returns its dump id (from 1), or 0 when it did not run (a dump already running on this
 * thread). Safe from any thread but not in signal context; takes no table lock while writing. */
unsigned int san_dump(const struct san_dump_request *req);
/* Wait for a dump running on another thread to end: a device being destroyed, whose entries are
 * gone from the table, must outlive the dump that copied them (its name, its statistics). */
void san_dump_wait(void);

#endif
