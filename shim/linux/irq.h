/* SPDX-License-Identifier: MIT */
/* <linux/irq.h> — interrupt lines live in <linux/interrupt.h>. */
#ifndef _DMASAN_SHIM_LINUX_IRQ_H
#define _DMASAN_SHIM_LINUX_IRQ_H
#include <linux/interrupt.h>
#endif
