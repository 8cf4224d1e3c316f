/* SPDX-License-Identifier: MIT */
/* <linux/init.h> — section annotations (no meaning in userspace). */
#ifndef _DMASAN_SHIM_LINUX_INIT_H
#define _DMASAN_SHIM_LINUX_INIT_H

#define __init
#define __exit
#define __initdata
#define __initconst
#define __exitdata
#define __devinit
#define __devexit
#define __refdata
#define __ref

#endif
