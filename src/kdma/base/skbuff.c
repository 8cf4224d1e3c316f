// SPDX-License-Identifier: MIT
/* Socket buffers (<linux/skbuff.h>): a kmalloc'd head with the shared info after its end. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "base/base.h"
#include "mm/mm.h"

struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp)
{
	struct sk_buff *skb = kzalloc(sizeof(*skb), gfp);
	unsigned int room = SKB_DATA_ALIGN(size);

	if (!skb)
		return NULL;
	skb->head = kmalloc(room + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)), gfp);
	if (!skb->head) {
		kfree(skb);
		return NULL;
	}
	skb->data = skb->head;
	skb->end = room;
	skb->truesize = room + sizeof(*skb);
	skb->users = 1;
	memset(skb_shinfo(skb), 0, sizeof(struct skb_shared_info));
	return skb;
}

struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int length, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(length + NET_SKB_PAD, gfp);

	if (skb) {
		skb_reserve(skb, NET_SKB_PAD);
		skb->dev = dev;
	}
	return skb;
}

struct sk_buff *napi_alloc_skb(struct napi_struct *napi, unsigned int length)
{
	struct sk_buff *skb = __netdev_alloc_skb(napi ? napi->dev : NULL, length + NET_IP_ALIGN,
						 GFP_ATOMIC);

	if (skb)
		skb_reserve(skb, NET_IP_ALIGN);
	return skb;
}

void kfree_skb(struct sk_buff *skb)
{
	struct skb_shared_info *sh;

	if (!skb)
		return;
	sh = skb_shinfo(skb);
	for (int i = 0; i < sh->nr_frags && i < MAX_SKB_FRAGS; i++)
		put_page(skb_frag_page(&sh->frags[i]));
	kfree(skb->head);
	kfree(skb);
}

void skb_add_rx_frag(struct sk_buff *skb, int i, struct page *page, int off, int size,
		     unsigned int truesize)
{
	if (i < 0 || i >= MAX_SKB_FRAGS) {
		kdma_warn(NULL, "skb_add_rx_frag: fragment %d beyond MAX_SKB_FRAGS", i);
		return;
	}
	skb_frag_fill_page_desc(&skb_shinfo(skb)->frags[i], page, off, size);
	if (skb_shinfo(skb)->nr_frags < i + 1)
		skb_shinfo(skb)->nr_frags = (u8)(i + 1);
	skb->len += (unsigned int)size;
	skb->data_len += (unsigned int)size;
	skb->truesize += truesize;
}

void *skb_put(struct sk_buff *skb, unsigned int len)
{
	void *tail = skb_tail_pointer(skb);

	if (skb_is_nonlinear(skb) || skb->tail + len > skb->end) {
		/* the kernel's skb_over_panic */
		kdma_warn(NULL, "skb_put: %u bytes beyond the end of the buffer (tail %u, end %u)", len,
			  skb->tail, skb->end);
		abort();
	}
	skb->tail += len;
	skb->len += len;
	return tail;
}

void *skb_push(struct sk_buff *skb, unsigned int len)
{
	if (len > skb_headroom(skb)) {
		kdma_warn(NULL, "skb_push: %u bytes, only %u of headroom", len, skb_headroom(skb));
		abort();
	}
	skb->data -= len;
	skb->len += len;
	return skb->data;
}

void *skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (len > skb_headlen(skb))
		return NULL;
	skb->len -= len;
	skb->data += len;
	return skb->data;
}

int skb_padto(struct sk_buff *skb, unsigned int len)
{
	unsigned int pad;

	if (skb->len >= len)
		return 0;
	pad = len - skb->len;
	if (skb_is_nonlinear(skb) || (unsigned int)skb_tailroom(skb) < pad) {
		kfree_skb(skb); /* the kernel frees on failure, too */
		return -ENOMEM;
	}
	memset(skb_tail_pointer(skb), 0, pad); /* the bytes exist and are zero; len stays */
	return 0;
}
