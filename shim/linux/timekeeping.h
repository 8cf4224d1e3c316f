/* SPDX-License-Identifier: MIT */
/* <linux/timekeeping.h> — the clocks live in <linux/ktime.h>. */
#ifndef _DMASAN_SHIM_LINUX_TIMEKEEPING_H
#define _DMASAN_SHIM_LINUX_TIMEKEEPING_H

#include <linux/ktime.h>

#endif
