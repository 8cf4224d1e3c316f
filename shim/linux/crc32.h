/* SPDX-License-Identifier: MIT */
/* <linux/crc32.h> — the CRC-32 of Ethernet (polynomial 0x04c11db7), bit by bit. */
#ifndef _DMASAN_SHIM_LINUX_CRC32_H
#define _DMASAN_SHIM_LINUX_CRC32_H

#include <stddef.h>

#include <linux/types.h>

/* Little-endian (reflected) form, as lib/crc32.c's crc32_le: no pre- or post-inversion. */
static inline u32 crc32_le(u32 crc, const void *p, size_t len)
{
	const u8 *b = p;

	while (len--) {
		crc ^= *b++;
		for (int i = 0; i < 8; i++)
			crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
	}
	return crc;
}

static inline u32 crc32_be(u32 crc, const void *p, size_t len)
{
	const u8 *b = p;

	while (len--) {
		crc ^= (u32)*b++ << 24;
		for (int i = 0; i < 8; i++)
			crc = (crc << 1) ^ (0x04c11db7U & -(crc >> 31));
	}
	return crc;
}

#define crc32(seed, data, length) crc32_le(seed, (const unsigned char *)(data), length)
#define ether_crc(length, data) crc32_be(~0U, data, length)
#define ether_crc_le(length, data) crc32_le(~0U, data, length)

#endif
