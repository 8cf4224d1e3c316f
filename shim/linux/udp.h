/* SPDX-License-Identifier: MIT */
/* <linux/udp.h> — the UDP header (UAPI struct udphdr) and where it sits in a socket buffer. */
#ifndef _DMASAN_SHIM_LINUX_UDP_H
#define _DMASAN_SHIM_LINUX_UDP_H

#include <linux/skbuff.h>
#include_next <linux/udp.h>

static inline struct udphdr *udp_hdr(const struct sk_buff *skb)
{
	return (struct udphdr *)skb_transport_header(skb);
}

#endif
