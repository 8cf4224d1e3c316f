/* SPDX-License-Identifier: MIT */
/* <linux/math64.h> — 64-bit division helpers (64-bit machine: plain C division). */
#ifndef _DMASAN_SHIM_LINUX_MATH64_H
#define _DMASAN_SHIM_LINUX_MATH64_H

#include <linux/math.h>
#include <linux/types.h>

static inline unsigned long div64_ul(unsigned long dividend, unsigned long divisor)
{
	return dividend / divisor;
}

static inline s64 div64_s64(s64 dividend, s64 divisor)
{
	return dividend / divisor;
}

static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	*remainder = (u32)(dividend % divisor);
	return dividend / divisor;
}

static inline u64 div64_u64_rem(u64 dividend, u64 divisor, u64 *remainder)
{
	*remainder = dividend % divisor;
	return dividend / divisor;
}

#define DIV64_U64_ROUND_UP(ll, d) div64_u64((ll) + (d) - 1, (d))

static inline u64 mul_u64_u32_shr(u64 a, u32 mul, unsigned int shift)
{
	return (u64)(((unsigned __int128)a * mul) >> shift);
}

/* Integer square root, rounded down (lib/math/int_sqrt.c). */
static inline u64 int_sqrt64(u64 x)
{
	u64 r = 0, bit = 1ULL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

static inline unsigned long int_sqrt(unsigned long x)
{
	return (unsigned long)int_sqrt64(x);
}

#endif
