/* SPDX-License-Identifier: MIT */
/*
 * A model of the RealTek RTL8139C+ in C+ mode, enough for drivers/net/ethernet/realtek/8139cp.c:
 * its 256-byte register window (claimed with dmasim_mmio_claim, so the interrupt status is
 * write-1-to-clear, the reset bit clears itself and TxPoll is a doorbell), the 93C46 serial
 * EEPROM behind Cfg9346 that holds the MAC address, a PHY that reports a 100 Mbit/s full-duplex
 * link, the TX and RX descriptor rings and the statistics dump, all read and written with the
 * device's DMA (dmasim_dma_read/write). Its cable is a loopback plug: every frame sent comes
 * back in.
 */
#ifndef DMASAN_UPSTREAM_RTL8139CP_MODEL_H
#define DMASAN_UPSTREAM_RTL8139CP_MODEL_H


#include <linux/types.h>

#include "harness_model.h"

#define RTL_REGS_SIZE 256
#define RTL_MAX_FRAME 4096
#define RTL_WIRE_FRAMES 256

struct rtl_frame {
	unsigned int len;
	u8 data[RTL_MAX_FRAME];
};

struct rtl8139cp_model {
	struct device *dev;
	unsigned int irq;
	u8 *regs; /* the window the driver ioremaps */
	u8 eeprom_mac[6];

	struct harness_model hw; /* registers claimed, lock, thread */
	bool tx_poll, stats_dump, line_kick;
	unsigned int tx_idx, rx_idx; /* next descriptor the chip looks at */

	/* 93C46: shifting a command in, then a word out */
	u16 eeprom[64];
	bool ee_cs, ee_clk, ee_out, ee_reading;
	unsigned int ee_nbits, ee_cmd, ee_addr, ee_bit;

	/* the loopback cable: frames sent and not yet received */
	struct rtl_frame *wire;
	unsigned int wire_head, wire_count;

	/* what the chip counted (also dumped into the statistics block) */
	unsigned long tx_ok, rx_ok, rx_missed, dma_faults;
};

/* Sets up the model for dev, raising irq, with its registers at regs (RTL_REGS_SIZE bytes) and
 * mac in its EEPROM, and starts its thread. 0 or a negative errno. */
int rtl8139cp_model_start(struct rtl8139cp_model *m, struct device *dev, unsigned int irq,
			  u8 *regs, const u8 mac[6]);
void rtl8139cp_model_stop(struct rtl8139cp_model *m);

#endif
