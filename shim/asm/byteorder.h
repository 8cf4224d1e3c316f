/* SPDX-License-Identifier: MIT */
/* <asm/byteorder.h> — CPU/little/big-endian conversions (little-endian hosts and big). */
#ifndef _DMASAN_SHIM_ASM_BYTEORDER_H
#define _DMASAN_SHIM_ASM_BYTEORDER_H

#include <linux/types.h>

#define swab16(x) ((u16)__builtin_bswap16((u16)(x)))
#define swab32(x) ((u32)__builtin_bswap32((u32)(x)))
#define swab64(x) ((u64)__builtin_bswap64((u64)(x)))

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define __LITTLE_ENDIAN_BITFIELD
#define cpu_to_le16(x) ((__le16)(u16)(x))
#define cpu_to_le32(x) ((__le32)(u32)(x))
#define cpu_to_le64(x) ((__le64)(u64)(x))
#define le16_to_cpu(x) ((u16)(__le16)(x))
#define le32_to_cpu(x) ((u32)(__le32)(x))
#define le64_to_cpu(x) ((u64)(__le64)(x))
#define cpu_to_be16(x) ((__be16)swab16(x))
#define cpu_to_be32(x) ((__be32)swab32(x))
#define cpu_to_be64(x) ((__be64)swab64(x))
#define be16_to_cpu(x) swab16((u16)(__be16)(x))
#define be32_to_cpu(x) swab32((u32)(__be32)(x))
#define be64_to_cpu(x) swab64((u64)(__be64)(x))
#else
#define __BIG_ENDIAN_BITFIELD
#define cpu_to_le16(x) ((__le16)swab16(x))
#define cpu_to_le32(x) ((__le32)swab32(x))
#define cpu_to_le64(x) ((__le64)swab64(x))
#define le16_to_cpu(x) swab16((u16)(__le16)(x))
#define le32_to_cpu(x) swab32((u32)(__le32)(x))
#define le64_to_cpu(x) swab64((u64)(__le64)(x))
#define cpu_to_be16(x) ((__be16)(u16)(x))
#define cpu_to_be32(x) ((__be32)(u32)(x))
#define cpu_to_be64(x) ((__be64)(u64)(x))
#define be16_to_cpu(x) ((u16)(__be16)(x))
#define be32_to_cpu(x) ((u32)(__be32)(x))
#define be64_to_cpu(x) ((u64)(__be64)(x))
#endif

#define le16_to_cpup(p) le16_to_cpu(*(p))
#define le32_to_cpup(p) le32_to_cpu(*(p))
#define le64_to_cpup(p) le64_to_cpu(*(p))
#define cpu_to_le32p(p) cpu_to_le32(*(p))
#define le32_add_cpu(var, val) (*(var) = cpu_to_le32(le32_to_cpu(*(var)) + (val)))
#define le16_add_cpu(var, val) (*(var) = cpu_to_le16(le16_to_cpu(*(var)) + (val)))
/* integer constant expressions, as the UAPI headers (tcp.h's flag words) need them */
#define ___constant_swab16(x) ((u16)((((u16)(x) & 0x00ffU) << 8) | (((u16)(x) & 0xff00U) >> 8)))
#define ___constant_swab32(x)                                                                 \
	((u32)((((u32)(x) & 0x000000ffUL) << 24) | (((u32)(x) & 0x0000ff00UL) << 8) |          \
	       (((u32)(x) & 0x00ff0000UL) >> 8) | (((u32)(x) & 0xff000000UL) >> 24)))
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define __constant_htonl(x) ((__be32)___constant_swab32(x))
#define __constant_htons(x) ((__be16)___constant_swab16(x))
#define __constant_cpu_to_le32(x) ((__le32)(u32)(x))
#define __constant_cpu_to_le16(x) ((__le16)(u16)(x))
#else
#define __constant_htonl(x) ((__be32)(u32)(x))
#define __constant_htons(x) ((__be16)(u16)(x))
#define __constant_cpu_to_le32(x) ((__le32)___constant_swab32(x))
#define __constant_cpu_to_le16(x) ((__le16)___constant_swab16(x))
#endif
#define __constant_ntohl(x) ((u32)__constant_htonl(x))
#define __constant_ntohs(x) ((u16)__constant_htons(x))
#define __constant_cpu_to_be32(x) __constant_htonl(x)
#define __constant_cpu_to_be16(x) __constant_htons(x)
#define __constant_be32_to_cpu(x) __constant_ntohl(x)
#define __constant_be16_to_cpu(x) __constant_ntohs(x)
#define __cpu_to_be32 cpu_to_be32
#define __be32_to_cpu be32_to_cpu
#define __cpu_to_be16 cpu_to_be16
#define __be16_to_cpu be16_to_cpu
#define __cpu_to_le32 cpu_to_le32
#define __le32_to_cpu le32_to_cpu
#define __cpu_to_le16 cpu_to_le16
#define __le16_to_cpu le16_to_cpu
#define __cpu_to_le64 cpu_to_le64
#define __le64_to_cpu le64_to_cpu

#endif
