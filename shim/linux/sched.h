/* SPDX-License-Identifier: MIT */
/* <linux/sched.h> — only what timed waits need. */
#ifndef _DMASAN_SHIM_LINUX_SCHED_H
#define _DMASAN_SHIM_LINUX_SCHED_H

#include <limits.h>

/* A timeout (in jiffies) that never expires. */
#define MAX_SCHEDULE_TIMEOUT LONG_MAX

#endif
