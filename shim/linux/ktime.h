/* SPDX-License-Identifier: MIT */
/* <linux/ktime.h> — ktime_t is signed nanoseconds of CLOCK_MONOTONIC, as in the kernel. */
#ifndef _DMASAN_SHIM_LINUX_KTIME_H
#define _DMASAN_SHIM_LINUX_KTIME_H

#include <time.h>

#include <linux/types.h>

typedef s64 ktime_t;

#define NSEC_PER_USEC 1000L
#define NSEC_PER_MSEC 1000000L
#define NSEC_PER_SEC 1000000000L

static inline ktime_t ktime_get(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (s64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static inline s64 ktime_to_ns(ktime_t kt)
{
	return kt;
}

static inline ktime_t ns_to_ktime(u64 ns)
{
	return (ktime_t)ns;
}

static inline s64 ktime_to_us(ktime_t kt)
{
	return kt / NSEC_PER_USEC;
}

#define ktime_sub(a, b) ((a) - (b))
#define ktime_add(a, b) ((a) + (b))
#define ktime_compare(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)
#define ktime_before(a, b) ((a) < (b))
#define ktime_after(a, b) ((a) > (b))

#endif
