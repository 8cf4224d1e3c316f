/* SPDX-License-Identifier: MIT */
/*
 * <linux/bitops.h> — bit operations on unsigned long arrays. set_bit/clear_bit/change_bit and
 * the test_and_* forms are atomic (the kernel's guarantee); the __ forms are not. Also the
 * find_*_bit searches (<linux/find.h>) and the fls/ffs family.
 */
#ifndef _DMASAN_SHIM_LINUX_BITOPS_H
#define _DMASAN_SHIM_LINUX_BITOPS_H

#include <strings.h> /* ffs(): the C library's has the kernel's semantics */

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/compiler.h>

static inline void set_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline void change_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_xor(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_RELAXED);
}

/* The value-returning atomics are fully ordered, as in the kernel. */
static inline bool test_and_set_bit(long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

static inline bool test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_SEQ_CST) &
	       BIT_MASK(nr);
}

static inline bool test_and_change_bit(long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_xor(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST) &
	       BIT_MASK(nr);
}

static inline bool test_and_set_bit_lock(long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_ACQUIRE) & BIT_MASK(nr);
}

static inline void clear_bit_unlock(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_RELEASE);
}

static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return (__atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_RELAXED) >> (nr % BITS_PER_LONG)) & 1;
}

static inline bool test_bit_acquire(long nr, const volatile unsigned long *addr)
{
	return (__atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_ACQUIRE) >> (nr % BITS_PER_LONG)) & 1;
}

static inline void __set_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline void __change_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] ^= BIT_MASK(nr);
}

static inline bool __test_and_set_bit(long nr, volatile unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	__set_bit(nr, addr);
	return old;
}

static inline bool __test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	__clear_bit(nr, addr);
	return old;
}

static inline void assign_bit(long nr, volatile unsigned long *addr, bool value)
{
	if (value)
		set_bit(nr, addr);
	else
		clear_bit(nr, addr);
}

static inline void __assign_bit(long nr, volatile unsigned long *addr, bool value)
{
	if (value)
		__set_bit(nr, addr);
	else
		__clear_bit(nr, addr);
}

/* fls: last (most significant) set bit, 1-based; 0 for 0. ffs: first set bit, 1-based. */
static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline int fls_long(unsigned long x)
{
	return fls64(x);
}

/* 0-based; undefined for 0, as in the kernel. */
static inline unsigned long __ffs(unsigned long word)
{
	return (unsigned long)__builtin_ctzl(word);
}

static inline unsigned long __fls(unsigned long word)
{
	return 63UL - (unsigned long)__builtin_clzl(word);
}

static inline unsigned long __ffs64(u64 word)
{
	return (unsigned long)__builtin_ctzll(word);
}

#define ffz(x) __ffs(~(x))

/* Macros over the builtins: constant arguments stay constant expressions (array sizes). */
#define hweight8(w) ((unsigned int)__builtin_popcount((unsigned int)(w) & 0xffu))
#define hweight16(w) ((unsigned int)__builtin_popcount((unsigned int)(w) & 0xffffu))
#define hweight32(w) ((unsigned int)__builtin_popcount((unsigned int)(w)))
#define hweight64(w) ((unsigned long)__builtin_popcountll((unsigned long long)(w)))
#define hweight_long(w) ((unsigned long)__builtin_popcountl((unsigned long)(w)))

static inline u32 rol32(u32 word, unsigned int shift)
{
	return (word << (shift & 31)) | (word >> ((-shift) & 31));
}

static inline u32 ror32(u32 word, unsigned int shift)
{
	return (word >> (shift & 31)) | (word << ((-shift) & 31));
}

static inline int get_count_order(unsigned int count)
{
	return count == 0 ? -1 : fls(count - 1);
}

/* Bit searches: return size when nothing is found. */
static inline unsigned long kdma_find_bit(const unsigned long *addr, unsigned long size,
					  unsigned long start, bool zero)
{
	while (start < size) {
		unsigned long word = addr[BIT_WORD(start)];

		if (zero)
			word = ~word;
		word &= ~0UL << (start % BITS_PER_LONG);
		if (word) {
			start = (start & ~(unsigned long)(BITS_PER_LONG - 1)) + __ffs(word);
			return start < size ? start : size;
		}
		start = (start | (BITS_PER_LONG - 1)) + 1;
	}
	return size;
}

static inline unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
					  unsigned long offset)
{
	return kdma_find_bit(addr, size, offset, false);
}

static inline unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
					       unsigned long offset)
{
	return kdma_find_bit(addr, size, offset, true);
}

#define find_first_bit(addr, size) find_next_bit((addr), (size), 0)
#define find_first_zero_bit(addr, size) find_next_zero_bit((addr), (size), 0)

static inline unsigned long find_last_bit(const unsigned long *addr, unsigned long size)
{
	unsigned long i;

	for (i = size; i-- > 0;)
		if (test_bit((long)i, addr))
			return i;
	return size;
}

#define for_each_set_bit(bit, addr, size)                                                     \
	for ((bit) = find_first_bit((addr), (size)); (bit) < (size);                           \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))
#define for_each_set_bit_from(bit, addr, size)                                                \
	for ((bit) = find_next_bit((addr), (size), (bit)); (bit) < (size);                     \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))
#define for_each_clear_bit(bit, addr, size)                                                   \
	for ((bit) = find_first_zero_bit((addr), (size)); (bit) < (size);                      \
	     (bit) = find_next_zero_bit((addr), (size), (bit) + 1))

#endif
