/* SPDX-License-Identifier: MIT */
/* <linux/time64.h> — time unit constants. */
#ifndef _DMASAN_SHIM_LINUX_TIME64_H
#define _DMASAN_SHIM_LINUX_TIME64_H

#include <linux/types.h>

#define MSEC_PER_SEC 1000L
#define USEC_PER_MSEC 1000L
#define NSEC_PER_USEC 1000L
#define NSEC_PER_MSEC 1000000L
#define USEC_PER_SEC 1000000L
#define NSEC_PER_SEC 1000000000L

typedef s64 time64_t;

#endif
