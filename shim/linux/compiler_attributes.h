/* SPDX-License-Identifier: MIT */
/* <linux/compiler_attributes.h> — the kernel's short names for GCC/Clang attributes. */
#ifndef _DMASAN_SHIM_LINUX_COMPILER_ATTRIBUTES_H
#define _DMASAN_SHIM_LINUX_COMPILER_ATTRIBUTES_H

#ifndef __always_inline /* glibc <sys/cdefs.h> has the same definition */
#define __always_inline inline __attribute__((__always_inline__))
#endif
#define noinline __attribute__((__noinline__))
#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __aligned_largest __attribute__((__aligned__))
#define __maybe_unused __attribute__((__unused__))
#define __always_unused __attribute__((__unused__))
#define __used __attribute__((__used__))
#define __cold __attribute__((__cold__))
#define __hot __attribute__((__hot__))
#define __pure __attribute__((__pure__))
#define __const __attribute__((__const__))
#define __weak __attribute__((__weak__))
#define __noreturn __attribute__((__noreturn__))
#define __must_check __attribute__((__warn_unused_result__))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __scanf(a, b) __attribute__((__format__(scanf, a, b)))
#define __section(s) __attribute__((__section__(s)))
#define __malloc __attribute__((__malloc__))
#define __alias(sym) __attribute__((__alias__(#sym)))
#define __deprecated
#ifndef __counted_by /* the UAPI <linux/stddef.h> may have defined it */
#define __counted_by(member)
#endif
#define __nonstring
#define __assume_aligned(a, ...) __attribute__((__assume_aligned__(a, ##__VA_ARGS__)))
#if defined(__has_attribute) && __has_attribute(__fallthrough__)
#define fallthrough __attribute__((__fallthrough__))
#else
#define fallthrough do {} while (0) /* fallthrough */
#endif

#endif
