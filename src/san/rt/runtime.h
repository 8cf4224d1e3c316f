/* SPDX-License-Identifier: MIT */
/* Between the runtime (start-up, fork, exit) and the report writer. */
#ifndef DMASAN_SAN_RUNTIME_H
#define DMASAN_SAN_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include "report/report.h"

/* report.c */
void dmasan_report_setup(void);         /* after options: suppressions, JSON run record */
void dmasan_report_write_run(void);     /* the JSON "run" record (start-up, forked child) */
void dmasan_report_finish(void);        /* at exit: suppressions used/unused, SUMMARY, JSON summary */
bool dmasan_report_failed(void);        /* whether the findings so far set the exit status */

/* symbolize.c: a function of the main executable by name, from its .symtab (0: none) */
uintptr_t dmasan_exe_symbol(const char *name);

/* runtime.c */
void dmasan_runtime_dump(const char *device_filter); /* the registered dump callback, if any */
/* The same with the reason (and, for DMASAN_DUMP_ERROR, the reported device). */
void dmasan_runtime_dump_why(const char *device_filter, const struct device *dev,
			     enum dmasan_dump_reason why);
bool dmasan_runtime_initialized(void);

#endif
