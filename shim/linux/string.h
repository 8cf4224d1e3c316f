/* SPDX-License-Identifier: MIT */
/* <linux/string.h> — the C string functions plus the kernel's own names. */
#ifndef _DMASAN_SHIM_LINUX_STRING_H
#define _DMASAN_SHIM_LINUX_STRING_H

#include <string.h>
#include <strings.h>

#include <linux/types.h>
#include <linux/errno.h>

/* Clear memory the compiler must not optimise away (secrets). */
static inline void memzero_explicit(void *s, size_t count)
{
	memset(s, 0, count);
	__asm__ __volatile__("" : : "r"(s) : "memory");
}

/* Copy a NUL-terminated string into dst of size bytes: returns the length copied, or -E2BIG
 * when it had to truncate (dst is always terminated when size > 0). */
static inline ssize_t strscpy(char *dst, const char *src, size_t size)
{
	/* byte by byte, never reading past the terminator: the compiler sees string literals
	 * shorter than size passed here and must not be shown a read of size bytes */
	for (size_t i = 0; i < size; i++) {
		dst[i] = src[i];
		if (!src[i])
			return (ssize_t)i;
	}
	if (size)
		dst[size - 1] = '\0';
	return -E2BIG;
}

/* Like strscpy, with the rest of dst zero-filled. */
static inline ssize_t strscpy_pad(char *dst, const char *src, size_t size)
{
	ssize_t ret = strscpy(dst, src, size);
	size_t used = ret < 0 ? size : (size_t)ret + 1;

	if (used < size)
		memset(dst + used, 0, size - used);
	return ret;
}

/* glibc < 2.38 has no strlcpy; newer ones get ours by name, which behaves the same */
static inline size_t kdma_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len >= size ? size - 1 : len;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
#define strlcpy kdma_strlcpy

static inline void *memset32(u32 *s, u32 v, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		s[i] = v;
	return s;
}

static inline bool mem_is_zero(const void *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static inline bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}

#endif
