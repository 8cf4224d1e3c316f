/* SPDX-License-Identifier: MIT */
/* <linux/ktime.h> — ktime_t in nanoseconds; ktime_get() reads CLOCK_MONOTONIC, as the kernel's. */
#ifndef _DMASAN_SHIM_LINUX_KTIME_H
#define _DMASAN_SHIM_LINUX_KTIME_H

#include <time.h>

#include <linux/time64.h>
#include <linux/types.h>

typedef s64 ktime_t;

static inline ktime_t kdma_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (ktime_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static inline ktime_t ktime_get(void) { return kdma_clock_ns(CLOCK_MONOTONIC); }
static inline ktime_t ktime_get_raw(void) { return kdma_clock_ns(CLOCK_MONOTONIC_RAW); }
static inline ktime_t ktime_get_boottime(void) { return kdma_clock_ns(CLOCK_BOOTTIME); }
static inline ktime_t ktime_get_real(void) { return kdma_clock_ns(CLOCK_REALTIME); }
static inline u64 ktime_get_ns(void) { return (u64)ktime_get(); }
static inline u64 ktime_get_raw_ns(void) { return (u64)ktime_get_raw(); }
static inline u64 ktime_get_boottime_ns(void) { return (u64)ktime_get_boottime(); }
static inline u64 ktime_get_real_ns(void) { return (u64)ktime_get_real(); }
static inline time64_t ktime_get_seconds(void) { return ktime_get() / NSEC_PER_SEC; }
static inline time64_t ktime_get_real_seconds(void) { return ktime_get_real() / NSEC_PER_SEC; }

#define ktime_sub(a, b) ((a) - (b))
#define ktime_add(a, b) ((a) + (b))
#define ktime_add_ns(kt, ns) ((kt) + (ktime_t)(ns))
#define ktime_sub_ns(kt, ns) ((kt) - (ktime_t)(ns))
#define ktime_add_us(kt, us) ktime_add_ns(kt, (u64)(us) * NSEC_PER_USEC)
#define ktime_add_ms(kt, ms) ktime_add_ns(kt, (u64)(ms) * NSEC_PER_MSEC)
#define ktime_set(secs, nsecs) ((ktime_t)(secs) * NSEC_PER_SEC + (ktime_t)(nsecs))
#define ns_to_ktime(ns) ((ktime_t)(ns))
#define ms_to_ktime(ms) ((ktime_t)(ms) * NSEC_PER_MSEC)
#define us_to_ktime(us) ((ktime_t)(us) * NSEC_PER_USEC)
#define ktime_to_ns(kt) ((s64)(kt))
#define ktime_to_us(kt) ((s64)(kt) / NSEC_PER_USEC)
#define ktime_to_ms(kt) ((s64)(kt) / NSEC_PER_MSEC)
#define ktime_us_delta(later, earlier) ktime_to_us(ktime_sub(later, earlier))
#define ktime_ms_delta(later, earlier) ktime_to_ms(ktime_sub(later, earlier))
#define ktime_compare(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)
#define ktime_after(a, b) ((a) > (b))
#define ktime_before(a, b) ((a) < (b))

#endif
