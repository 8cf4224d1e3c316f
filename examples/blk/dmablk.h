/* SPDX-License-Identifier: MIT */
#ifndef DMABLK_H
#define DMABLK_H

#include <linux/types.h>

struct device;
struct dmablk_regs;
struct dmablk_ctrl;

/* Real-world bugs the driver can contain, selected at run time (each after a fix in a real kernel driver). */
enum dmablk_bug {
	DMABLK_BUG_NONE = 0,
	DMABLK_BUG_UNMAP_MAPPED_COUNT, /* dma_unmap_sg with dma_map_sg's return (pch_uart, crypto x4) */
	DMABLK_BUG_PROGRAM_NENTS,      /* SGL built from nents instead of the mapped count */
	DMABLK_BUG_SEG_OVER_LIMIT,     /* max_seg_size never set; 128 KiB segments (venus, dwc3) */
	DMABLK_BUG_READ_TO_DEVICE,     /* READ mapped DMA_TO_DEVICE: the device writes it (igb_avb) */
	DMABLK_BUG__COUNT
};

extern enum dmablk_bug dmablk_bug;
const char *dmablk_bug_name(enum dmablk_bug bug);
int dmablk_bug_parse(const char *name);

struct dmablk_ctrl *dmablk_probe(struct device *dev, struct dmablk_regs *regs);
/* Synchronous I/O on a buffer made of `npages` separately allocated pages (a bio-like request). */
int dmablk_rw(struct dmablk_ctrl *ctrl, int op, u64 lba, struct page **pages, unsigned int npages);
void dmablk_remove(struct dmablk_ctrl *ctrl);

#endif
