// SPDX-License-Identifier: MIT
/*
 * dmanic — a small Ethernet driver written as kernel code: descriptor rings in coherent memory,
 * streaming-mapped packet buffers, RX refill with copybreak, TX completion and unmap, teardown.
 * Only the DMA API and the usual kernel helpers are used; it compiles against shim/ unmodified.
 *
 * dmanic_bug selects one real-world bug at a time (see dmanic.h); DMANIC_BUG_NONE is the
 * correct driver, which must run silent under dmasan.
 */
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "dmanic.h"
#include "dmanic_hw.h"

#define DRV_NAME "dmanic"

enum dmanic_bug dmanic_bug;
unsigned int dmanic_rx_headroom;

static const char *const dmanic_bug_names[DMANIC_BUG__COUNT] = {
	[DMANIC_BUG_NONE] = "none",
	[DMANIC_BUG_UNCHECKED_MAP_ERROR] = "unchecked-map-error",
	[DMANIC_BUG_UNMAP_DIRECTION] = "unmap-direction",
	[DMANIC_BUG_UNMAP_SIZE] = "unmap-size",
	[DMANIC_BUG_DOUBLE_UNMAP] = "double-unmap",
	[DMANIC_BUG_LEAK_ON_ERROR] = "leak-on-error",
	[DMANIC_BUG_RX_READ_BEFORE_SYNC] = "rx-read-before-sync",
	[DMANIC_BUG_TX_WRITE_AFTER_MAP] = "tx-write-after-map",
};

const char *dmanic_bug_name(enum dmanic_bug bug)
{
	return bug < DMANIC_BUG__COUNT ? dmanic_bug_names[bug] : "?";
}

int dmanic_bug_parse(const char *name)
{
	int i;

	for (i = 0; i < DMANIC_BUG__COUNT; i++)
		if (!strcmp(name, dmanic_bug_names[i]))
			return i;
	return -1;
}

struct dmanic_tx_buf {
	void *data;
	DEFINE_DMA_UNMAP_ADDR(dma);
	DEFINE_DMA_UNMAP_LEN(len);
};

struct dmanic_rx_buf {
	void *data;
	dma_addr_t dma;
};

struct dmanic_priv {
	struct device *dev;
	struct dmanic_regs *regs;
	spinlock_t tx_lock;

	struct dmanic_desc *tx_ring; /* coherent */
	dma_addr_t tx_ring_dma;
	struct dmanic_tx_buf tx_buf[DMANIC_RING_SIZE];
	unsigned int tx_next_to_use;
	unsigned int tx_next_to_clean;

	struct dmanic_desc *rx_ring; /* coherent */
	dma_addr_t rx_ring_dma;
	struct dmanic_rx_buf rx_buf[DMANIC_RING_SIZE];
	unsigned int rx_next_to_clean;
	unsigned int rx_tail;

	dmanic_rx_fn rx_fn;
	void *rx_ctx;
};

static void dmanic_write_ring_base(struct dmanic_priv *priv)
{
	writel(lower_32_bits(priv->tx_ring_dma), &priv->regs->tx_ring_lo);
	writel(upper_32_bits(priv->tx_ring_dma), &priv->regs->tx_ring_hi);
	writel(lower_32_bits(priv->rx_ring_dma), &priv->regs->rx_ring_lo);
	writel(upper_32_bits(priv->rx_ring_dma), &priv->regs->rx_ring_hi);
}

struct dmanic_priv *dmanic_probe(struct device *dev, struct dmanic_regs *regs)
{
	struct dmanic_priv *priv;
	int err;

	/* 64-bit descriptors, but fall back to 32-bit addressing as the datasheet allows */
	err = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (err)
		err = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32));
	if (err) {
		dev_err(dev, "no usable DMA configuration\n");
		return NULL;
	}

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return NULL;
	priv->dev = dev;
	priv->regs = regs;
	spin_lock_init(&priv->tx_lock);
	return priv;
}

