// SPDX-License-Identifier: MIT
/*
 * dmaspi — a SoC SPI controller driver written as kernel code. Its command and receive buffers
 * are embedded in the driver's private structure, the way IIO and many SPI/I2C drivers do it,
 * which is only safe when the receive buffer owns whole DMA cache lines (ARCH_DMA_MINALIGN, 128
 * bytes on arm64, not L1_CACHE_BYTES). The controller addresses 32 bits, so on a machine with
 * memory above 4 GiB its buffers bounce through SWIOTLB and the syncs are what moves the data.
 *
 * dmaspi_bug selects one real-world bug at a time (dmaspi.h); DMASPI_BUG_NONE is correct.
 */
#include <linux/cache.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmaspi.h"
#include "dmaspi_hw.h"

enum dmaspi_bug dmaspi_bug;

static const char *const dmaspi_bug_names[DMASPI_BUG__COUNT] = {
	[DMASPI_BUG_NONE] = "none",
	[DMASPI_BUG_SHARED_CACHELINE] = "shared-cacheline",
	[DMASPI_BUG_STACK_BUFFER] = "stack-buffer",
	[DMASPI_BUG_ZERO_LENGTH] = "zero-length",
};

const char *dmaspi_bug_name(enum dmaspi_bug bug)
{
	return bug < DMASPI_BUG__COUNT ? dmaspi_bug_names[bug] : "?";
}

int dmaspi_bug_parse(const char *name)
{
	int i;

	for (i = 0; i < DMASPI_BUG__COUNT; i++)
		if (!strcmp(name, dmaspi_bug_names[i]))
			return i;
	return -1;
}

/* One whole DMA line: the driver always maps the full buffer, so the mapping never shares a
 * line with anything else (the transfer length register says how much the device writes). */
#define DMASPI_RX_MAX ARCH_DMA_MINALIGN

/* The correct layout: the RX buffer starts a DMA line and nothing the CPU writes follows it. */
struct dmaspi_priv {
	struct device *dev;
	struct dmaspi_regs *regs;
	unsigned long transfers; /* statistics, updated while a transfer is in flight */
	u8 tx[4];                /* command bytes: TO_DEVICE, sharing lines is harmless */
	u8 rx[DMASPI_RX_MAX] __aligned(ARCH_DMA_MINALIGN);
};

/* The IIO bug: aligned to the L1 line only, with a hot counter right behind it. */
struct dmaspi_priv_bad {
	struct device *dev;
	struct dmaspi_regs *regs;
	u8 tx[4];
	u8 rx[DMASPI_RX_MAX] ____cacheline_aligned;
	unsigned long transfers;
};

/* Both layouts are driven through these accessors, so only the layout differs. */
struct dmaspi_priv_view {
	struct device *dev;
	struct dmaspi_regs *regs;
	u8 *tx, *rx;
	unsigned long *transfers;
};

static void dmaspi_view(struct dmaspi_priv *priv, struct dmaspi_priv_view *v)
{
	if (dmaspi_bug == DMASPI_BUG_SHARED_CACHELINE) {
		struct dmaspi_priv_bad *bad = (struct dmaspi_priv_bad *)priv;

		*v = (struct dmaspi_priv_view){ bad->dev, bad->regs, bad->tx, bad->rx, &bad->transfers };
		return;
	}
	*v = (struct dmaspi_priv_view){ priv->dev, priv->regs, priv->tx, priv->rx, &priv->transfers };
}

struct dmaspi_priv *dmaspi_probe(struct device *dev, struct dmaspi_regs *regs)
{
	struct dmaspi_priv_view v;
	struct dmaspi_priv *priv;

	/* the controller's address registers are 32 bits wide */
	if (dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32))) {
		dev_err(dev, "32-bit DMA not supported\n");
		return NULL;
	}
	priv = kzalloc(max(sizeof(struct dmaspi_priv), sizeof(struct dmaspi_priv_bad)), GFP_KERNEL);
	if (!priv)
		return NULL;
	priv->dev = dev; /* dev and regs sit at the same offsets in both layouts */
	priv->regs = regs;
	dmaspi_view(priv, &v);
	return priv;
}

