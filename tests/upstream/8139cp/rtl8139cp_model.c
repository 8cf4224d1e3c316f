// SPDX-License-Identifier: MIT
/*
 * The RTL8139C+ model (rtl8139cp_model.h). Register accesses arrive in the driver's thread
 * (dmasim_mmio_ops) and only update state and wake the chip's thread; that thread walks the
 * rings with the device's DMA and raises the interrupt line, so the driver's locks never wait
 * for the model and the model never waits for the driver.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmasan/sim.h>
#include <linux/crc32.h>
#include <linux/interrupt.h>
#include <linux/mii.h>

#include "rtl8139cp_model.h"

/* registers (RTL8139C+ datasheet names) */
enum {
	R_MAC0 = 0x00, R_MAR0 = 0x08, R_STATS = 0x10, R_TX_RING = 0x20, R_HI_TX_RING = 0x28,
	R_CMD = 0x37, R_IMR = 0x3c, R_ISR = 0x3e, R_TCR = 0x40, R_RCR = 0x44, R_MPC = 0x4c,
	R_9346 = 0x50, R_BMCR = 0x62, R_BMSR = 0x64, R_ANAR = 0x66, R_ANLPAR = 0x68,
	R_TPPOLL = 0xd9, R_CPCR = 0xe0, R_RX_RING = 0xe4,
};
/* Cmd, C+ Cmd, TxPoll, statistics */
enum { CMD_RESET = 1 << 4, CMD_RX_ON = 1 << 3, CMD_TX_ON = 1 << 2 };
enum { CP_RX_ON = 1 << 1, CP_TX_ON = 1 << 0 };
enum { TPPOLL_NORMAL = 1 << 6 };
enum { STATS_DUMP = 1 << 3 };
/* interrupt status bits */
enum { I_RX_OK = 1 << 0, I_RX_EMPTY = 1 << 4, I_TX_OK = 1 << 2, I_PCI_ERR = 1 << 15 };
/* descriptor opts1 */
#define D_OWN (1U << 31)
#define D_EOR (1U << 30)
#define D_FS (1U << 29)
#define D_LS (1U << 28)
#define D_RX_ERR (1U << 20)
#define D_RX_LONG (1U << 21)
/* Cfg9346 in EEPROM programming mode */
enum { EE_MODE_MASK = 0xc0, EE_MODE_PROG = 0x80, EE_CS = 0x08, EE_SK = 0x04, EE_DI = 0x02,
       EE_DO = 0x01 };

#define EE_WORD_ID 0x8129 /* word 0 of a RTL8139 EEPROM */
#define EE_WORD_MAC 7     /* the MAC address: words 7..9 */
#define EE_READ_OP 2
#define EE_ADDR_BITS 6    /* a 93C46 */

struct rtl_desc {
	__le32 opts1, opts2;
	__le64 addr;
};

static u32 reg32(const struct rtl8139cp_model *m, unsigned int off)
{
	u32 v;

	memcpy(&v, m->regs + off, 4);
	return le32_to_cpu(v);
}

static void set_reg16(struct rtl8139cp_model *m, unsigned int off, u16 v)
{
	__le16 le = cpu_to_le16(v);

	memcpy(m->regs + off, &le, 2);
}

static u16 reg16(const struct rtl8139cp_model *m, unsigned int off)
{
	__le16 v;

	memcpy(&v, m->regs + off, 2);
	return le16_to_cpu(v);
}

static u64 ring_addr(const struct rtl8139cp_model *m, unsigned int off)
{
	return (u64)reg32(m, off) | (u64)reg32(m, off + 4) << 32;
}

/* What a chip reset leaves: the PHY's answers included. */
static void chip_reset(struct rtl8139cp_model *m)
{
	memset(m->regs + R_STATS, 0, RTL_REGS_SIZE - R_STATS);
	set_reg16(m, R_BMCR, BMCR_ANENABLE | BMCR_SPEED100 | BMCR_FULLDPLX);
	set_reg16(m, R_BMSR, BMSR_100FULL | BMSR_100HALF | BMSR_10FULL | BMSR_10HALF |
			     BMSR_ANEGCOMPLETE | BMSR_ANEGCAPABLE | BMSR_LSTATUS);
	set_reg16(m, R_ANAR, ADVERTISE_100FULL | ADVERTISE_100HALF | ADVERTISE_10FULL |
			     ADVERTISE_10HALF | ADVERTISE_CSMA);
	set_reg16(m, R_ANLPAR, LPA_LPACK | LPA_100FULL | LPA_100HALF | LPA_10FULL | LPA_10HALF |
			       ADVERTISE_CSMA);
	m->tx_idx = m->rx_idx = 0;
}

