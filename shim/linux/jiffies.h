/* SPDX-License-Identifier: MIT */
/*
 * <linux/jiffies.h> — jiffies is a function-backed macro over CLOCK_MONOTONIC with HZ=1000 (one
 * jiffy per millisecond); the time_after() family handles wrap-around as in the kernel.
 */
#ifndef _DMASAN_SHIM_LINUX_JIFFIES_H
#define _DMASAN_SHIM_LINUX_JIFFIES_H

#include <time.h>

#include <linux/types.h>

#define HZ 1000
#define MAX_JIFFY_OFFSET ((long)(~0UL >> 1) - 1)

static inline u64 kdma_jiffies64(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * HZ + (u64)ts.tv_nsec / (1000000000 / HZ);
}

#define jiffies ((unsigned long)kdma_jiffies64())
#define jiffies_64 kdma_jiffies64()
#define get_jiffies_64() kdma_jiffies64()

#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)
#define time_in_range(a, b, c) (time_after_eq(a, b) && time_before_eq(a, c))
#define time_after64(a, b) ((s64)((b) - (a)) < 0)
#define time_before64(a, b) time_after64(b, a)
#define time_is_before_jiffies(a) time_after(jiffies, a)
#define time_is_after_jiffies(a) time_before(jiffies, a)
#define time_is_before_eq_jiffies(a) time_after_eq(jiffies, a)
#define time_is_after_eq_jiffies(a) time_before_eq(jiffies, a)

static inline unsigned long msecs_to_jiffies(unsigned int m)
{
	return m;
}

static inline unsigned long usecs_to_jiffies(unsigned int u)
{
	return (u + 999) / 1000;
}

static inline unsigned long nsecs_to_jiffies(u64 n)
{
	return (unsigned long)((n + 999999) / 1000000);
}

static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)j;
}

static inline unsigned int jiffies_to_usecs(unsigned long j)
{
	return (unsigned int)(j * 1000);
}

#define secs_to_jiffies(s) ((unsigned long)(s) * HZ)

#endif