/* One full-duplex transfer: tx_len bytes out of tx, rx_len bytes into rx (either may be 0).
 * rx is always the driver's whole receive buffer. */
static int dmaspi_transfer(struct dmaspi_priv_view *v, const void *tx, unsigned int tx_len,
			   void *rx, unsigned int rx_len)
{
	struct device *dev = v->dev;
	dma_addr_t tx_dma = 0, rx_dma = 0;
	int err = 0;

	if (tx_len || dmaspi_bug == DMASPI_BUG_ZERO_LENGTH) {
		/* BUG (zero-length): the empty TX half is mapped anyway */
		tx_dma = dma_map_single(dev, (void *)tx, tx_len, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, tx_dma))
			return -ENOMEM;
	}
	if (rx_len) {
		rx_dma = dma_map_single(dev, rx, DMASPI_RX_MAX, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, rx_dma)) {
			err = -ENOMEM;
			goto out_tx;
		}
	}

	writel(lower_32_bits(tx_dma), &v->regs->tx_addr);
	writel(tx_len, &v->regs->tx_len);
	writel(lower_32_bits(rx_dma), &v->regs->rx_addr);
	writel(rx_len, &v->regs->rx_len);
	writel(0, &v->regs->status);
	wmb();
	writel(1, &v->regs->start);

	/* the statistics update races with the device filling rx: fine only if they share no line */
	(*v->transfers)++;

	while (!(readl(&v->regs->status) & (DMASPI_STATUS_DONE | DMASPI_STATUS_ERR)))
		usleep_range(10, 20);
	if (readl(&v->regs->status) & DMASPI_STATUS_ERR)
		err = -EIO;

	if (rx_len)
		dma_unmap_single(dev, rx_dma, DMASPI_RX_MAX, DMA_FROM_DEVICE);
out_tx:
	if (tx_len || dmaspi_bug == DMASPI_BUG_ZERO_LENGTH)
		dma_unmap_single(dev, tx_dma, tx_len, DMA_TO_DEVICE);
	return err;
}

int dmaspi_read_regs(struct dmaspi_priv *priv, u8 reg, u8 *val, unsigned int count)
{
	struct dmaspi_priv_view v;
	int err;

	if (count > DMASPI_RX_MAX)
		return -EINVAL;
	dmaspi_view(priv, &v);
	v.tx[0] = DMASPI_READ | reg;
	v.tx[1] = count;
	err = dmaspi_transfer(&v, v.tx, 2, v.rx, count);
	if (!err)
		memcpy(val, v.rx, count);
	return err;
}

int dmaspi_write_reg(struct dmaspi_priv *priv, u8 reg, u8 val)
{
	struct dmaspi_priv_view v;
	u8 onstack[2] = { reg, val };

	dmaspi_view(priv, &v);
	if (dmaspi_bug == DMASPI_BUG_STACK_BUFFER)
		return dmaspi_transfer(&v, onstack, 2, NULL, 0); /* BUG: DMA from the stack */
	v.tx[0] = reg;
	v.tx[1] = val;
	return dmaspi_transfer(&v, v.tx, 2, NULL, 0);
}

int dmaspi_read_fifo(struct dmaspi_priv *priv, u8 *val, unsigned int count)
{
	struct dmaspi_priv_view v;
	int err;

	if (count > DMASPI_RX_MAX)
		return -EINVAL;
	dmaspi_view(priv, &v);
	err = dmaspi_transfer(&v, v.tx, 0, v.rx, count);
	if (!err)
		memcpy(val, v.rx, count);
	return err;
}

void dmaspi_remove(struct dmaspi_priv *priv)
{
	kfree(priv);
}
