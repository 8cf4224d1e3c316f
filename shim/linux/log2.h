/* SPDX-License-Identifier: MIT */
/* <linux/log2.h> — integer logarithms and powers of two. */
#ifndef _DMASAN_SHIM_LINUX_LOG2_H
#define _DMASAN_SHIM_LINUX_LOG2_H

#include <linux/types.h>

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* floor(log2(n)); n must not be 0 */
#define ilog2(n)                                                                              \
	((int)(sizeof(n) <= 4 ? 31 - __builtin_clz((unsigned int)(n))                          \
			      : 63 - __builtin_clzll((unsigned long long)(n))))

static inline unsigned long __roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}

static inline unsigned long __rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (63 - __builtin_clzl(n));
}

/* Constant arguments fold to constants (usable in array sizes), as in the kernel. */
#define roundup_pow_of_two(n)                                                                 \
	(__builtin_constant_p(n) ? ((n) <= 1 ? 1UL : 1UL << (64 - __builtin_clzl((n) - 1)))    \
				 : __roundup_pow_of_two(n))
#define rounddown_pow_of_two(n)                                                               \
	(__builtin_constant_p(n) ? (1UL << (63 - __builtin_clzl(n))) : __rounddown_pow_of_two(n))
#define order_base_2(n) ((n) > 1 ? ilog2((n) - 1) + 1 : 0)

#endif
