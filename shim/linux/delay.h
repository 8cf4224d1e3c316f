/* SPDX-License-Identifier: MIT */
/* <linux/delay.h> — delays as real sleeps (never used to decide a test's outcome). */
#ifndef _DMASAN_SHIM_LINUX_DELAY_H
#define _DMASAN_SHIM_LINUX_DELAY_H

#include <time.h>

static inline void kdma_sleep_ns(unsigned long long ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ULL),
			       .tv_nsec = (long)(ns % 1000000000ULL) };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) != 0)
		;
}

#define ndelay(n) kdma_sleep_ns(n)
#define udelay(n) kdma_sleep_ns((unsigned long long)(n) * 1000ULL)
#define mdelay(n) kdma_sleep_ns((unsigned long long)(n) * 1000000ULL)
#define msleep(n) kdma_sleep_ns((unsigned long long)(n) * 1000000ULL)
#define ssleep(n) msleep((n) * 1000)
#define usleep_range(min, max) kdma_sleep_ns((unsigned long long)(min) * 1000ULL)
#define usleep_range_state(min, max, state) usleep_range(min, max)
#define fsleep(us) kdma_sleep_ns((unsigned long long)(us) * 1000ULL)
/* Nothing interrupts the sleep here: 0 ms left. */
static inline unsigned long msleep_interruptible(unsigned int msecs)
{
	msleep(msecs);
	return 0;
}

#endif
