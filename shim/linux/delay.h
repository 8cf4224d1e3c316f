/* SPDX-License-Identifier: MIT */
/*
 * <linux/delay.h> — as the kernel: ndelay/udelay/mdelay busy-wait (they are meant for short
 * waits in atomic context, and a sleep would last far longer than asked: ~80 us for udelay(1)),
 * msleep/usleep_range/ssleep really sleep. Never used to decide a test's outcome.
 */
#ifndef _DMASAN_SHIM_LINUX_DELAY_H
#define _DMASAN_SHIM_LINUX_DELAY_H

#include <time.h>

#include <asm/barrier.h>

static inline unsigned long long kdma_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* the vDSO: no system call */
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static inline void kdma_sleep_ns(unsigned long long ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ULL),
			       .tv_nsec = (long)(ns % 1000000000ULL) };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) != 0)
		;
}

static inline void kdma_spin_ns(unsigned long long ns)
{
	unsigned long long end = kdma_monotonic_ns() + ns;

	while (kdma_monotonic_ns() < end)
		cpu_relax();
}

#define ndelay(n) kdma_spin_ns(n)
#define udelay(n) kdma_spin_ns((unsigned long long)(n) * 1000ULL)
#define mdelay(n) kdma_spin_ns((unsigned long long)(n) * 1000000ULL)
#define msleep(n) kdma_sleep_ns((unsigned long long)(n) * 1000000ULL)
#define ssleep(n) msleep((n) * 1000)
#define usleep_range(min, max) kdma_sleep_ns((unsigned long long)(min) * 1000ULL)
#define usleep_range_state(min, max, state) usleep_range(min, max)
/* as the kernel's fsleep: busy-wait up to 10 us, sleep beyond */
#define fsleep(us)                                                                     \
	((unsigned long long)(us) <= 10 ? udelay(us)                                   \
					: kdma_sleep_ns((unsigned long long)(us) * 1000ULL))
/* Nothing interrupts the sleep here: 0 ms left. */
static inline unsigned long msleep_interruptible(unsigned int msecs)
{
	msleep(msecs);
	return 0;
}

#endif
