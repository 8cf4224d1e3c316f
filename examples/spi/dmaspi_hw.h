/* SPDX-License-Identifier: MIT */
/*
 * dmaspi: the "datasheet" of a SoC SPI controller with TX and RX DMA channels and a 32-bit DMA
 * address space, with a register-file sensor on its bus. A transfer clocks tx_len bytes out of
 * memory and rx_len bytes into memory.
 *
 * Sensor protocol: write [reg, data...]; read [DMASPI_READ | reg, count] → count bytes.
 */
#ifndef DMASPI_HW_H
#define DMASPI_HW_H

#include <linux/types.h>

#define DMASPI_READ 0x80
#define DMASPI_REG_ID 0x00   /* reads 0x5a */
#define DMASPI_ID_VALUE 0x5a
#define DMASPI_NREGS 128

struct dmaspi_regs {
	u32 tx_addr;  /* 32-bit bus addresses only */
	u32 tx_len;
	u32 rx_addr;
	u32 rx_len;
	u32 start;    /* write 1: go; the controller clears it when done */
	u32 status;   /* DMASPI_STATUS_* */
};

#define DMASPI_STATUS_DONE 0x1
#define DMASPI_STATUS_ERR 0x2

#endif
