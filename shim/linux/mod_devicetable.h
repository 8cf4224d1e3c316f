/* SPDX-License-Identifier: MIT */
/* <linux/mod_devicetable.h> — device id tables drivers declare. */
#ifndef _DMASAN_SHIM_LINUX_MOD_DEVICETABLE_H
#define _DMASAN_SHIM_LINUX_MOD_DEVICETABLE_H

#include <linux/types.h>

#define PCI_ANY_ID (~0U)
typedef unsigned long kernel_ulong_t;

struct pci_device_id {
	u32 vendor, device;
	u32 subvendor, subdevice;
	u32 class, class_mask;
	kernel_ulong_t driver_data;
	u32 override_only;
};

struct of_device_id {
	char name[32];
	char type[32];
	char compatible[128];
	const void *data;
};

struct platform_device_id {
	char name[20];
	kernel_ulong_t driver_data;
};

#endif
