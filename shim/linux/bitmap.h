/* SPDX-License-Identifier: MIT */
/* <linux/bitmap.h> — bitmaps of unsigned longs: allocation, ranges, searches, regions. */
#ifndef _DMASAN_SHIM_LINUX_BITMAP_H
#define _DMASAN_SHIM_LINUX_BITMAP_H

#include <string.h>

#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/slab.h>

#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

static inline unsigned long *bitmap_alloc(unsigned int nbits, gfp_t flags)
{
	return (unsigned long *)kmalloc_array(BITS_TO_LONGS(nbits), sizeof(unsigned long), flags);
}

static inline unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags)
{
	return bitmap_alloc(nbits, flags | __GFP_ZERO);
}

static inline void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0xff, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{
	memcpy(dst, src, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int len)
{
	while (len--)
		__set_bit(start++, map);
}

static inline void bitmap_clear(unsigned long *map, unsigned int start, unsigned int len)
{
	while (len--)
		__clear_bit(start++, map);
}

static inline unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits)
{
	unsigned int i, w = 0;

	for (i = 0; i < nbits; i++)
		w += test_bit(i, src);
	return w;
}

static inline bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{
	return find_first_bit(src, nbits) == nbits;
}

static inline bool bitmap_full(const unsigned long *src, unsigned int nbits)
{
	return find_first_zero_bit(src, nbits) == nbits;
}

/* First index >= start of nr clear bits whose index satisfies (index & align_mask) == 0
 * (relative to align_offset); size or more when there is none (lib/bitmap.c). */
static inline unsigned long bitmap_find_next_zero_area_off(unsigned long *map, unsigned long size,
							   unsigned long start, unsigned int nr,
							   unsigned long align_mask,
							   unsigned long align_offset)
{
	unsigned long index, end, i;
again:
	index = find_next_zero_bit(map, size, start);
	index = ((index + align_offset + align_mask) & ~align_mask) - align_offset;
	end = index + nr;
	if (end > size)
		return end;
	i = find_next_bit(map, end, index);
	if (i < end) {
		start = i + 1;
		goto again;
	}
	return index;
}

static inline unsigned long bitmap_find_next_zero_area(unsigned long *map, unsigned long size,
						       unsigned long start, unsigned int nr,
						       unsigned long align_mask)
{
	return bitmap_find_next_zero_area_off(map, size, start, nr, align_mask, 0);
}

/* Naturally aligned regions of 2^order bits (kernel/dma/coherent.c uses these). */
static inline int bitmap_find_free_region(unsigned long *bitmap, unsigned int bits, int order)
{
	unsigned int pos, len = 1u << order;

	for (pos = 0; pos + len <= bits; pos += len) {
		if (find_next_bit(bitmap, pos + len, pos) >= pos + len) {
			bitmap_set(bitmap, pos, len);
			return (int)pos;
		}
	}
	return -ENOMEM;
}

static inline void bitmap_release_region(unsigned long *bitmap, unsigned int pos, int order)
{
	bitmap_clear(bitmap, pos, 1u << order);
}

static inline int bitmap_allocate_region(unsigned long *bitmap, unsigned int pos, int order)
{
	unsigned int len = 1u << order;

	if (find_next_bit(bitmap, pos + len, pos) < pos + len)
		return -EBUSY;
	bitmap_set(bitmap, pos, len);
	return 0;
}

#endif