/* ------------------------------------------------------------------ 93C46 EEPROM ---- */

/* One write of Cfg9346: chip select, and data in on the rising clock edge. */
static void eeprom_signal(struct rtl8139cp_model *m, u8 v)
{
	bool cs = (v & EE_MODE_MASK) == EE_MODE_PROG && (v & EE_CS);
	bool clk = v & EE_SK, rising = clk && !m->ee_clk;

	m->ee_clk = clk;
	if (!cs) {
		m->ee_cs = m->ee_reading = false;
		m->ee_nbits = m->ee_cmd = 0;
		m->ee_out = false;
		return;
	}
	m->ee_cs = true;
	if (!rising)
		return;
	if (m->ee_reading) { /* sequential read: next bit, next word */
		m->ee_out = m->eeprom[m->ee_addr & 63] >> (15 - m->ee_bit) & 1;
		if (++m->ee_bit == 16) {
			m->ee_bit = 0;
			m->ee_addr++;
		}
		return;
	}
	if (!m->ee_nbits && !(v & EE_DI))
		return; /* zeros before the start bit */
	m->ee_cmd = m->ee_cmd << 1 | !!(v & EE_DI);
	if (++m->ee_nbits < 3 + EE_ADDR_BITS)
		return;
	if ((m->ee_cmd >> EE_ADDR_BITS & 3) == EE_READ_OP) {
		m->ee_reading = true; /* a dummy zero, then the word from the next clock on */
		m->ee_addr = m->ee_cmd & ((1 << EE_ADDR_BITS) - 1);
		m->ee_bit = 0;
		m->ee_out = false;
	}
	m->ee_nbits = m->ee_cmd = 0; /* writes and erases are not modelled: ignored */
}

/* ------------------------------------------------------------------ registers ---- */

static u64 mmio_read(void *ctx, unsigned long off, unsigned int size)
{
	struct rtl8139cp_model *m = ctx;
	u64 v = 0;

	pthread_mutex_lock(&m->hw.lock);
	memcpy(&v, m->regs + off, size);
	v = le64_to_cpu(v);
	if (off <= R_9346 && R_9346 < off + size && m->ee_cs) {
		unsigned int shift = (R_9346 - off) * 8;

		v = (v & ~((u64)EE_DO << shift)) | (u64)m->ee_out << shift;
	}
	pthread_mutex_unlock(&m->hw.lock);
	return v;
}

static bool covers(unsigned long off, unsigned int size, unsigned int reg)
{
	return off <= reg && reg < off + size;
}

static void mmio_write(void *ctx, unsigned long off, u64 val, unsigned int size)
{
	struct rtl8139cp_model *m = ctx;
	u16 isr, imr_before;
	u64 le = cpu_to_le64(val);

	pthread_mutex_lock(&m->hw.lock);
	isr = reg16(m, R_ISR);
	imr_before = reg16(m, R_IMR);
	memcpy(m->regs + off, &le, size);
	if (covers(off, size, R_ISR)) { /* write 1 to clear */
		u16 ack = reg16(m, R_ISR);

		set_reg16(m, R_ISR, isr & ~ack);
	}
	if (covers(off, size, R_IMR) && (reg16(m, R_IMR) & ~imr_before & reg16(m, R_ISR)))
		m->line_kick = true; /* unmasking a pending cause raises the line */
	if (covers(off, size, R_CMD) && (m->regs[R_CMD] & CMD_RESET)) {
		chip_reset(m);
		m->regs[R_CMD] = 0; /* self-clearing */
	}
	if (covers(off, size, R_TX_RING))
		m->tx_idx = 0;
	if (covers(off, size, R_RX_RING))
		m->rx_idx = 0;
	if (covers(off, size, R_TPPOLL) && (m->regs[R_TPPOLL] & TPPOLL_NORMAL)) {
		m->regs[R_TPPOLL] = 0;
		m->tx_poll = true;
	}
	if (covers(off, size, R_STATS) && (reg32(m, R_STATS) & STATS_DUMP))
		m->stats_dump = true;
	if (covers(off, size, R_MPC))
		memset(m->regs + R_MPC, 0, 4);
	if (covers(off, size, R_9346))
		eeprom_signal(m, m->regs[R_9346]);
	pthread_cond_signal(&m->hw.kick);
	pthread_mutex_unlock(&m->hw.lock);
}

