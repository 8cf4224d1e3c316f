/* SPDX-License-Identifier: MIT */
/*
 * campipe: the "datasheet" of a SoC with a camera capture engine and a display engine that share
 * frame buffers.
 *
 * Camera: program addr/len/seq and write 1 to start; the engine writes one frame (the sensor's
 * test pattern for seq) to memory, clears start and sets DONE. It raises its frame-done interrupt
 * only while irq_enable is set (drivers enable it when someone waits for the capture), and
 * clears DONE when it does.
 *
 * Display: program addr/len and write 1 to start; the engine scans the frame out once (reads it
 * from memory), latches a checksum of what it read in crc, clears start and sets DONE.
 */
#ifndef CAMPIPE_HW_H
#define CAMPIPE_HW_H

#include <linux/types.h>

struct campipe_cam_regs {
	u64 addr;
	u32 len;
	u32 seq;
	u32 start;
	u32 status;     /* CAMPIPE_STATUS_* */
	u32 irq_enable; /* 1: raise the frame-done interrupt */
};

struct campipe_disp_regs {
	u64 addr;
	u32 len;
	u32 start;
	u32 status;
	u32 crc;
};

#define CAMPIPE_STATUS_DONE 0x1
#define CAMPIPE_STATUS_ERR 0x2

/* The sensor's test pattern: byte i of frame seq. */
static inline u8 campipe_pattern(u32 seq, size_t i)
{
	return (u8)(seq * 37u + i * 7u + (i >> 8));
}

/* What the display latches for the bytes it read (FNV-1a). */
static inline u32 campipe_crc(const u8 *p, size_t len)
{
	u32 h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

#endif
