/* SPDX-License-Identifier: MIT */
/*
 * <linux/if_vlan.h> — 802.1Q tags. A socket buffer carries an offloaded tag beside its data
 * (vlan_proto, vlan_tci, vlan_present), as the kernel's hardware-accelerated VLAN path does.
 */
#ifndef _DMASAN_SHIM_LINUX_IF_VLAN_H
#define _DMASAN_SHIM_LINUX_IF_VLAN_H

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include_next <linux/if_vlan.h>

#define VLAN_HLEN 4
#define VLAN_ETH_HLEN 18
#define VLAN_ETH_ZLEN 64
#define VLAN_ETH_DATA_LEN 1500
#define VLAN_ETH_FRAME_LEN 1518
#define VLAN_PRIO_MASK 0xe000
#define VLAN_PRIO_SHIFT 13
#define VLAN_CFI_MASK 0x1000
#define VLAN_VID_MASK 0x0fff
#define VLAN_N_VID 4096

struct vlan_hdr {
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
};

struct vlan_ethhdr {
	unsigned char h_dest[ETH_ALEN];
	unsigned char h_source[ETH_ALEN];
	__be16 h_vlan_proto;
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
};

static inline void __vlan_hwaccel_put_tag(struct sk_buff *skb, __be16 vlan_proto, u16 vlan_tci)
{
	skb->vlan_proto = vlan_proto;
	skb->vlan_tci = vlan_tci;
	skb->vlan_present = 1;
}

static inline void __vlan_hwaccel_clear_tag(struct sk_buff *skb)
{
	skb->vlan_present = 0;
}

static inline bool eth_type_vlan(__be16 ethertype)
{
	return ethertype == htons(ETH_P_8021Q) || ethertype == htons(ETH_P_8021AD);
}

/* Two tags or more: one offloaded or in the frame, and another inside it. */
static inline bool skb_vlan_tagged_multi(struct sk_buff *skb)
{
	__be16 protocol = skb->protocol;

	if (!skb_vlan_tag_present(skb)) {
		if (!eth_type_vlan(protocol) || skb_headlen(skb) < VLAN_ETH_HLEN)
			return false;
		protocol = ((struct vlan_ethhdr *)skb->data)->h_vlan_encapsulated_proto;
	}
	return eth_type_vlan(protocol);
}

/* What offloads a multi-tagged frame keeps: the hardware parses one tag only. */
static inline netdev_features_t vlan_features_check(struct sk_buff *skb,
						    netdev_features_t features)
{
	if (skb_vlan_tagged_multi(skb))
		features &= NETIF_F_SG | NETIF_F_HIGHDMA | NETIF_F_HW_CSUM | NETIF_F_FRAGLIST |
			    NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX;
	return features;
}

#define skb_vlan_tag_get_id(skb) ((skb)->vlan_tci & VLAN_VID_MASK)
#define skb_vlan_tag_get_prio(skb) (((skb)->vlan_tci & VLAN_PRIO_MASK) >> VLAN_PRIO_SHIFT)

#endif
