/* SPDX-License-Identifier: MIT */
#ifndef DMASPI_H
#define DMASPI_H

#include <linux/types.h>

struct device;
struct dmaspi_regs;
struct dmaspi_priv;

/* Real-world bugs the driver can contain, selected at run time (each after a fix in a real kernel driver). */
enum dmaspi_bug {
	DMASPI_BUG_NONE = 0,
	DMASPI_BUG_SHARED_CACHELINE, /* RX buffer only ____cacheline_aligned (64) next to a counter (IIO) */
	DMASPI_BUG_STACK_BUFFER,     /* register write staged in an on-stack buffer (uvc, cxusb, i2c-at91) */
	DMASPI_BUG_ZERO_LENGTH,      /* maps the empty TX half of a receive-only transfer (qcom-geni) */
	DMASPI_BUG__COUNT
};

extern enum dmaspi_bug dmaspi_bug;
const char *dmaspi_bug_name(enum dmaspi_bug bug);
int dmaspi_bug_parse(const char *name);

struct dmaspi_priv *dmaspi_probe(struct device *dev, struct dmaspi_regs *regs);
int dmaspi_read_regs(struct dmaspi_priv *priv, u8 reg, u8 *val, unsigned int count);
int dmaspi_write_reg(struct dmaspi_priv *priv, u8 reg, u8 val);
/* A receive-only transfer (the sensor streams its FIFO). */
int dmaspi_read_fifo(struct dmaspi_priv *priv, u8 *val, unsigned int count);
void dmaspi_remove(struct dmaspi_priv *priv);

#endif
