/* SPDX-License-Identifier: MIT */
/*
 * <linux/atomic.h> — atomic_t, atomic64_t, atomic_long_t. Value-returning operations are fully
 * ordered and plain read/set/inc/dec are relaxed, as the kernel's memory model specifies.
 * The kernel's names (atomic_fetch_add, ...) collide with C11 <stdatomic.h>: a file can use one
 * or the other, as in the kernel, where <stdatomic.h> does not exist.
 */
#ifndef _DMASAN_SHIM_LINUX_ATOMIC_H
#define _DMASAN_SHIM_LINUX_ATOMIC_H

#include <asm/barrier.h>
#include <linux/types.h>
#include <linux/compiler.h>

#define ATOMIC_INIT(i) { (i) }
#define ATOMIC64_INIT(i) { (i) }
#define ATOMIC_LONG_INIT(i) { (i) }

#define __KDMA_ATOMIC_OPS(pfx, atype, ctype)                                                  \
	static inline ctype pfx##_read(const atype *v)                                         \
	{                                                                                      \
		return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);                         \
	}                                                                                      \
	static inline ctype pfx##_read_acquire(const atype *v)                                 \
	{                                                                                      \
		return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE);                         \
	}                                                                                      \
	static inline void pfx##_set(atype *v, ctype i)                                        \
	{                                                                                      \
		__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);                            \
	}                                                                                      \
	static inline void pfx##_set_release(atype *v, ctype i)                                \
	{                                                                                      \
		__atomic_store_n(&v->counter, i, __ATOMIC_RELEASE);                            \
	}                                                                                      \
	static inline void pfx##_add(ctype i, atype *v)                                        \
	{                                                                                      \
		__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);                          \
	}                                                                                      \
	static inline void pfx##_sub(ctype i, atype *v)                                        \
	{                                                                                      \
		__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED);                          \
	}                                                                                      \
	static inline void pfx##_inc(atype *v)                                                 \
	{                                                                                      \
		pfx##_add(1, v);                                                               \
	}                                                                                      \
	static inline void pfx##_dec(atype *v)                                                 \
	{                                                                                      \
		pfx##_sub(1, v);                                                               \
	}                                                                                      \
	static inline ctype pfx##_add_return(ctype i, atype *v)                                \
	{                                                                                      \
		return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);                   \
	}                                                                                      \
	static inline ctype pfx##_sub_return(ctype i, atype *v)                                \
	{                                                                                      \
		return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST);                   \
	}                                                                                      \
	static inline ctype pfx##_fetch_add(ctype i, atype *v)                                 \
	{                                                                                      \
		return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST);                   \
	}                                                                                      \
	static inline ctype pfx##_fetch_sub(ctype i, atype *v)                                 \
	{                                                                                      \
		return __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST);                   \
	}                                                                                      \
	static inline ctype pfx##_fetch_or(ctype i, atype *v)                                  \
	{                                                                                      \
		return __atomic_fetch_or(&v->counter, i, __ATOMIC_SEQ_CST);                    \
	}                                                                                      \
	static inline ctype pfx##_fetch_and(ctype i, atype *v)                                 \
	{                                                                                      \
		return __atomic_fetch_and(&v->counter, i, __ATOMIC_SEQ_CST);                   \
	}                                                                                      \
	static inline void pfx##_or(ctype i, atype *v)                                         \
	{                                                                                      \
		__atomic_fetch_or(&v->counter, i, __ATOMIC_RELAXED);                           \
	}                                                                                      \
	static inline void pfx##_and(ctype i, atype *v)                                        \
	{                                                                                      \
		__atomic_fetch_and(&v->counter, i, __ATOMIC_RELAXED);                          \
	}                                                                                      \
	static inline ctype pfx##_inc_return(atype *v)                                         \
	{                                                                                      \
		return pfx##_add_return(1, v);                                                 \
	}                                                                                      \
	static inline ctype pfx##_dec_return(atype *v)                                         \
	{                                                                                      \
		return pfx##_sub_return(1, v);                                                 \
	}                                                                                      \
	static inline bool pfx##_dec_and_test(atype *v)                                        \
	{                                                                                      \
		return pfx##_sub_return(1, v) == 0;                                            \
	}                                                                                      \
	static inline bool pfx##_inc_and_test(atype *v)                                        \
	{                                                                                      \
		return pfx##_add_return(1, v) == 0;                                            \
	}                                                                                      \
	static inline bool pfx##_sub_and_test(ctype i, atype *v)                               \
	{                                                                                      \
		return pfx##_sub_return(i, v) == 0;                                            \
	}                                                                                      \
	static inline ctype pfx##_xchg(atype *v, ctype i)                                      \
	{                                                                                      \
		return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST);                  \
	}                                                                                      \
	static inline ctype pfx##_cmpxchg(atype *v, ctype old, ctype new_)                     \
	{                                                                                      \
		__atomic_compare_exchange_n(&v->counter, &old, new_, false, __ATOMIC_SEQ_CST,  \
					    __ATOMIC_SEQ_CST);                                 \
		return old;                                                                    \
	}                                                                                      \
	static inline bool pfx##_try_cmpxchg(atype *v, ctype *old, ctype new_)                 \
	{                                                                                      \
		return __atomic_compare_exchange_n(&v->counter, old, new_, false,              \
						   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);        \
	}                                                                                      \
	static inline bool pfx##_add_unless(atype *v, ctype a, ctype u)                        \
	{                                                                                      \
		ctype c = pfx##_read(v);                                                       \
		do {                                                                           \
			if (c == u)                                                            \
				return false;                                                  \
		} while (!pfx##_try_cmpxchg(v, &c, c + a));                                    \
		return true;                                                                   \
	}                                                                                      \
	static inline bool pfx##_inc_not_zero(atype *v)                                        \
	{                                                                                      \
		return pfx##_add_unless(v, 1, 0);                                              \
	}

__KDMA_ATOMIC_OPS(atomic, atomic_t, int)
__KDMA_ATOMIC_OPS(atomic64, atomic64_t, s64)
__KDMA_ATOMIC_OPS(atomic_long, atomic_long_t, long)

#define xchg(ptr, v) __atomic_exchange_n(ptr, v, __ATOMIC_SEQ_CST)
#define cmpxchg(ptr, old, new_)                                                               \
	({                                                                                     \
		__typeof__(*(ptr)) __old = (old);                                              \
		__atomic_compare_exchange_n(ptr, &__old, new_, false, __ATOMIC_SEQ_CST,        \
					    __ATOMIC_SEQ_CST);                                 \
		__old;                                                                         \
	})
#define try_cmpxchg(ptr, oldp, new_)                                                          \
	__atomic_compare_exchange_n(ptr, oldp, new_, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

#endif
