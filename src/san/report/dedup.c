// SPDX-License-Identifier: MIT
/*
 * Deduplication by (check, stack), the counters, halt_on_error, and the state a forked child
 * starts afresh.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "report/log.h"
#include "report/report_impl.h"
#include "rt/fork.h"
#include "rt/options.h"
#include "rt/runtime.h"

pthread_mutex_t san_report_lock = PTHREAD_MUTEX_INITIALIZER;
unsigned long san_n_errors, san_n_warnings, san_n_suppressed, san_n_unique, san_n_printed;
struct dedup_entry san_dedup[DEDUP_SLOTS];

bool san_counts_toward_exit(enum dmasan_check c)
{
	return dmasan_checks[c].severity == DMASAN_ERROR ||
	       dmasan_opts.fail_on == DMASAN_FAIL_ON_WARNING;
}

void san_count(enum dmasan_check c)
{
	if (dmasan_checks[c].severity == DMASAN_ERROR)
		__atomic_add_fetch(&san_n_errors, 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&san_n_warnings, 1, __ATOMIC_RELAXED);
}

/* The slot for (check, stack): found (*is_new false), claimed (*is_new true), or NULL when the
 * table is full or there is no stack to key on. */
struct dedup_entry *san_dedup_slot(enum dmasan_check c, dmasan_stack_id stack, bool *is_new)
{
	unsigned int h = (stack * 2654435761u) ^ (unsigned int)c;

	*is_new = true;
	if (!stack)
		return NULL;
	for (unsigned int i = 0; i < DEDUP_SLOTS; i++) {
		struct dedup_entry *e = &san_dedup[(h + i) % DEDUP_SLOTS];

		if (!e->stack) {
			e->stack = stack;
			e->check = (unsigned short)c;
			return e;
		}
		if (e->stack == stack && e->check == c) {
			*is_new = false;
			return e;
		}
	}
	return NULL;
}

_Noreturn void san_halt(void)
{
	dmasan_report_finish();
	dmasan_log_printf("ABORTING\n");
	if (dmasan_opts.abort_on_error)
		abort();
	_exit(dmasan_opts.exitcode);
}

void dmasan_report_counts(unsigned long *errors, unsigned long *warnings, unsigned long *suppressed)
{
	if (errors)
		*errors = __atomic_load_n(&san_n_errors, __ATOMIC_RELAXED);
	if (warnings)
		*warnings = __atomic_load_n(&san_n_warnings, __ATOMIC_RELAXED);
	if (suppressed)
		*suppressed = __atomic_load_n(&san_n_suppressed, __ATOMIC_RELAXED);
}

void dmasan_report_unique(unsigned long *unique, unsigned long *printed)
{
	pthread_mutex_lock(&san_report_lock);
	if (unique)
		*unique = san_n_unique;
	if (printed)
		*printed = san_n_printed;
	pthread_mutex_unlock(&san_report_lock);
}

void san_report_fork_lock(void)
{
	pthread_mutex_lock(&san_report_lock);
	dmasan_log_fork_lock();
}

/* The child starts with fresh counters and deduplication, and reports under its own pid, in
 * files of its own. */
void san_report_fork_unlock(bool child)
{
	dmasan_log_fork_unlock();
	if (child) {
		san_n_errors = san_n_warnings = san_n_suppressed = san_n_unique = san_n_printed = 0;
		memset(san_dedup, 0, sizeof(san_dedup));
	}
	pthread_mutex_unlock(&san_report_lock);
	if (child)
		dmasan_log_open();
}
