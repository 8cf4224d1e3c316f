/* SPDX-License-Identifier: MIT */
/* <linux/pci_ids.h> — vendor ids of the drivers run here (add as drivers need them). */
#ifndef _DMASAN_SHIM_LINUX_PCI_IDS_H
#define _DMASAN_SHIM_LINUX_PCI_IDS_H

#define PCI_VENDOR_ID_TI 0x104c
#define PCI_DEVICE_ID_TI_DRA74x 0xb500
#define PCI_DEVICE_ID_TI_DRA72x 0xb501
#define PCI_DEVICE_ID_TI_J721E 0xb00d
#define PCI_VENDOR_ID_REALTEK 0x10ec
#define PCI_VENDOR_ID_INTEL 0x8086
#define PCI_VENDOR_ID_FREESCALE 0x1957
#define PCI_VENDOR_ID_RENESAS 0x1912
#define PCI_VENDOR_ID_XILINX 0x10ee
#define PCI_VENDOR_ID_SYNOPSYS 0x16c3
#define PCI_DEVICE_ID_SYNOPSYS_EDDA 0xedda
#define PCI_VENDOR_ID_ROCKCHIP 0x1d87

#endif
