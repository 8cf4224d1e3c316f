/* SPDX-License-Identifier: MIT */
/* <linux/unaligned.h> (formerly <asm/unaligned.h>) — unaligned loads and stores. */
#ifndef _DMASAN_SHIM_LINUX_UNALIGNED_H
#define _DMASAN_SHIM_LINUX_UNALIGNED_H

#include <string.h>

#include <asm/byteorder.h>
#include <linux/types.h>

#define get_unaligned(ptr)                                                                    \
	({                                                                                     \
		__typeof__(*(ptr)) __v;                                                        \
		memcpy(&__v, (ptr), sizeof(__v));                                              \
		__v;                                                                           \
	})
#define put_unaligned(val, ptr)                                                               \
	do {                                                                                   \
		__typeof__(*(ptr)) __v = (val);                                                \
		memcpy((ptr), &__v, sizeof(__v));                                              \
	} while (0)

#define __KDMA_UNALIGNED(bits, end)                                                           \
	static inline u##bits get_unaligned_##end##bits(const void *p)                         \
	{                                                                                      \
		u##bits v;                                                                     \
		memcpy(&v, p, sizeof(v));                                                      \
		return end##bits##_to_cpu(v);                                                  \
	}                                                                                      \
	static inline void put_unaligned_##end##bits(u##bits val, void *p)                     \
	{                                                                                      \
		u##bits v = cpu_to_##end##bits(val);                                           \
		memcpy(p, &v, sizeof(v));                                                      \
	}

__KDMA_UNALIGNED(16, le)
__KDMA_UNALIGNED(32, le)
__KDMA_UNALIGNED(64, le)
__KDMA_UNALIGNED(16, be)
__KDMA_UNALIGNED(32, be)
__KDMA_UNALIGNED(64, be)

#endif
