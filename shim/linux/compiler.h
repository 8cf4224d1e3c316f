/* SPDX-License-Identifier: MIT */
/*
 * <linux/compiler.h> — branch hints, READ_ONCE/WRITE_ONCE, barrier() and the annotations kernel
 * code carries (sparse address spaces are empty here).
 */
#ifndef _DMASAN_SHIM_LINUX_COMPILER_H
#define _DMASAN_SHIM_LINUX_COMPILER_H

#include <linux/compiler_attributes.h>

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#define barrier() __asm__ __volatile__("" : : : "memory")

/* Single, untorn accesses of naturally aligned scalars (the kernel's guarantee). */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)                                                                    \
	do {                                                                                   \
		*(volatile __typeof__(x) *)&(x) = (val);                                       \
	} while (0)

/* sparse annotations */
#define __iomem
#define __user
#define __kernel
#define __force
#define __rcu
#define __percpu
#define __private
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __acquire(x) (void)0
#define __release(x) (void)0
#define __cond_lock(x, c) (c)
#define __chk_user_ptr(x) (void)0
#define __chk_io_ptr(x) (void)0

#define __same_type(a, b) __builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#define __is_constexpr(x) __builtin_constant_p(x)
/* 0, or a compile error when e is an array-like pointer */
#define __must_be_array(a)                                                                    \
	((int)(sizeof(struct { int : (-!!__same_type((a), &(a)[0])); })))
#define OPTIMIZER_HIDE_VAR(var) __asm__("" : "=r"(var) : "0"(var))
#define RELOC_HIDE(ptr, off) ((__typeof__(ptr))((unsigned long)(ptr) + (off)))
#define __UNIQUE_ID(prefix) __PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)
#define ___PASTE(a, b) a##b
#define __PASTE(a, b) ___PASTE(a, b)
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define data_race(expr) (expr)
#define unreachable() __builtin_unreachable()

#endif
