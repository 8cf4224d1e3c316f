/* SPDX-License-Identifier: MIT */
/* <linux/once.h> — run a call once per call site (thread-safe). */
#ifndef _DMASAN_SHIM_LINUX_ONCE_H
#define _DMASAN_SHIM_LINUX_ONCE_H

#include <stdbool.h>

#define DO_ONCE(func, ...)                                                                    \
	({                                                                                     \
		static int __done_once;                                                        \
		bool __ran = !__atomic_exchange_n(&__done_once, 1, __ATOMIC_ACQ_REL);          \
		if (__ran)                                                                     \
			func(__VA_ARGS__);                                                     \
		__ran;                                                                         \
	})
#define DO_ONCE_SLEEPABLE DO_ONCE
#define DO_ONCE_LITE(func, ...) ((void)DO_ONCE(func, ##__VA_ARGS__))
#define DO_ONCE_LITE_IF(cond, func, ...)                                                      \
	({                                                                                     \
		bool __c = !!(cond);                                                           \
		if (__c)                                                                       \
			DO_ONCE_LITE(func, ##__VA_ARGS__);                                     \
		__c;                                                                           \
	})

#endif
