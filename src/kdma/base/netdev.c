// SPDX-License-Identifier: MIT
/*
 * Network devices and NAPI (<linux/netdevice.h>). Each napi_struct has a poller thread, started
 * by napi_enable(): napi_schedule() sets SCHED and wakes it; it calls the driver's poll with the
 * weight as budget for as long as the driver keeps it scheduled (a poll that uses its whole
 * budget, or does not call napi_complete_done). napi_disable() waits for a running poll.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/netdevice.h>

#include "base/base.h"
#include "mm/mm.h"

static atomic_uint netdev_next_id;

struct net_device *alloc_netdev(size_t sizeof_priv, const char *name)
{
	struct net_device *dev = kzalloc(sizeof(*dev) + sizeof_priv, GFP_KERNEL);

	if (!dev)
		return NULL;
	snprintf(dev->name, sizeof(dev->name), "%s", name ? name : "eth%d");
	dev->priv_size = sizeof_priv;
	dev->dev_addr = dev->dev_addr_storage;
	dev->mtu = 1500;
	dev->min_mtu = 68;
	dev->max_mtu = 1500;
	dev->addr_len = ETH_ALEN;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	return dev;
}

void free_netdev(struct net_device *dev)
{
	kfree(dev);
}

int register_netdev(struct net_device *dev)
{
	char *pct;
	int ret;

	if (!dev || !dev->netdev_ops) {
		kdma_warn(NULL, "register_netdev: no device or no netdev_ops");
		return -EINVAL;
	}
	pct = strstr(dev->name, "%d"); /* "eth%d": the next free unit number */
	if (pct) {
		char rest[IFNAMSIZ];

		snprintf(rest, sizeof(rest), "%s", pct + 2);
		snprintf(pct, sizeof(dev->name) - (size_t)(pct - dev->name), "%u%s",
			 atomic_fetch_add(&netdev_next_id, 1), rest);
	}
	ret = dev->netdev_ops->ndo_init ? dev->netdev_ops->ndo_init(dev) : 0;
	if (!ret)
		netif_carrier_on(dev);
	return ret;
}

void unregister_netdev(struct net_device *dev)
{
	if (!dev)
		return;
	dev_close(dev);
	if (dev->netdev_ops && dev->netdev_ops->ndo_uninit)
		dev->netdev_ops->ndo_uninit(dev);
}

int dev_open(struct net_device *dev, void *extack)
{
	int ret = 0;

	(void)extack;
	if (netif_running(dev))
		return 0;
	if (dev->netdev_ops->ndo_validate_addr)
		ret = dev->netdev_ops->ndo_validate_addr(dev);
	if (!ret && dev->netdev_ops->ndo_open)
		ret = dev->netdev_ops->ndo_open(dev);
	if (ret)
		return ret;
	__kdma_netdev_set(dev, KDMA_NETDEV_RUNNING);
	dev->flags |= IFF_UP;
	if (dev->netdev_ops->ndo_set_rx_mode)
		dev->netdev_ops->ndo_set_rx_mode(dev);
	return 0;
}

void dev_close(struct net_device *dev)
{
	if (!netif_running(dev))
		return;
	/* as __dev_close_many: not running before ndo_stop, so the driver's paths see it down */
	__kdma_netdev_clear(dev, KDMA_NETDEV_RUNNING);
	if (dev->netdev_ops->ndo_stop)
		dev->netdev_ops->ndo_stop(dev);
	dev->flags &= ~IFF_UP;
}

netdev_tx_t dev_queue_xmit(struct sk_buff *skb)
{
	struct net_device *dev = skb ? skb->dev : NULL;

	if (!dev || !netif_running(dev) || netif_queue_stopped(dev))
		return NETDEV_TX_BUSY;
	return dev->netdev_ops->ndo_start_xmit(skb, dev);
}

void kdma_netdev_set_rx(struct net_device *dev, void (*rx)(struct sk_buff *skb, void *arg),
			void *arg)
{
	dev->kdma_rx = rx;
	dev->kdma_rx_arg = arg;
}

int netif_receive_skb(struct sk_buff *skb)
{
	struct net_device *dev = skb ? skb->dev : NULL;

	if (dev && dev->kdma_rx)
		dev->kdma_rx(skb, dev->kdma_rx_arg);
	else
		kfree_skb(skb);
	return 0;
}

/* ----------------------------------------------------------------------------- NAPI ---- */

