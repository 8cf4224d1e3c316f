// SPDX-License-Identifier: MIT
/*
 * A model of one DMA channel of a PLX ExpressLane PEX switch (the device of drivers/dma/plx_dma.c)
 * in off-chip descriptor mode: the driver gives it a ring of 16-byte descriptors in its memory
 * (base, count, next address) and starts it; the channel fetches valid descriptors one by one,
 * copies size bytes from source to destination bus address, writes the descriptor back with the
 * valid bit cleared and the success and size fields set, and raises the interrupt when the
 * descriptor asks. Interrupt status is write-1-to-clear; a graceful pause stops the channel and
 * reports itself done. All memory is touched with the device's DMA (dmasim_dma_read/write).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/byteorder.h>
#include <dmasan/sim.h>
#include <linux/interrupt.h>

#include "plx_dma_model.h"

enum {
	R_RING_ADDR = 0x214, R_RING_ADDR_HI = 0x218, R_RING_NEXT = 0x21c, R_RING_COUNT = 0x220,
	R_CTRL = 0x238, R_INTR_CTRL = 0x23c, R_INTR_STATUS = 0x23e,
};
#define CTRL_GRACEFUL_PAUSE (1U << 0)
#define CTRL_START (1U << 3)
#define CTRL_GRACEFUL_PAUSE_DONE (1U << 9)
#define CTRL_IN_PROGRESS (1U << 30)
#define INTR_DESC_DONE (1U << 2)
#define DESC_VALID (1U << 31)
#define DESC_INT_WHEN_DONE (1U << 30)
#define DESC_SIZE_MASK 0x7ffffffU
#define WB_SUCCESS (1U << 30)
#define WB_RD_FAIL (1U << 29)
#define WB_WR_FAIL (1U << 28)

struct plx_hw_desc {
	__le32 flags_and_size;
	__le16 dst_addr_hi, src_addr_hi;
	__le32 dst_addr_lo, src_addr_lo;
};

static u32 reg32(const struct plx_dma_model *m, unsigned int off)
{
	__le32 v;

	memcpy(&v, m->regs + off, 4);
	return le32_to_cpu(v);
}

static void set_reg32(struct plx_dma_model *m, unsigned int off, u32 v)
{
	__le32 le = cpu_to_le32(v);

	memcpy(m->regs + off, &le, 4);
}

static u64 mmio_read(void *ctx, unsigned long off, unsigned int size)
{
	struct plx_dma_model *m = ctx;
	u64 v = 0;

	pthread_mutex_lock(&m->hw.lock);
	memcpy(&v, m->regs + off, size);
	pthread_mutex_unlock(&m->hw.lock);
	return le64_to_cpu(v);
}

static bool covers(unsigned long off, unsigned int size, unsigned int reg)
{
	return off <= reg && reg < off + size;
}

static void mmio_write(void *ctx, unsigned long off, u64 val, unsigned int size)
{
	struct plx_dma_model *m = ctx;
	u16 status;
	u64 le = cpu_to_le64(val);

	pthread_mutex_lock(&m->hw.lock);
	memcpy(&status, m->regs + R_INTR_STATUS, 2);
	memcpy(m->regs + off, &le, size);
	if (covers(off, size, R_INTR_STATUS)) { /* write 1 to clear */
		u16 ack;

		memcpy(&ack, m->regs + R_INTR_STATUS, 2);
		status &= (u16)~ack;
		memcpy(m->regs + R_INTR_STATUS, &status, 2);
	}
	if (covers(off, size, R_CTRL)) {
		u32 ctrl = reg32(m, R_CTRL);

		if (ctrl & CTRL_GRACEFUL_PAUSE) { /* the thread is between descriptors here */
			m->running = false;
			ctrl = (ctrl | CTRL_GRACEFUL_PAUSE_DONE) & ~CTRL_IN_PROGRESS;
		} else if (ctrl & CTRL_START) {
			m->running = true;
			ctrl |= CTRL_IN_PROGRESS;
		}
		set_reg32(m, R_CTRL, ctrl);
	}
	pthread_cond_signal(&m->hw.kick);
	pthread_mutex_unlock(&m->hw.lock);
}

static const struct dmasim_mmio_ops plx_mmio_ops = { .read = mmio_read, .write = mmio_write };

