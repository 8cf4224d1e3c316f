/* SPDX-License-Identifier: MIT */
/*
 * <linux/bug.h> — WARN*, BUG*. A WARN prints "WARNING: at file:line" (and the message) on stderr
 * and continues, returning the condition; BUG prints and aborts, as an oops would end the task.
 * The *_ONCE forms warn once per call site, thread-safely.
 */
#ifndef _DMASAN_SHIM_LINUX_BUG_H
#define _DMASAN_SHIM_LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/printk.h>

/* src/kdma/base/printk.c. fmt may be NULL (plain WARN_ON). */
void kdma_warn_slowpath(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void kdma_bug(const char *file, int line, const char *func) __attribute__((noreturn));

#define __WARN() kdma_warn_slowpath(__FILE__, __LINE__, NULL)
#define __WARN_printf(taint, fmt, ...) kdma_warn_slowpath(__FILE__, __LINE__, fmt, ##__VA_ARGS__)

#define WARN_ON(condition)                                                                    \
	({                                                                                     \
		int __ret_warn_on = !!(condition);                                             \
		if (unlikely(__ret_warn_on))                                                   \
			__WARN();                                                              \
		unlikely(__ret_warn_on);                                                       \
	})

#define WARN(condition, fmt, ...)                                                             \
	({                                                                                     \
		int __ret_warn_on = !!(condition);                                             \
		if (unlikely(__ret_warn_on))                                                   \
			__WARN_printf(0, fmt, ##__VA_ARGS__);                                  \
		unlikely(__ret_warn_on);                                                       \
	})

#define WARN_TAINT(condition, taint, fmt, ...) WARN(condition, fmt, ##__VA_ARGS__)

/* True the first time a site gets here (per call site; atomic so two threads do not both warn). */
#define __KDMA_FIRST_TIME()                                                                   \
	({                                                                                     \
		static bool __already;                                                         \
		!__atomic_exchange_n(&__already, true, __ATOMIC_RELAXED);                      \
	})

#define WARN_ON_ONCE(condition)                                                               \
	({                                                                                     \
		int __ret_warn_once = !!(condition);                                           \
		if (unlikely(__ret_warn_once) && __KDMA_FIRST_TIME())                          \
			__WARN();                                                              \
		unlikely(__ret_warn_once);                                                     \
	})

#define WARN_ONCE(condition, fmt, ...)                                                        \
	({                                                                                     \
		int __ret_warn_once = !!(condition);                                           \
		if (unlikely(__ret_warn_once) && __KDMA_FIRST_TIME())                          \
			__WARN_printf(0, fmt, ##__VA_ARGS__);                                  \
		unlikely(__ret_warn_once);                                                     \
	})

#define WARN_TAINT_ONCE(condition, taint, fmt, ...) WARN_ONCE(condition, fmt, ##__VA_ARGS__)

#define BUG() kdma_bug(__FILE__, __LINE__, __func__)
#define BUG_ON(condition)                                                                     \
	do {                                                                                   \
		if (unlikely(condition))                                                       \
			BUG();                                                                 \
	} while (0)

#define BUILD_BUG_ON_MSG(cond, msg)                                                           \
	do {                                                                                   \
		_Static_assert(!(cond), msg);                                                  \
	} while (0)
#define BUILD_BUG_ON(condition) BUILD_BUG_ON_MSG(condition, "BUILD_BUG_ON failed: " #condition)
#define BUILD_BUG() BUILD_BUG_ON_MSG(1, "BUILD_BUG failed")
/* Usable in expressions: 0, or a compile error (negative-width bit-field). */
#define BUILD_BUG_ON_ZERO(e) ((int)(sizeof(struct { int : (-!!(e)); })))

#endif
