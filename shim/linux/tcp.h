/* SPDX-License-Identifier: MIT */
/* <linux/tcp.h> — the TCP header (UAPI struct tcphdr) and where it sits in a socket buffer. */
#ifndef _DMASAN_SHIM_LINUX_TCP_H
#define _DMASAN_SHIM_LINUX_TCP_H

#include <asm/byteorder.h>
#include <linux/skbuff.h>
#include_next <linux/tcp.h>

static inline struct tcphdr *tcp_hdr(const struct sk_buff *skb)
{
	return (struct tcphdr *)skb_transport_header(skb);
}

static inline unsigned int tcp_hdrlen(const struct sk_buff *skb)
{
	return tcp_hdr(skb)->doff * 4U;
}

#endif