static const struct dmasim_mmio_ops rtl_mmio_ops = { .read = mmio_read, .write = mmio_write };

/* ------------------------------------------------------------------ the chip ---- */

static void raise_status(struct rtl8139cp_model *m, u16 bits)
{
	set_reg16(m, R_ISR, reg16(m, R_ISR) | bits);
	m->line_kick = true;
}

/* A DMA the device could not do: the chip reports a PCI error and stops that ring. */
static bool dma_ok(struct rtl8139cp_model *m, int ret, const char *what)
{
	if (!ret)
		return true;
	if (!m->dma_faults++)
		fprintf(stderr, "rtl8139cp model: %s: DMA fault (%d)\n", what, ret);
	raise_status(m, I_PCI_ERR);
	return false;
}

/* Each descriptor the driver gave the chip: fetch its buffer, hand the descriptor back (status
 * without the length, as the silicon writes it), put whole frames on the cable. */
static void do_tx(struct rtl8139cp_model *m)
{
	static u8 frame[RTL_MAX_FRAME];
	static unsigned int frame_len;

	for (;;) {
		u64 at = ring_addr(m, R_TX_RING) + m->tx_idx * sizeof(struct rtl_desc);
		struct rtl_desc d;
		unsigned int len;
		u32 opts1;
		__le32 done;

		if (!dma_ok(m, dmasim_dma_read(m->dev, at, &d, sizeof(d)), "TX descriptor"))
			return;
		opts1 = le32_to_cpu(d.opts1);
		if (!(opts1 & D_OWN))
			return;
		len = opts1 & 0xffff;
		if (opts1 & D_FS)
			frame_len = 0;
		if (frame_len + len > sizeof(frame))
			len = (unsigned int)sizeof(frame) - frame_len;
		if (!dma_ok(m, dmasim_dma_read(m->dev, le64_to_cpu(d.addr), frame + frame_len, len),
			    "TX buffer"))
			return;
		frame_len += len;
		done = cpu_to_le32(opts1 & (D_EOR | D_FS | D_LS));
		if (!dma_ok(m, dmasim_dma_write(m->dev, at, &done, sizeof(done)), "TX status"))
			return;
		m->tx_idx = opts1 & D_EOR ? 0 : m->tx_idx + 1;
		if (!(opts1 & D_LS))
			continue;
		m->tx_ok++;
		raise_status(m, I_TX_OK);
		if (m->wire_count < RTL_WIRE_FRAMES) {
			struct rtl_frame *f = &m->wire[(m->wire_head + m->wire_count++) %
						       RTL_WIRE_FRAMES];

			f->len = frame_len;
			memcpy(f->data, frame, frame_len);
		} else {
			m->rx_missed++;
		}
	}
}

/* Frames from the cable into the driver's RX buffers while it has given the chip some. */
static void do_rx(struct rtl8139cp_model *m)
{
	while (m->wire_count) {
		struct rtl_frame *f = &m->wire[m->wire_head];
		u64 at = ring_addr(m, R_RX_RING) + m->rx_idx * sizeof(struct rtl_desc);
		struct rtl_desc d;
		u32 opts1, status, crc;
		unsigned int size;
		__le32 le;

		if (!dma_ok(m, dmasim_dma_read(m->dev, at, &d, sizeof(d)), "RX descriptor"))
			return;
		opts1 = le32_to_cpu(d.opts1);
		if (!(opts1 & D_OWN)) {
			raise_status(m, I_RX_EMPTY);
			return; /* the frame waits in the FIFO */
		}
		size = opts1 & 0x1fff;
		status = (opts1 & D_EOR) | D_FS | D_LS | (f->len + 4);
		if (f->len + 4 > size) {
			status = (opts1 & D_EOR) | D_FS | D_LS | D_RX_ERR | D_RX_LONG | size;
		} else {
			crc = cpu_to_le32(~crc32_le(~0U, f->data, f->len));
			if (!dma_ok(m, dmasim_dma_write(m->dev, le64_to_cpu(d.addr), f->data, f->len),
				    "RX buffer") ||
			    !dma_ok(m, dmasim_dma_write(m->dev, le64_to_cpu(d.addr) + f->len, &crc, 4),
				    "RX buffer"))
				return;
		}
		le = 0;
		if (!dma_ok(m, dmasim_dma_write(m->dev, at + 4, &le, sizeof(le)), "RX status"))
			return;
		le = cpu_to_le32(status);
		if (!dma_ok(m, dmasim_dma_write(m->dev, at, &le, sizeof(le)), "RX status"))
			return;
		m->rx_idx = opts1 & D_EOR ? 0 : m->rx_idx + 1;
		m->wire_head = (m->wire_head + 1) % RTL_WIRE_FRAMES;
		m->wire_count--;
		m->rx_ok++;
		raise_status(m, I_RX_OK);
	}
}

