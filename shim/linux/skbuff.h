/* SPDX-License-Identifier: MIT */
/*
 * <linux/skbuff.h> — socket buffers as the kernel lays them out: one kmalloc'd head buffer
 * [head, end) holding the linear data [data, tail) with the struct skb_shared_info after end,
 * and up to MAX_SKB_FRAGS page fragments. Heads and fragments are ordinary kernel memory, so
 * drivers map them with the real DMA API (dma_map_single on skb->data, skb_frag_dma_map).
 * tail and end are offsets from head, as on 64-bit kernels.
 */
#ifndef _DMASAN_SHIM_LINUX_SKBUFF_H
#define _DMASAN_SHIM_LINUX_SKBUFF_H

#include <string.h>

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/types.h>

struct net_device;
struct napi_struct;

#define MAX_SKB_FRAGS 17
#define NET_SKB_PAD 64
#define NET_IP_ALIGN 2 /* the generic value; x86 uses 0 */
#define SKB_DATA_ALIGN(x) (((x) + (SMP_CACHE_BYTES - 1)) & ~(SMP_CACHE_BYTES - 1))

#define CHECKSUM_NONE 0
#define CHECKSUM_UNNECESSARY 1
#define CHECKSUM_COMPLETE 2
#define CHECKSUM_PARTIAL 3

typedef struct skb_frag {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
} skb_frag_t;

struct skb_shared_info {
	u8 nr_frags;
	unsigned short gso_size;
	unsigned short gso_segs;
	unsigned int gso_type;
	skb_frag_t frags[MAX_SKB_FRAGS];
};

struct sk_buff {
	struct sk_buff *next, *prev;
	struct net_device *dev;
	char cb[48];
	unsigned int len;      /* linear + fragments */
	unsigned int data_len; /* fragments */
	u16 queue_mapping;
	u8 ip_summed;
	__be16 protocol;
	__be16 vlan_proto;
	u16 vlan_tci;
	u16 vlan_present;
	u16 transport_header, network_header, mac_header;
	u32 priority;
	unsigned int truesize;
	unsigned int tail, end; /* offsets from head */
	unsigned char *head, *data;
	int users;
};

struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp);
struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int length, gfp_t gfp);
struct sk_buff *napi_alloc_skb(struct napi_struct *napi, unsigned int length);
/* frees the head, drops the fragments' page references and the skb */
void kfree_skb(struct sk_buff *skb);
#define consume_skb kfree_skb
#define dev_kfree_skb kfree_skb
#define dev_kfree_skb_any kfree_skb
#define dev_kfree_skb_irq kfree_skb
#define dev_consume_skb_irq kfree_skb
#define dev_consume_skb_any kfree_skb
#define napi_consume_skb(skb, budget) kfree_skb(skb)
void skb_add_rx_frag(struct sk_buff *skb, int i, struct page *page, int off, int size,
		     unsigned int truesize);

#define netdev_alloc_skb(dev, len) __netdev_alloc_skb(dev, len, GFP_ATOMIC)
#define dev_alloc_skb(len) netdev_alloc_skb(NULL, len)
static inline struct sk_buff *netdev_alloc_skb_ip_align(struct net_device *dev,
							unsigned int length);

static inline unsigned char *skb_tail_pointer(const struct sk_buff *skb)
{
	return skb->head + skb->tail;
}

static inline unsigned char *skb_end_pointer(const struct sk_buff *skb)
{
	return skb->head + skb->end;
}

#define skb_shinfo(skb) ((struct skb_shared_info *)skb_end_pointer(skb))

static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len - skb->data_len;
}

static inline bool skb_is_nonlinear(const struct sk_buff *skb)
{
	return skb->data_len != 0;
}

static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return (unsigned int)(skb->data - skb->head);
}

static inline int skb_tailroom(const struct sk_buff *skb)
{
	return skb_is_nonlinear(skb) ? 0 : (int)(skb->end - skb->tail);
}

static inline void skb_reserve(struct sk_buff *skb, int len)
{
	skb->data += len;
	skb->tail += len;
}

void *skb_put(struct sk_buff *skb, unsigned int len);
void *skb_push(struct sk_buff *skb, unsigned int len);
void *skb_pull(struct sk_buff *skb, unsigned int len);

static inline void *skb_put_data(struct sk_buff *skb, const void *data, unsigned int len)
{
	void *p = skb_put(skb, len);

	memcpy(p, data, len);
	return p;
}

static inline void *skb_put_zero(struct sk_buff *skb, unsigned int len)
{
	void *p = skb_put(skb, len);

	memset(p, 0, len);
	return p;
}

static inline struct sk_buff *netdev_alloc_skb_ip_align(struct net_device *dev,
							unsigned int length)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, length + NET_IP_ALIGN);

	if (NET_IP_ALIGN && skb)
		skb_reserve(skb, NET_IP_ALIGN);
	return skb;
}

static inline unsigned int skb_frag_size(const skb_frag_t *frag)
{
	return frag->bv_len;
}

static inline struct page *skb_frag_page(const skb_frag_t *frag)
{
	return frag->bv_page;
}

static inline unsigned int skb_frag_off(const skb_frag_t *frag)
{
	return frag->bv_offset;
}

static inline void *skb_frag_address(const skb_frag_t *frag)
{
	return (char *)page_address(skb_frag_page(frag)) + skb_frag_off(frag);
}

static inline dma_addr_t skb_frag_dma_map(struct device *dev, const skb_frag_t *frag,
					  size_t offset, size_t size,
					  enum dma_data_direction dir)
{
	return dma_map_page(dev, skb_frag_page(frag), skb_frag_off(frag) + offset, size, dir);
}

static inline void skb_frag_fill_page_desc(skb_frag_t *frag, struct page *page, int off,
					   int size)
{
	frag->bv_page = page;
	frag->bv_offset = (unsigned int)off;
	frag->bv_len = (unsigned int)size;
}

static inline void skb_checksum_none_assert(const struct sk_buff *skb)
{
	(void)skb;
}

static inline void skb_reset_mac_header(struct sk_buff *skb)
{
	skb->mac_header = (u16)skb_headroom(skb);
}

static inline void skb_reset_network_header(struct sk_buff *skb)
{
	skb->network_header = (u16)skb_headroom(skb);
}

static inline void skb_set_network_header(struct sk_buff *skb, int offset)
{
	skb->network_header = (u16)(skb_headroom(skb) + offset);
}

static inline unsigned char *skb_mac_header(const struct sk_buff *skb)
{
	return skb->head + skb->mac_header;
}

static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}

static inline unsigned char *skb_transport_header(const struct sk_buff *skb)
{
	return skb->head + skb->transport_header;
}

static inline int skb_transport_offset(const struct sk_buff *skb)
{
	return (int)(skb_transport_header(skb) - skb->data);
}

static inline bool skb_is_gso(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->gso_size != 0;
}

static inline bool skb_vlan_tag_present(const struct sk_buff *skb)
{
	return skb->vlan_present;
}

static inline u16 skb_vlan_tag_get(const struct sk_buff *skb)
{
	return skb->vlan_tci;
}

static inline void skb_copy_from_linear_data(const struct sk_buff *skb, void *to,
					     unsigned int len)
{
	memcpy(to, skb->data, len);
}

static inline void skb_copy_to_linear_data(struct sk_buff *skb, const void *from,
					   unsigned int len)
{
	memcpy(skb->data, from, len);
}

/* Zeroes the bytes after the data up to len (skb->len unchanged); on failure frees the skb and
 * returns -ENOMEM. */
int skb_padto(struct sk_buff *skb, unsigned int len);

#endif
