/* SPDX-License-Identifier: MIT */
/*
 * dmablk: the "datasheet" of a small NVMe-like storage controller. Commands go into a submission
 * queue and completions come back in a completion queue (both coherent); each command points at
 * an SGL of data segments held in a dma_pool block. The device reads (WRITE command) or writes
 * (READ command) host memory through those segments.
 */
#ifndef DMABLK_HW_H
#define DMABLK_HW_H

#include <linux/types.h>

#define DMABLK_QUEUE_DEPTH 16
#define DMABLK_SECTOR 512
#define DMABLK_DISK_BYTES (1u << 20)
#define DMABLK_MAX_SEGS 32           /* SGL entries per command */
#define DMABLK_MAX_SEG_BYTES 65536   /* the hardware's segment length field is 16 bits + 1 */

enum { DMABLK_OP_READ = 1, DMABLK_OP_WRITE = 2 };

struct dmablk_sgl_entry {
	u64 addr;
	u32 len;
	u32 rsvd;
};

struct dmablk_cmd {
	u16 opcode;
	u16 cid;      /* command id, echoed in the completion */
	u16 nsegs;    /* entries in the SGL */
	u16 rsvd;
	u64 lba;      /* in sectors */
	u64 sgl_addr; /* bus address of the SGL (dma_pool block) */
};

struct dmablk_cqe {
	u16 cid;
	u16 status;   /* 0 ok, DMABLK_STATUS_* */
	u16 phase;    /* flips every pass over the queue */
	u16 rsvd;
};

#define DMABLK_STATUS_DMA_ERROR 0x4 /* a data transfer faulted */
#define DMABLK_STATUS_INVALID 0x2

struct dmablk_regs {
	u32 ctrl;
	u32 sq_lo, sq_hi, cq_lo, cq_hi;
	u32 sq_tail; /* doorbell */
};

#endif
