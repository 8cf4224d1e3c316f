/* SPDX-License-Identifier: MIT */
/*
 * <linux/minmax.h> — min/max/clamp evaluating each argument once. The kernel additionally
 * rejects mixed-signedness comparisons at compile time; here they follow C's usual conversions
 * (use min_t/max_t to state the type, as kernel code must anyway).
 */
#ifndef _DMASAN_SHIM_LINUX_MINMAX_H
#define _DMASAN_SHIM_LINUX_MINMAX_H

#define __kdma_cmp(op, x, y)                                                                  \
	({                                                                                     \
		__auto_type __x = (x);                                                         \
		__auto_type __y = (y);                                                         \
		__x op __y ? __x : __y;                                                        \
	})

#define min(x, y) __kdma_cmp(<, x, y)
#define max(x, y) __kdma_cmp(>, x, y)
#define min3(x, y, z) min((__typeof__(x))min(x, y), z)
#define max3(x, y, z) max((__typeof__(x))max(x, y), z)
#define min_not_zero(x, y)                                                                    \
	({                                                                                     \
		__auto_type __mx = (x);                                                        \
		__auto_type __my = (y);                                                        \
		__mx == 0 ? __my : (__my == 0 ? __mx : min(__mx, __my));                       \
	})
#define min_t(type, x, y) __kdma_cmp(<, (type)(x), (type)(y))
#define max_t(type, x, y) __kdma_cmp(>, (type)(x), (type)(y))
#define umin(x, y) min((unsigned long long)(x) + 0ULL, (unsigned long long)(y) + 0ULL)
#define umax(x, y) max((unsigned long long)(x) + 0ULL, (unsigned long long)(y) + 0ULL)

#define clamp(val, lo, hi) min((__typeof__(val))max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi) clamp_t(__typeof__(val), val, lo, hi)

#define swap(a, b)                                                                            \
	do {                                                                                   \
		__typeof__(a) __tmp = (a);                                                     \
		(a) = (b);                                                                     \
		(b) = __tmp;                                                                   \
	} while (0)

#endif
