/* SPDX-License-Identifier: MIT */
/* <linux/ip.h> — the IPv4 header (UAPI struct iphdr) and where it sits in a socket buffer. */
#ifndef _DMASAN_SHIM_LINUX_IP_H
#define _DMASAN_SHIM_LINUX_IP_H

#include <asm/byteorder.h>
#include <linux/skbuff.h>
#include_next <linux/ip.h>

static inline struct iphdr *ip_hdr(const struct sk_buff *skb)
{
	return (struct iphdr *)skb_network_header(skb);
}

static inline unsigned int ip_hdrlen(const struct sk_buff *skb)
{
	return ip_hdr(skb)->ihl * 4U;
}

#endif
