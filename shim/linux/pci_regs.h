/* SPDX-License-Identifier: MIT */
/* <linux/pci_regs.h> — the kernel's is a UAPI header: the C library's copy is that header. */
#ifndef _DMASAN_SHIM_LINUX_PCI_REGS_H
#define _DMASAN_SHIM_LINUX_PCI_REGS_H
#include_next <linux/pci_regs.h>
#endif