#define NAPI_BIT(b) (1UL << (b))

static void *napi_thread(void *arg)
{
	struct napi_struct *n = arg;

	pthread_mutex_lock(&n->lock);
	for (;;) {
		while (!n->exiting && !(__atomic_load_n(&n->state, __ATOMIC_ACQUIRE) &
					NAPI_BIT(NAPI_STATE_SCHED)))
			pthread_cond_wait(&n->cond, &n->lock);
		if (n->exiting)
			break;
		n->polling = true;
		pthread_mutex_unlock(&n->lock);
		/* poll while the driver keeps it scheduled */
		while (__atomic_load_n(&n->state, __ATOMIC_ACQUIRE) & NAPI_BIT(NAPI_STATE_SCHED)) {
			int done = n->poll(n, n->weight);

			if (done < n->weight &&
			    (__atomic_load_n(&n->state, __ATOMIC_ACQUIRE) & NAPI_BIT(NAPI_STATE_SCHED)))
				sched_yield(); /* budget left but not completed: poll again soon */
		}
		pthread_mutex_lock(&n->lock);
		n->polling = false;
		pthread_cond_broadcast(&n->cond);
	}
	pthread_mutex_unlock(&n->lock);
	return NULL;
}

void netif_napi_add_weight(struct net_device *dev, struct napi_struct *napi,
			   int (*poll)(struct napi_struct *napi, int budget), int weight)
{
	memset(napi, 0, sizeof(*napi));
	napi->dev = dev;
	napi->poll = poll;
	napi->weight = weight;
	napi->state = NAPI_BIT(NAPI_STATE_SCHED) | NAPI_BIT(NAPI_STATE_DISABLE); /* as the kernel */
	pthread_mutex_init(&napi->lock, NULL);
	pthread_cond_init(&napi->cond, NULL);
}

void napi_enable(struct napi_struct *napi)
{
	__atomic_fetch_and(&napi->state, ~(NAPI_BIT(NAPI_STATE_SCHED) |
					   NAPI_BIT(NAPI_STATE_DISABLE)), __ATOMIC_ACQ_REL);
	pthread_mutex_lock(&napi->lock);
	if (!napi->thread_running) {
		napi->exiting = false;
		if (pthread_create(&napi->thread, NULL, napi_thread, napi) == 0)
			napi->thread_running = true;
		else
			kdma_warn(NULL, "napi_enable: no poller thread");
	}
	pthread_mutex_unlock(&napi->lock);
}

void napi_disable(struct napi_struct *napi)
{
	__atomic_fetch_or(&napi->state, NAPI_BIT(NAPI_STATE_DISABLE), __ATOMIC_ACQ_REL);
	pthread_mutex_lock(&napi->lock);
	while (napi->polling)
		pthread_cond_wait(&napi->cond, &napi->lock);
	/* owned now: a schedule can no longer succeed */
	__atomic_fetch_or(&napi->state, NAPI_BIT(NAPI_STATE_SCHED), __ATOMIC_ACQ_REL);
	napi->exiting = true;
	pthread_cond_broadcast(&napi->cond);
	pthread_mutex_unlock(&napi->lock);
	if (napi->thread_running)
		pthread_join(napi->thread, NULL);
	napi->thread_running = false;
}

void netif_napi_del(struct napi_struct *napi)
{
	if (napi->thread_running)
		napi_disable(napi);
	pthread_mutex_destroy(&napi->lock);
	pthread_cond_destroy(&napi->cond);
}

bool napi_schedule_prep(struct napi_struct *napi)
{
	if (__atomic_load_n(&napi->state, __ATOMIC_ACQUIRE) & NAPI_BIT(NAPI_STATE_DISABLE))
		return false;
	return !(__atomic_fetch_or(&napi->state, NAPI_BIT(NAPI_STATE_SCHED), __ATOMIC_ACQ_REL) &
		 NAPI_BIT(NAPI_STATE_SCHED));
}

void __napi_schedule(struct napi_struct *napi)
{
	pthread_mutex_lock(&napi->lock);
	pthread_cond_broadcast(&napi->cond);
	pthread_mutex_unlock(&napi->lock);
}

bool napi_complete_done(struct napi_struct *napi, int work_done)
{
	(void)work_done;
	__atomic_fetch_and(&napi->state, ~NAPI_BIT(NAPI_STATE_SCHED), __ATOMIC_ACQ_REL);
	return true;
}
