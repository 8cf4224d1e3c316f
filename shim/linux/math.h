/* SPDX-License-Identifier: MIT */
/* <linux/math.h> — rounding and division helpers. */
#ifndef _DMASAN_SHIM_LINUX_MATH_H
#define _DMASAN_SHIM_LINUX_MATH_H

/* power-of-two y only */
#define __round_mask(x, y) ((__typeof__(x))((y) - 1))
#define round_up(x, y) ((((x) - 1) | __round_mask(x, y)) + 1)
#define round_down(x, y) ((x) & ~__round_mask(x, y))

#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define DIV_ROUND_UP_ULL(ll, d) DIV_ROUND_UP((unsigned long long)(ll), (d))
#define DIV_ROUND_DOWN_ULL(ll, d) ((unsigned long long)(ll) / (d))
#define DIV_ROUND_CLOSEST(x, divisor) (((x) + ((divisor) / 2)) / (divisor))
#define roundup(x, y)                                                                         \
	({                                                                                     \
		__typeof__(y) __y = (y);                                                       \
		(((x) + (__y - 1)) / __y) * __y;                                               \
	})
#define rounddown(x, y)                                                                       \
	({                                                                                     \
		__typeof__(x) __x = (x);                                                       \
		__x - (__x % (y));                                                             \
	})
#define abs_diff(a, b)                                                                        \
	({                                                                                     \
		__auto_type __a = (a);                                                         \
		__auto_type __b = (b);                                                         \
		__a > __b ? __a - __b : __b - __a;                                             \
	})
#define do_div(n, base)                                                                       \
	({                                                                                     \
		unsigned int __base = (base);                                                  \
		unsigned int __rem = (unsigned int)((n) % __base);                             \
		(n) = (n) / __base;                                                            \
		__rem;                                                                         \
	})

static inline unsigned long long div_u64(unsigned long long dividend, unsigned int divisor)
{
	return dividend / divisor;
}

static inline long long div_s64(long long dividend, int divisor)
{
	return dividend / divisor;
}

static inline unsigned long long div64_u64(unsigned long long dividend,
					   unsigned long long divisor)
{
	return dividend / divisor;
}

#define mult_frac(x, n, d)                                                                    \
	({                                                                                     \
		__typeof__(x) __q = (x) / (d);                                                 \
		__typeof__(x) __r = (x) % (d);                                                 \
		(__q * (n)) + ((__r * (n)) / (d));                                             \
	})

#endif