/* Copies one descriptor's bytes; its write-back status. */
static u32 copy(struct plx_dma_model *m, u64 dst, u64 src, u32 size)
{
	u32 done = 0;

	while (done < size) {
		u32 n = size - done < sizeof(m->bounce) ? size - done : (u32)sizeof(m->bounce);

		if (dmasim_dma_read(m->dev, src + done, m->bounce, n))
			return WB_RD_FAIL | done;
		if (dmasim_dma_write(m->dev, dst + done, m->bounce, n))
			return WB_WR_FAIL | done;
		done += n;
	}
	m->copied += size;
	return WB_SUCCESS | size;
}

/* The next valid descriptor, done; false when the ring holds none (or a fetch failed). */
static bool do_one(struct plx_dma_model *m, bool *irq)
{
	u64 ring = reg32(m, R_RING_ADDR) | (u64)reg32(m, R_RING_ADDR_HI) << 32;
	u64 at = (u64)reg32(m, R_RING_NEXT) | (u64)reg32(m, R_RING_ADDR_HI) << 32;
	u32 count = reg32(m, R_RING_COUNT), flags, wb;
	struct plx_hw_desc d;
	__le32 le;

	if (!count || dmasim_dma_read(m->dev, at, &d, sizeof(d))) {
		m->faults += count != 0;
		return false;
	}
	flags = le32_to_cpu(d.flags_and_size);
	if (!(flags & DESC_VALID))
		return false;
	wb = copy(m, le32_to_cpu(d.dst_addr_lo) | (u64)le16_to_cpu(d.dst_addr_hi) << 32,
		  le32_to_cpu(d.src_addr_lo) | (u64)le16_to_cpu(d.src_addr_hi) << 32,
		  flags & DESC_SIZE_MASK);
	if (!(wb & WB_SUCCESS))
		m->faults++;
	le = cpu_to_le32(wb);
	if (dmasim_dma_write(m->dev, at, &le, sizeof(le)))
		m->faults++;
	m->descs++;
	at += sizeof(d);
	if (at >= ring + (u64)count * sizeof(d))
		at = ring;
	set_reg32(m, R_RING_NEXT, (u32)at);
	if (flags & DESC_INT_WHEN_DONE) {
		u16 status;

		memcpy(&status, m->regs + R_INTR_STATUS, 2);
		status |= INTR_DESC_DONE;
		memcpy(m->regs + R_INTR_STATUS, &status, 2);
		*irq = true;
	}
	return true;
}

static void *channel_thread(void *arg)
{
	struct plx_dma_model *m = arg;

	pthread_mutex_lock(&m->hw.lock);
	while (!m->hw.stop) {
		bool irq = false;

		if (!m->running || m->held || !do_one(m, &irq)) {
			m->idles++;
			pthread_cond_broadcast(&m->idle);
			pthread_cond_wait(&m->hw.kick, &m->hw.lock);
			continue;
		}
		if (irq) {
			pthread_mutex_unlock(&m->hw.lock);
			kdma_irq_raise(m->irq);
			pthread_mutex_lock(&m->hw.lock);
		}
	}
	pthread_mutex_unlock(&m->hw.lock);
	return NULL;
}

int plx_dma_model_start(struct plx_dma_model *m, struct device *dev, unsigned int irq, u8 *regs)
{
	memset(m, 0, sizeof(*m));
	m->dev = dev;
	m->irq = irq;
	m->regs = regs;
	pthread_cond_init(&m->idle, NULL);
	return harness_model_start(&m->hw, regs, PLX_REGS_SIZE, &plx_mmio_ops, channel_thread, m);
}

void plx_dma_model_stop(struct plx_dma_model *m)
{
	harness_model_stop(&m->hw);
}

void plx_dma_model_hold(struct plx_dma_model *m)
{
	pthread_mutex_lock(&m->hw.lock);
	m->held = true;
	pthread_mutex_unlock(&m->hw.lock);
}

void plx_dma_model_resume(struct plx_dma_model *m)
{
	unsigned long idles;

	pthread_mutex_lock(&m->hw.lock);
	m->held = false;
	idles = m->idles;
	pthread_cond_signal(&m->hw.kick);
	while (m->idles == idles)
		pthread_cond_wait(&m->idle, &m->hw.lock);
	pthread_mutex_unlock(&m->hw.lock);
}