/* Give one RX descriptor a freshly allocated and mapped buffer. */
static int dmanic_alloc_rx_buf(struct dmanic_priv *priv, unsigned int i)
{
	struct dmanic_rx_buf *rb = &priv->rx_buf[i];

	u8 *buf = kmalloc(dmanic_rx_headroom + DMANIC_RX_BUF_SIZE, GFP_ATOMIC);

	if (!buf)
		return -ENOMEM;
	rb->data = buf + dmanic_rx_headroom; /* skb->data */
	rb->dma = dma_map_single(priv->dev, rb->data, DMANIC_RX_BUF_SIZE, DMA_FROM_DEVICE);
	if (dma_mapping_error(priv->dev, rb->dma)) {
		kfree(buf);
		rb->data = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Hand descriptor i back to the hardware. */
static void dmanic_arm_rx_desc(struct dmanic_priv *priv, unsigned int i)
{
	struct dmanic_desc *desc = &priv->rx_ring[i];

	desc->addr = priv->rx_buf[i].dma;
	desc->len = 0;
	WRITE_ONCE(desc->flags, 0);
}

static void dmanic_free_rx_bufs(struct dmanic_priv *priv)
{
	unsigned int i;

	for (i = 0; i < DMANIC_RING_SIZE; i++) {
		struct dmanic_rx_buf *rb = &priv->rx_buf[i];

		if (!rb->data)
			continue;
		dma_unmap_single(priv->dev, rb->dma, DMANIC_RX_BUF_SIZE, DMA_FROM_DEVICE);
		kfree(rb->data - dmanic_rx_headroom);
		rb->data = NULL;
	}
}

int dmanic_open(struct dmanic_priv *priv, dmanic_rx_fn rx, void *ctx)
{
	struct device *dev = priv->dev;
	size_t ring_bytes = DMANIC_RING_SIZE * sizeof(struct dmanic_desc);
	unsigned int i;
	int err = -ENOMEM;

	priv->rx_fn = rx;
	priv->rx_ctx = ctx;

	priv->rx_ring = dma_alloc_coherent(dev, ring_bytes, &priv->rx_ring_dma, GFP_KERNEL);
	if (!priv->rx_ring)
		return -ENOMEM;

	for (i = 0; i < DMANIC_RING_SIZE; i++) {
		err = dmanic_alloc_rx_buf(priv, i);
		if (err)
			goto err_rx_bufs;
		dmanic_arm_rx_desc(priv, i);
	}

	/* The leak-on-error variant injects the TX ring allocation failure its error path mishandles. */
	if (dmanic_bug == DMANIC_BUG_LEAK_ON_ERROR)
		priv->tx_ring = NULL;
	else
		priv->tx_ring = dma_alloc_coherent(dev, ring_bytes, &priv->tx_ring_dma, GFP_KERNEL);
	if (!priv->tx_ring) {
		err = -ENOMEM;
		if (dmanic_bug == DMANIC_BUG_LEAK_ON_ERROR)
			goto err_rx_ring; /* BUG: skips unmapping the RX buffers */
		goto err_rx_bufs;
	}

	priv->tx_next_to_use = priv->tx_next_to_clean = 0;
	priv->rx_next_to_clean = 0;
	dmanic_write_ring_base(priv);
	/* descriptors must be visible before the device may fetch them */
	dma_wmb();
	priv->rx_tail = DMANIC_RING_SIZE - 1;
	writel(priv->rx_tail, &priv->regs->rx_tail);
	writel(0, &priv->regs->tx_tail);
	writel(DMANIC_CTRL_ENABLE, &priv->regs->ctrl);
	return 0;

err_rx_bufs:
	dmanic_free_rx_bufs(priv);
err_rx_ring:
	dma_free_coherent(dev, ring_bytes, priv->rx_ring, priv->rx_ring_dma);
	priv->rx_ring = NULL;
	return err;
}

/* The driver fills in the frame's 16-bit checksum field (bytes 0-1) over the rest. */
static void dmanic_set_csum(u8 *frame, unsigned int len)
{
	u32 sum = 0;
	unsigned int i;

	for (i = 2; i + 1 < len; i += 2)
		sum += (frame[i] << 8) | frame[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	frame[0] = (u8)(~sum >> 8);
	frame[1] = (u8)~sum;
}

int dmanic_xmit(struct dmanic_priv *priv, const void *data, unsigned int len)
{
	struct device *dev = priv->dev;
	struct dmanic_tx_buf *tb;
	struct dmanic_desc *desc;
	unsigned int i;
	unsigned long flags;
	u8 *buf;
	dma_addr_t dma;

	if (len < 4 || len > DMANIC_RX_BUF_SIZE)
		return -EINVAL;

	buf = kmalloc(len, GFP_ATOMIC);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, data, len);
	if (dmanic_bug != DMANIC_BUG_TX_WRITE_AFTER_MAP)
		dmanic_set_csum(buf, len);

	dma = dma_map_single(dev, buf, len, DMA_TO_DEVICE);
	if (dmanic_bug != DMANIC_BUG_UNCHECKED_MAP_ERROR && dma_mapping_error(dev, dma)) {
		kfree(buf);
		return -ENOMEM;
	}
	if (dmanic_bug == DMANIC_BUG_TX_WRITE_AFTER_MAP) /* BUG: the device owns buf now */
		dmanic_set_csum(buf, len);

	spin_lock_irqsave(&priv->tx_lock, flags);
	i = priv->tx_next_to_use;
	if (((i + 1) & (DMANIC_RING_SIZE - 1)) == priv->tx_next_to_clean) {
		spin_unlock_irqrestore(&priv->tx_lock, flags);
		dma_unmap_single(dev, dma, len, DMA_TO_DEVICE);
		kfree(buf);
		return -EBUSY;
	}
	tb = &priv->tx_buf[i];
	tb->data = buf;
	dma_unmap_addr_set(tb, dma, dma);
	dma_unmap_len_set(tb, len, len);

	desc = &priv->tx_ring[i];
	desc->addr = dma;
	desc->len = len;
	desc->flags = DMANIC_DESC_EOP;
	priv->tx_next_to_use = (i + 1) & (DMANIC_RING_SIZE - 1);
	dma_wmb();
	writel(priv->tx_next_to_use, &priv->regs->tx_tail);
	spin_unlock_irqrestore(&priv->tx_lock, flags);
	return 0;
}

static void dmanic_unmap_tx(struct dmanic_priv *priv, struct dmanic_tx_buf *tb)
{
	enum dma_data_direction dir = DMA_TO_DEVICE;

	if (dmanic_bug == DMANIC_BUG_UNMAP_DIRECTION)
		dir = DMA_FROM_DEVICE; /* BUG: not the direction it was mapped with */
	dma_unmap_single(priv->dev, dma_unmap_addr(tb, dma), dma_unmap_len(tb, len), dir);
	/* The double-unmap variant "forgets" to mark the slot empty, as mt76 did. */
	if (dmanic_bug != DMANIC_BUG_DOUBLE_UNMAP)
		dma_unmap_len_set(tb, len, 0);
}

static void dmanic_clean_tx(struct dmanic_priv *priv)
{
	unsigned long flags;

	spin_lock_irqsave(&priv->tx_lock, flags);
	while (priv->tx_next_to_clean != priv->tx_next_to_use) {
		unsigned int i = priv->tx_next_to_clean;
		struct dmanic_tx_buf *tb = &priv->tx_buf[i];

		if (!(READ_ONCE(priv->tx_ring[i].flags) & DMANIC_DESC_DD))
			break;
		dma_rmb();
		dmanic_unmap_tx(priv, tb);
		kfree(tb->data);
		if (dmanic_bug != DMANIC_BUG_DOUBLE_UNMAP)
			tb->data = NULL;
		priv->tx_next_to_clean = (i + 1) & (DMANIC_RING_SIZE - 1);
	}
	spin_unlock_irqrestore(&priv->tx_lock, flags);
}

/* Receive one packet from descriptor i; returns false if the descriptor is still the device's. */
static bool dmanic_rx_one(struct dmanic_priv *priv, unsigned int i)
{
	struct device *dev = priv->dev;
	struct dmanic_desc *desc = &priv->rx_ring[i];
	struct dmanic_rx_buf *rb = &priv->rx_buf[i];
	unsigned int len;
	u8 *data;

	if (!(READ_ONCE(desc->flags) & DMANIC_DESC_DD))
		return false;
	dma_rmb(); /* read the length only after DD */
	len = min_t(unsigned int, desc->len, DMANIC_RX_BUF_SIZE);
	data = rb->data;

	if (len <= DMANIC_COPYBREAK) {
		/* copybreak: copy small packets out and give the same buffer back */
		if (dmanic_bug == DMANIC_BUG_RX_READ_BEFORE_SYNC) {
			/* BUG: the stack sees the data while the device still owns it */
			priv->rx_fn(priv->rx_ctx, data, len);
			dma_sync_single_for_cpu(dev, rb->dma, len, DMA_FROM_DEVICE);
		} else {
			dma_sync_single_for_cpu(dev, rb->dma, len, DMA_FROM_DEVICE);
			priv->rx_fn(priv->rx_ctx, data, len);
		}
		dma_sync_single_for_device(dev, rb->dma, len, DMA_FROM_DEVICE);
	} else {
		/* large packets: unmap, pass the buffer up, refill with a new one */
		size_t unmap_len = DMANIC_RX_BUF_SIZE;

		if (dmanic_bug == DMANIC_BUG_UNMAP_SIZE)
			unmap_len = len; /* BUG: the received length, not the mapped one */
		dma_unmap_single(dev, rb->dma, unmap_len, DMA_FROM_DEVICE);
		priv->rx_fn(priv->rx_ctx, data, len);
		kfree(data - dmanic_rx_headroom);
		rb->data = NULL;
		if (dmanic_alloc_rx_buf(priv, i)) {
			dev_warn(dev, "rx refill failed, descriptor %u stays empty\n", i);
			return true;
		}
	}
	dmanic_arm_rx_desc(priv, i);
	return true;
}

int dmanic_poll(struct dmanic_priv *priv, int budget)
{
	int done = 0;

	writel(DMANIC_IRQ_TX | DMANIC_IRQ_RX, &priv->regs->irq_status);
	dmanic_clean_tx(priv);
	while (done < budget && dmanic_rx_one(priv, priv->rx_next_to_clean)) {
		priv->rx_tail = priv->rx_next_to_clean;
		priv->rx_next_to_clean = (priv->rx_next_to_clean + 1) & (DMANIC_RING_SIZE - 1);
		done++;
	}
	if (done) {
		dma_wmb();
		writel(priv->rx_tail, &priv->regs->rx_tail);
	}
	return done;
}

void dmanic_stop(struct dmanic_priv *priv)
{
	size_t ring_bytes = DMANIC_RING_SIZE * sizeof(struct dmanic_desc);
	unsigned int i;

	writel(0, &priv->regs->ctrl); /* the device stops fetching before buffers go away */

	dmanic_clean_tx(priv);
	for (i = 0; i < DMANIC_RING_SIZE; i++) {
		struct dmanic_tx_buf *tb = &priv->tx_buf[i];

		/* completions not reaped yet: unmap what is still marked as mapped */
		if (dma_unmap_len(tb, len))
			dmanic_unmap_tx(priv, tb);
		if (dmanic_bug != DMANIC_BUG_DOUBLE_UNMAP)
			kfree(tb->data);
		tb->data = NULL;
		dma_unmap_len_set(tb, len, 0);
	}
	dmanic_free_rx_bufs(priv);
	dma_free_coherent(priv->dev, ring_bytes, priv->tx_ring, priv->tx_ring_dma);
	dma_free_coherent(priv->dev, ring_bytes, priv->rx_ring, priv->rx_ring_dma);
	priv->tx_ring = priv->rx_ring = NULL;
}

void dmanic_remove(struct dmanic_priv *priv)
{
	kfree(priv);
}
