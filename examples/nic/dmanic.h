/* SPDX-License-Identifier: MIT */
/* dmanic driver interface used by the test harness (the "network stack" side). */
#ifndef DMANIC_H
#define DMANIC_H

#include <linux/types.h>

struct device;
struct dmanic_regs;
struct dmanic_priv;

/*
 * Real-world bugs the driver can be built to contain, selected at run time (like a module
 * parameter). Each reproduces a class of bug fixed in real kernel drivers.
 */
enum dmanic_bug {
	DMANIC_BUG_NONE = 0,
	DMANIC_BUG_UNCHECKED_MAP_ERROR, /* TX map result never checked (axienet, atl1) */
	DMANIC_BUG_UNMAP_DIRECTION,     /* TX unmapped FROM_DEVICE (ccree "forgot the other") */
	DMANIC_BUG_UNMAP_SIZE,          /* RX unmapped with the received length (ftgmac100) */
	DMANIC_BUG_DOUBLE_UNMAP,        /* TX buffer unmapped at completion and again at teardown (mt76) */
	DMANIC_BUG_LEAK_ON_ERROR,       /* open() error path leaves RX buffers mapped (moxart, qcom-geni) */
	DMANIC_BUG_RX_READ_BEFORE_SYNC, /* RX header parsed before dma_sync_single_for_cpu (ena XDP) */
	DMANIC_BUG_TX_WRITE_AFTER_MAP,  /* checksum written into a mapped TX buffer (ena xdp_frame) */
	DMANIC_BUG__COUNT
};

extern enum dmanic_bug dmanic_bug;
/* Bytes allocated in front of each RX buffer, as a network stack reserves skb headroom
 * (NET_SKB_PAD + NET_IP_ALIGN = 66 on most machines); the device receives after them. */
extern unsigned int dmanic_rx_headroom;
const char *dmanic_bug_name(enum dmanic_bug bug);
int dmanic_bug_parse(const char *name); /* -1 if unknown */

typedef void (*dmanic_rx_fn)(void *ctx, const void *data, unsigned int len);

struct dmanic_priv *dmanic_probe(struct device *dev, struct dmanic_regs *regs);
int dmanic_open(struct dmanic_priv *priv, dmanic_rx_fn rx, void *ctx);
int dmanic_xmit(struct dmanic_priv *priv, const void *data, unsigned int len);
/* NAPI-style poll: reap TX completions and receive up to budget packets; returns packets received. */
int dmanic_poll(struct dmanic_priv *priv, int budget);
void dmanic_stop(struct dmanic_priv *priv);
void dmanic_remove(struct dmanic_priv *priv);

#endif
