/* SPDX-License-Identifier: MIT */
/* <linux/printk.h> — printk and pr_* on stderr, with the kernel's level prefixes. */
#ifndef _DMASAN_SHIM_LINUX_PRINTK_H
#define _DMASAN_SHIM_LINUX_PRINTK_H

#include <stdbool.h>

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_CONT KERN_SOH "c"

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

int _printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define printk(fmt, ...) _printk(fmt, ##__VA_ARGS__)

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
/* Compiled out, but arguments stay "used" and the format is still checked (kernel no_printk). */
#define no_printk(fmt, ...)                                                                   \
	({                                                                                     \
		if (0)                                                                         \
			_printk(fmt, ##__VA_ARGS__);                                           \
		0;                                                                             \
	})
#define pr_debug(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_devel(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_ratelimited pr_err
#define pr_warn_ratelimited pr_warn
#define pr_info_ratelimited pr_info

/* Once per call site, thread-safely (the flag is claimed with an atomic exchange). */
#define printk_once(fmt, ...)                                                                 \
	({                                                                                     \
		static bool __print_once;                                                      \
		bool __ret_print_once = !__atomic_exchange_n(&__print_once, true,              \
							     __ATOMIC_RELAXED);                \
		if (__ret_print_once)                                                          \
			printk(fmt, ##__VA_ARGS__);                                            \
		__ret_print_once;                                                              \
	})
#define pr_emerg_once(fmt, ...) printk_once(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert_once(fmt, ...) printk_once(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit_once(fmt, ...) printk_once(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_once(fmt, ...) printk_once(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_once(fmt, ...) printk_once(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice_once(fmt, ...) printk_once(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info_once(fmt, ...) printk_once(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug_once pr_debug
#define printk_ratelimited printk
#define pr_notice_ratelimited pr_notice
#define pr_debug_ratelimited pr_debug
#define printk_ratelimit() 1
#define pr_warning pr_warn

/* A shim function that does nothing here says so once, naming itself (docs/porting.md). */
void kdma_stub_called(const char *fn);
#define KDMA_STUB_ONCE(fn)                                                                    \
	do {                                                                                   \
		static int __kdma_stub_said;                                                   \
		if (!__atomic_exchange_n(&__kdma_stub_said, 1, __ATOMIC_RELAXED))              \
			kdma_stub_called(fn);                                                  \
	} while (0)

#endif
