/* SPDX-License-Identifier: MIT */
/* <linux/bitfield.h> — FIELD_PREP/FIELD_GET for register and descriptor fields. */
#ifndef _DMASAN_SHIM_LINUX_BITFIELD_H
#define _DMASAN_SHIM_LINUX_BITFIELD_H

#include <asm/byteorder.h>
#include <linux/bits.h>

#define __bf_shf(x) (__builtin_ffsll(x) - 1)
#define FIELD_MAX(mask) ((__typeof__(mask))((mask) >> __bf_shf(mask)))
#define FIELD_FIT(mask, val) (!((((__typeof__(mask))(val)) << __bf_shf(mask)) & ~(mask)))
#define FIELD_PREP(mask, val) ((((__typeof__(mask))(val)) << __bf_shf(mask)) & (mask))
#define FIELD_GET(mask, reg) ((__typeof__(mask))(((reg) & (mask)) >> __bf_shf(mask)))
#define FIELD_MODIFY(mask, reg_p, val)                                                        \
	(*(reg_p) = (*(reg_p) & ~(mask)) | FIELD_PREP(mask, val))

#define u32_encode_bits(v, field) FIELD_PREP((u32)(field), v)
#define u32_get_bits(v, field) FIELD_GET((u32)(field), v)
#define le32_encode_bits(v, field) cpu_to_le32(FIELD_PREP((u32)(field), v))
#define le32_get_bits(v, field) FIELD_GET((u32)(field), le32_to_cpu(v))

#endif
