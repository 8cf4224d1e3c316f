/* SPDX-License-Identifier: MIT */
/* <linux/random.h> — random bytes from the host's getrandom(). */
#ifndef _DMASAN_SHIM_LINUX_RANDOM_H
#define _DMASAN_SHIM_LINUX_RANDOM_H

#include <stddef.h>
#include <sys/random.h>

#include <linux/types.h>

static inline void get_random_bytes(void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = getrandom((char *)buf + done, len - done, 0);

		if (n > 0)
			done += (size_t)n;
	}
}

static inline u32 get_random_u32(void)
{
	u32 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

static inline u64 get_random_u64(void)
{
	u64 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

#define prandom_u32() get_random_u32()
#define get_random_int() get_random_u32()

#endif
