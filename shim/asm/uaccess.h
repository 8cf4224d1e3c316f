/* SPDX-License-Identifier: MIT */
#ifndef _DMASAN_SHIM_ASM_UACCESS_H
#define _DMASAN_SHIM_ASM_UACCESS_H
#include <linux/uaccess.h>
#endif
