/* SPDX-License-Identifier: MIT */
/*
 * <linux/kernel.h> — the grab-bag header: container_of, ARRAY_SIZE, min/max/clamp, ALIGN and
 * rounding, bit helpers, WARN/BUG, printk, byte order, might_sleep and friends.
 */
#ifndef _DMASAN_SHIM_LINUX_KERNEL_H
#define _DMASAN_SHIM_LINUX_KERNEL_H

#include <linux/rcupdate.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <asm/barrier.h>
#include <asm/byteorder.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/align.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/container_of.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/printk.h>

#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]) + __must_be_array(arr))

#define U8_MAX ((u8)~0U)
#define S8_MAX ((s8)(U8_MAX >> 1))
#define S8_MIN ((s8)(-S8_MAX - 1))
#define U16_MAX ((u16)~0U)
#define S16_MAX ((s16)(U16_MAX >> 1))
#define S16_MIN ((s16)(-S16_MAX - 1))
#define U32_MAX ((u32)~0U)
#define S32_MAX ((s32)(U32_MAX >> 1))
#define S32_MIN ((s32)(-S32_MAX - 1))
#define U64_MAX ((u64)~0ULL)
#define S64_MAX ((s64)(U64_MAX >> 1))
#define S64_MIN ((s64)(-S64_MAX - 1))

#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_16_bits(n) ((u16)((n) >> 16))
#define lower_16_bits(n) ((u16)((n) & 0xffff))

#define FIELD_SIZEOF(t, f) (sizeof(((t *)0)->f))
#define sizeof_field(TYPE, MEMBER) sizeof((((TYPE *)0)->MEMBER))
#define offsetofend(TYPE, MEMBER) (offsetof(TYPE, MEMBER) + sizeof_field(TYPE, MEMBER))

/* Scheduling context does not exist here: these are annotations. */
#define might_sleep() do {} while (0)
#define might_sleep_if(cond) do {} while (0)
#define in_interrupt() 0
#define in_atomic() 0
#define in_task() 1
#define irqs_disabled() 0
#define lockdep_assert_held(l) ((void)(l))
#define lockdep_assert_held_once(l) ((void)(l))
#define lockdep_assert_not_held(l) ((void)(l))
#define num_online_cpus() 1U
#define num_possible_cpus() 1U
#define smp_processor_id() 0
#define raw_smp_processor_id() 0
#define get_cpu() 0
#define put_cpu() do {} while (0)
#define preempt_disable() barrier()
#define preempt_enable() barrier()

#define typecheck(type, x)                                                                    \
	({                                                                                     \
		type __dummy;                                                                  \
		__typeof__(x) __dummy2;                                                        \
		(void)(&__dummy == &__dummy2);                                                 \
		1;                                                                             \
	})

#define scnprintf(buf, size, fmt, ...)                                                        \
	({                                                                                     \
		size_t __sz = (size);                                                          \
		int __n = snprintf(buf, __sz, fmt, ##__VA_ARGS__);                             \
		__sz == 0 ? 0 : (__n < 0 ? 0 : ((size_t)__n >= __sz ? (int)__sz - 1 : __n));   \
	})

#define panic(fmt, ...)                                                                       \
	do {                                                                                   \
		_printk("Kernel panic - not syncing: " fmt, ##__VA_ARGS__);                    \
		BUG();                                                                         \
	} while (0)

#endif
