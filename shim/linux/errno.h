/* SPDX-License-Identifier: MIT */
/*
 * <linux/errno.h> — kernel error numbers: the UAPI ones from <asm/errno.h> (the values the C
 * library's <errno.h> uses too: glibc's <errno.h> includes this very header), plus the
 * kernel-internal ones (512..) that never reach userspace.
 */
#ifndef _DMASAN_SHIM_LINUX_ERRNO_H
#define _DMASAN_SHIM_LINUX_ERRNO_H

#include <asm/errno.h>

#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ENOIOCTLCMD 515
#define ERESTART_RESTARTBLOCK 516
#define EPROBE_DEFER 517
#define EOPENSTALE 518
#define ENOPARAM 519
#define EBADHANDLE 521
#define ENOTSYNC 522
#define EBADCOOKIE 523
#define ENOTSUPP 524
#define ETOOSMALL 525
#define ESERVERFAULT 526
#define EBADTYPE 527
#define EJUKEBOX 528
#define EIOCBQUEUED 529
#define ERECALLCONFLICT 530
#define ENOGRACE 531

#endif
