/* SPDX-License-Identifier: MIT */
/* <asm/irq.h> — interrupt numbers are the test's; see <linux/interrupt.h>. */
#ifndef _DMASAN_SHIM_ASM_IRQ_H
#define _DMASAN_SHIM_ASM_IRQ_H
#include <linux/interrupt.h>
#define NR_IRQS 256
#endif
