/* SPDX-License-Identifier: MIT */
/* <asm/unaligned.h> — older kernels' name for <linux/unaligned.h>. */
#include <linux/unaligned.h>
