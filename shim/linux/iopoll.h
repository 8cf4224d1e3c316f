/* SPDX-License-Identifier: MIT */
/*
 * <linux/iopoll.h> — poll a register until a condition holds or a timeout (microseconds) passes.
 * Evaluates to 0 or -ETIMEDOUT; val holds the last value read. As the kernel, the plain forms
 * sleep between reads (usleep_range) and the _atomic forms busy-wait (udelay).
 */
#ifndef _DMASAN_SHIM_LINUX_IOPOLL_H
#define _DMASAN_SHIM_LINUX_IOPOLL_H

#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/io.h>

static inline unsigned long long kdma_now_us(void)
{
	return kdma_monotonic_ns() / 1000;
}

#define kdma_poll_timeout(delay, op, val, cond, sleep_us, timeout_us, sleep_before_read, args...)\
	({                                                                                     \
		unsigned long long __timeout_us = (timeout_us);                                \
		unsigned long long __end = kdma_now_us() + __timeout_us;                       \
		unsigned long __sleep_us = (sleep_us);                                         \
		if ((sleep_before_read) && __sleep_us)                                         \
			delay(__sleep_us);                                                     \
		for (;;) {                                                                     \
			(val) = op(args);                                                      \
			if (cond)                                                              \
				break;                                                         \
			if (__timeout_us && kdma_now_us() > __end) {                           \
				(val) = op(args);                                              \
				break;                                                         \
			}                                                                      \
			if (__sleep_us)                                                        \
				delay(__sleep_us);                                             \
		}                                                                              \
		(cond) ? 0 : -ETIMEDOUT;                                                       \
	})

#define kdma_poll_sleep_us(us) usleep_range(((us) >> 2) + 1, us)
#define read_poll_timeout(op, val, cond, sleep_us, timeout_us, sleep_before_read, args...)    \
	kdma_poll_timeout(kdma_poll_sleep_us, op, val, cond, sleep_us, timeout_us,             \
			  sleep_before_read, args)
#define read_poll_timeout_atomic(op, val, cond, delay_us, timeout_us, delay_before_read, args...) \
	kdma_poll_timeout(udelay, op, val, cond, delay_us, timeout_us, delay_before_read, args)

#define readx_poll_timeout(op, addr, val, cond, sleep_us, timeout_us)                         \
	read_poll_timeout(op, val, cond, sleep_us, timeout_us, false, addr)
#define readx_poll_timeout_atomic(op, addr, val, cond, delay_us, timeout_us)                  \
	read_poll_timeout_atomic(op, val, cond, delay_us, timeout_us, false, addr)
#define readl_poll_timeout(addr, val, cond, sleep_us, timeout_us)                             \
	readx_poll_timeout(readl, addr, val, cond, sleep_us, timeout_us)
#define readl_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us)                      \
	readx_poll_timeout_atomic(readl, addr, val, cond, delay_us, timeout_us)
#define readl_relaxed_poll_timeout(addr, val, cond, sleep_us, timeout_us)                     \
	readx_poll_timeout(readl_relaxed, addr, val, cond, sleep_us, timeout_us)
#define readb_poll_timeout(addr, val, cond, sleep_us, timeout_us)                             \
	readx_poll_timeout(readb, addr, val, cond, sleep_us, timeout_us)
#define readq_poll_timeout(addr, val, cond, sleep_us, timeout_us)                             \
	readx_poll_timeout(readq, addr, val, cond, sleep_us, timeout_us)

#endif
