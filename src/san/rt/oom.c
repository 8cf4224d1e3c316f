// SPDX-License-Identifier: MIT
/* The runtime out of memory (oom.h): injected failures, one message per kind, counts. */
#include <stdatomic.h>

#include "report/log.h"
#include "rt/oom.h"

static atomic_ulong budget = ~0UL; /* allocations left before injected failures; ~0UL: no limit */
static atomic_ulong failures[SAN_MEM__COUNT];
static atomic_bool said[SAN_MEM__COUNT];

/* What a failure costs, in the one-time message. */
static const char *const lost[SAN_MEM__COUNT] = {
	[SAN_MEM_ENTRY] = "a table entry: that mapping is not tracked (its checks are skipped, and "
			  "its unmap may be reported as unknown-unmap)",
	[SAN_MEM_DEVICE] = "a device record: that device's mappings are not found by bus address "
			   "(device accesses and partial syncs of them go unchecked or are "
			   "reported as unmapped)",
	[SAN_MEM_STACK] = "a stack trace: reports show no stack for that event",
	[SAN_MEM_SHADOW] = "ownership state: CPU/device ownership of that mapping is not checked",
	[SAN_MEM_CPU_ACCESS] = "CPU-access tracking: CPU accesses to that buffer are not trapped",
};

bool san_mem_fail(void)
{
	unsigned long left = atomic_load_explicit(&budget, memory_order_relaxed);

	while (left != ~0UL) {
		if (!left)
			return true;
		if (atomic_compare_exchange_weak(&budget, &left, left - 1))
			return false;
	}
	return false;
}

void san_mem_failed(enum san_mem what)
{
	atomic_fetch_add(&failures[what], 1);
	if (!atomic_exchange(&said[what], true))
		dmasan_log_printf("WARNING: DMASanitizer: out of memory for %s; every other check "
				  "goes on (said once)\n", lost[what]);
}

unsigned long san_mem_failures(enum san_mem what)
{
	return atomic_load(&failures[what]);
}

void san_mem_inject_failures(unsigned long allowed)
{
	atomic_store(&budget, allowed);
}
