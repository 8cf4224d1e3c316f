// SPDX-License-Identifier: MIT
/* Copies that are no access of the driver's (hwcopy.h): around ASan where it would refuse. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/hwcopy.h"

/* ASan's interface, when the program runs under it (then libasan defines it). */
extern void *__asan_region_is_poisoned(void *beg, size_t size) __attribute__((weak));

static bool asan_refuses(const void *p, size_t len)
{
	return __asan_region_is_poisoned && __asan_region_is_poisoned((void *)p, len);
}

/* Under ThreadSanitizer every such copy is made uninstrumented: it is the device's access, not a
 * program thread's (the sanitizer judges it against the ownership of the memory), and in a buggy
 * program it reaches memory the program already freed, which the sanitizer reports itself. */
#ifdef __SANITIZE_THREAD__
#define HW_RAW_ALWAYS true
#else
#define HW_RAW_ALWAYS false
#endif
#define HW_RAW __attribute__((no_sanitize_address, no_sanitize_thread))

/* volatile: never turned into a call to the intercepted memmove */
static HW_RAW void raw_move(void *dst, const void *src, size_t len)
{
	volatile uint8_t *d = dst;
	const volatile uint8_t *s = src;
	size_t i = 0;

	if (d > s && d < s + len) { /* overlapping, destination above: from the end */
		while (len--)
			d[len] = s[len];
		return;
	}
	if (!(((uintptr_t)d | (uintptr_t)s) & 7) && (d + 8 <= s || s + 8 <= d))
		for (; i + 8 <= len; i += 8)
			*(volatile uint64_t *)(d + i) = *(const volatile uint64_t *)(s + i);
	for (; i < len; i++)
		d[i] = s[i];
}

static HW_RAW void raw_fill(void *dst, int c, size_t len)
{
	volatile uint8_t *d = dst;

	for (size_t i = 0; i < len; i++)
		d[i] = (uint8_t)c;
}

void dmasan_hw_fill(void *dst, int c, size_t len)
{
	if (len && (HW_RAW_ALWAYS || asan_refuses(dst, len)))
		raw_fill(dst, c, len);
	else
		memset(dst, c, len);
}

void dmasan_hw_copy(void *dst, const void *src, size_t len)
{
	if (len && (HW_RAW_ALWAYS || asan_refuses(src, len) || asan_refuses(dst, len)))
		raw_move(dst, src, len);
	else
		memmove(dst, src, len);
}
