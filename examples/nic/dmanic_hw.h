/* SPDX-License-Identifier: MIT */
/*
 * dmanic: the "datasheet" of a simple Ethernet controller shared by the driver (dmanic.c) and the
 * device model (dmanic_model.c). Descriptor rings live in coherent memory; packet buffers are
 * streaming-mapped. The device owns a descriptor until it sets DD.
 */
#ifndef DMANIC_HW_H
#define DMANIC_HW_H

#include <linux/types.h>

#define DMANIC_RING_SIZE 32   /* descriptors per ring (power of two) */
#define DMANIC_RX_BUF_SIZE 2048
#define DMANIC_COPYBREAK 256  /* smaller RX packets are copied and the buffer reused */

struct dmanic_desc {
	u64 addr;  /* bus address of the packet buffer */
	u16 len;   /* TX: bytes to send; RX: bytes received (written by the device) */
	u16 flags; /* DMANIC_DESC_* */
	u32 rsvd;
};

#define DMANIC_DESC_DD 0x0001  /* descriptor done: written by the device */
#define DMANIC_DESC_EOP 0x0002 /* end of packet */

/* Register block (MMIO, modelled as shared memory accessed with readl/writel). */
struct dmanic_regs {
	u32 ctrl;       /* DMANIC_CTRL_* */
	u32 tx_ring_lo; /* TX descriptor ring bus address */
	u32 tx_ring_hi;
	u32 rx_ring_lo;
	u32 rx_ring_hi;
	u32 tx_tail;    /* driver: index after the last descriptor handed to the device */
	u32 rx_tail;    /* driver: index after the last RX buffer handed to the device */
	u32 irq_status; /* device: DMANIC_IRQ_* (write 1 to clear) */
};

#define DMANIC_CTRL_ENABLE 0x1
#define DMANIC_IRQ_TX 0x1
#define DMANIC_IRQ_RX 0x2

#endif
