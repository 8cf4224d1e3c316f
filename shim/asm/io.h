/* SPDX-License-Identifier: MIT */
/* <asm/io.h> — the MMIO accessors and virt_to_phys live in <linux/io.h> and <linux/mm.h>. */
#ifndef _DMASAN_SHIM_ASM_IO_H
#define _DMASAN_SHIM_ASM_IO_H
#include <linux/io.h>
#include <linux/mm.h>
#endif
