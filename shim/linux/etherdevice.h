/* SPDX-License-Identifier: MIT */
/* <linux/etherdevice.h> — Ethernet devices and addresses. */
#ifndef _DMASAN_SHIM_LINUX_ETHERDEVICE_H
#define _DMASAN_SHIM_LINUX_ETHERDEVICE_H

#include <errno.h>
#include <string.h>

#include <asm/byteorder.h>
#include <linux/netdevice.h>
#include <linux/random.h>

static inline struct net_device *alloc_etherdev(size_t sizeof_priv)
{
	return alloc_netdev(sizeof_priv, "eth%d");
}

#define devm_alloc_etherdev(dev, sizeof_priv) alloc_etherdev(sizeof_priv)

static inline bool is_zero_ether_addr(const u8 *addr)
{
	static const u8 zero[ETH_ALEN];

	return !memcmp(addr, zero, ETH_ALEN);
}

static inline bool is_multicast_ether_addr(const u8 *addr)
{
	return addr[0] & 0x01;
}

static inline bool is_broadcast_ether_addr(const u8 *addr)
{
	return (addr[0] & addr[1] & addr[2] & addr[3] & addr[4] & addr[5]) == 0xff;
}

static inline bool is_valid_ether_addr(const u8 *addr)
{
	return !is_multicast_ether_addr(addr) && !is_zero_ether_addr(addr);
}

static inline void ether_addr_copy(u8 *dst, const u8 *src)
{
	memcpy(dst, src, ETH_ALEN);
}

static inline bool ether_addr_equal(const u8 *a, const u8 *b)
{
	return !memcmp(a, b, ETH_ALEN);
}

static inline void eth_random_addr(u8 *addr)
{
	get_random_bytes(addr, ETH_ALEN);
	addr[0] &= 0xfe; /* unicast */
	addr[0] |= 0x02; /* locally administered */
}

static inline void eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
	memcpy(dev->dev_addr_storage, addr, ETH_ALEN);
}

static inline void eth_hw_addr_random(struct net_device *dev)
{
	eth_random_addr(dev->dev_addr_storage);
}

static inline int eth_validate_addr(struct net_device *dev)
{
	return is_valid_ether_addr(dev->dev_addr) ? 0 : -EADDRNOTAVAIL;
}

/* The frame's protocol; skb->data moves past the Ethernet header, as the kernel's. */
static inline __be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	const struct ethhdr *eth = (const struct ethhdr *)skb->data;

	skb->dev = dev;
	skb_reset_mac_header(skb);
	skb_pull(skb, ETH_HLEN);
	return eth->h_proto;
}

/* Pads short frames to ETH_ZLEN (skb->len grows); frees the skb on failure. */
static inline int eth_skb_pad(struct sk_buff *skb)
{
	unsigned int len = skb->len;

	if (len >= ETH_ZLEN)
		return 0;
	if (skb_padto(skb, ETH_ZLEN))
		return -ENOMEM;
	skb_put(skb, ETH_ZLEN - len);
	return 0;
}

#endif