/* The 64-byte tally block the driver asks for with DumpStats (struct cp_dma_stats). */
static void do_stats(struct rtl8139cp_model *m)
{
	u8 block[64] = { 0 };
	__le64 tx_ok = cpu_to_le64(m->tx_ok), rx_ok = cpu_to_le64(m->rx_ok);
	u64 at = ring_addr(m, R_STATS) & ~(u64)63;

	memcpy(block + 0, &tx_ok, 8);
	memcpy(block + 8, &rx_ok, 8);
	memcpy(block + 32, &rx_ok, 8); /* rx_ok_phys: every frame is addressed to us */
	if (dma_ok(m, dmasim_dma_write(m->dev, at, block, sizeof(block)), "statistics"))
		m->regs[R_STATS] &= (u8)~STATS_DUMP;
}

static void *chip_thread(void *arg)
{
	struct rtl8139cp_model *m = arg;

	pthread_mutex_lock(&m->hw.lock);
	while (!m->hw.stop) {
		bool tx_on = (m->regs[R_CMD] & CMD_TX_ON) && (reg16(m, R_CPCR) & CP_TX_ON);
		bool rx_on = (m->regs[R_CMD] & CMD_RX_ON) && (reg16(m, R_CPCR) & CP_RX_ON);

		if (m->tx_poll && tx_on) {
			m->tx_poll = false;
			do_tx(m);
		}
		if (rx_on)
			do_rx(m);
		if (m->stats_dump) {
			m->stats_dump = false;
			do_stats(m);
		}
		if (m->line_kick && (reg16(m, R_ISR) & reg16(m, R_IMR))) {
			m->line_kick = false;
			pthread_mutex_unlock(&m->hw.lock);
			kdma_irq_raise(m->irq);
			pthread_mutex_lock(&m->hw.lock);
			continue;
		}
		m->line_kick = false;
		if (m->tx_poll || m->stats_dump)
			continue;
		if (m->wire_count && rx_on) {
			/* the chip polls its RX ring: the driver refills it without telling */
			struct timespec t;

			clock_gettime(CLOCK_REALTIME, &t);
			t.tv_nsec += 50000;
			if (t.tv_nsec >= 1000000000) {
				t.tv_sec++;
				t.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&m->hw.kick, &m->hw.lock, &t);
		} else {
			pthread_cond_wait(&m->hw.kick, &m->hw.lock);
		}
	}
	pthread_mutex_unlock(&m->hw.lock);
	return NULL;
}

int rtl8139cp_model_start(struct rtl8139cp_model *m, struct device *dev, unsigned int irq,
			  u8 *regs, const u8 mac[6])
{
	int ret;

	memset(m, 0, sizeof(*m));
	m->dev = dev;
	m->irq = irq;
	m->regs = regs;
	m->wire = calloc(RTL_WIRE_FRAMES, sizeof(*m->wire));
	if (!m->wire)
		return -ENOMEM;
	m->eeprom[0] = EE_WORD_ID;
	for (int i = 0; i < 3; i++)
		m->eeprom[EE_WORD_MAC + i] = (u16)(mac[2 * i] | mac[2 * i + 1] << 8);
	ret = harness_model_start(&m->hw, regs, RTL_REGS_SIZE, &rtl_mmio_ops, chip_thread, m);
	if (!ret) {
		pthread_mutex_lock(&m->hw.lock);
		chip_reset(m);
		pthread_mutex_unlock(&m->hw.lock);
	}
	return ret;
}

void rtl8139cp_model_stop(struct rtl8139cp_model *m)
{
	harness_model_stop(&m->hw);
	free(m->wire);
}
