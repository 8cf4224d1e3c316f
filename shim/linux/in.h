/* SPDX-License-Identifier: MIT */
/*
 * <linux/in.h> — Internet addresses and protocol numbers: the UAPI header, taken after the C
 * library's <netinet/in.h> so the two agree on what each defines (linux/libc-compat.h).
 */
#ifndef _DMASAN_SHIM_LINUX_IN_H
#define _DMASAN_SHIM_LINUX_IN_H

#include <netinet/in.h>
#include_next <linux/in.h>

#endif
