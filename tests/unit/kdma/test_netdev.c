// SPDX-License-Identifier: MIT
/* Socket buffers, network devices and NAPI (src/kdma/base/skbuff.c, netdev.c): a loopback
 * driver whose transmit queues the frame for its NAPI poll, which hands it back up the stack. */
#include <string.h>

#include <criterion/criterion.h>

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

struct loop_priv {
	struct napi_struct napi;
	struct sk_buff *queue[8];
	int head, tail;
	pthread_mutex_t lock;
	int opens, stops;
};

static int loop_poll(struct napi_struct *napi, int budget)
{
	struct loop_priv *lp = container_of(napi, struct loop_priv, napi);
	int done = 0;

	pthread_mutex_lock(&lp->lock);
	while (done < budget && lp->head != lp->tail) {
		struct sk_buff *skb = lp->queue[lp->head++ % 8];

		skb->protocol = eth_type_trans(skb, napi->dev);
		napi_gro_receive(napi, skb);
		done++;
	}
	pthread_mutex_unlock(&lp->lock);
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

static netdev_tx_t loop_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct loop_priv *lp = netdev_priv(dev);

	pthread_mutex_lock(&lp->lock);
	lp->queue[lp->tail++ % 8] = skb;
	pthread_mutex_unlock(&lp->lock);
	napi_schedule(&lp->napi);
	return NETDEV_TX_OK;
}

static int loop_open(struct net_device *dev)
{
	struct loop_priv *lp = netdev_priv(dev);

	lp->opens++;
	napi_enable(&lp->napi);
	netif_start_queue(dev);
	return 0;
}

static int loop_stop(struct net_device *dev)
{
	struct loop_priv *lp = netdev_priv(dev);

	lp->stops++;
	netif_stop_queue(dev);
	napi_disable(&lp->napi);
	return 0;
}

static const struct net_device_ops loop_ops = {
	.ndo_open = loop_open,
	.ndo_stop = loop_stop,
	.ndo_start_xmit = loop_xmit,
	.ndo_validate_addr = eth_validate_addr,
};

static atomic_t received;
static u8 last_payload;

static void rx(struct sk_buff *skb, void *arg)
{
	(void)arg;
	last_payload = skb->data[0];
	cr_assert_eq(skb->protocol, htons(ETH_P_IP));
	kfree_skb(skb);
	atomic_inc(&received);
}

Test(netdev, frames_loop_through_start_xmit_and_napi)
{
	static const u8 mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 1 };
	struct net_device *dev = alloc_etherdev(sizeof(struct loop_priv));
	struct loop_priv *lp = netdev_priv(dev);

	cr_assert_not_null(dev);
	pthread_mutex_init(&lp->lock, NULL);
	dev->netdev_ops = &loop_ops;
	netif_napi_add_weight(dev, &lp->napi, loop_poll, 4);
	cr_assert_not(napi_schedule_prep(&lp->napi), "disabled until napi_enable");
	cr_assert_eq(register_netdev(dev), 0);
	cr_assert_eq(strncmp(dev->name, "eth", 3), 0);
	cr_assert_eq(dev_open(dev, NULL), -EADDRNOTAVAIL, "no address yet");
	eth_hw_addr_set(dev, mac);
	cr_assert_eq(dev_open(dev, NULL), 0);
	kdma_netdev_set_rx(dev, rx, NULL);
	for (int i = 0; i < 6; i++) {
		struct sk_buff *skb = netdev_alloc_skb_ip_align(dev, 128);
		struct ethhdr *eth = skb_put(skb, ETH_HLEN);

		memcpy(eth->h_dest, mac, ETH_ALEN);
		memcpy(eth->h_source, mac, ETH_ALEN);
		eth->h_proto = htons(ETH_P_IP);
		*(u8 *)skb_put(skb, 1) = (u8)i;
		cr_assert_eq(eth_skb_pad(skb), 0);
		cr_assert_eq(skb->len, ETH_ZLEN);
		cr_assert_eq(skb_headroom(skb), NET_SKB_PAD + NET_IP_ALIGN);
		skb->dev = dev;
		cr_assert_eq(dev_queue_xmit(skb), NETDEV_TX_OK);
		while (atomic_read(&received) <= i)
			sched_yield();
	}
	cr_assert_eq(last_payload, 5);
	unregister_netdev(dev);
	cr_assert_eq(lp->stops, 1, "unregister closes a running device");
	netif_napi_del(&lp->napi);
	free_netdev(dev);
}

Test(skbuff, fragments_and_layout)
{
	struct sk_buff *skb = alloc_skb(100, GFP_KERNEL);
	struct page *page = alloc_page(GFP_KERNEL);

	cr_assert_eq(skb->end, SKB_DATA_ALIGN(100));
	cr_assert_eq(skb_tailroom(skb), (int)skb->end);
	skb_put(skb, 10);
	skb_add_rx_frag(skb, 0, page, 100, 200, PAGE_SIZE);
	cr_assert_eq(skb->len, 210);
	cr_assert_eq(skb_headlen(skb), 10);
	cr_assert_eq(skb_shinfo(skb)->nr_frags, 1);
	cr_assert_eq(skb_frag_address(&skb_shinfo(skb)->frags[0]), (char *)page_address(page) + 100);
	kfree_skb(skb); /* drops the fragment's page */
}
