/* SPDX-License-Identifier: MIT */
/*
 * <linux/netdevice.h> — network devices and NAPI. A test opens a registered device with
 * dev_open() (the driver's ndo_open), sends with dev_queue_xmit() (ndo_start_xmit) and receives
 * what the driver hands to napi_gro_receive()/netif_receive_skb() through the handler set with
 * kdma_netdev_set_rx(). NAPI polls on one thread per napi_struct: napi_schedule() wakes it, it
 * calls the driver's poll with the weight as budget until the driver completes.
 */
#ifndef _DMASAN_SHIM_LINUX_NETDEVICE_H
#define _DMASAN_SHIM_LINUX_NETDEVICE_H

#include <arpa/inet.h> /* htons and friends, which the kernel's byteorder headers give */
#include <pthread.h>

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/if.h>       /* IFF_*, struct ifreq: the UAPI header */
#include <linux/if_ether.h> /* ETH_ALEN, ETH_P_*: the UAPI header */
#include <linux/bug.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/types.h>

#define IFNAMSIZ 16
#define NAPI_POLL_WEIGHT 64
#define MAX_ADDR_LEN 32

typedef u64 netdev_features_t;
#define NETIF_F_SG (1ULL << 0)
#define NETIF_F_IP_CSUM (1ULL << 1)
#define NETIF_F_HW_CSUM (1ULL << 3)
#define NETIF_F_HIGHDMA (1ULL << 5)
#define NETIF_F_HW_VLAN_CTAG_TX (1ULL << 7)
#define NETIF_F_HW_VLAN_CTAG_RX (1ULL << 8)
#define NETIF_F_FRAGLIST (1ULL << 6)
#define NETIF_F_HW_VLAN_STAG_TX (1ULL << 40)
#define NETIF_F_TSO (1ULL << 16)
#define NETIF_F_RXCSUM (1ULL << 29)


enum netdev_tx {
	NETDEV_TX_OK = 0x00,
	NETDEV_TX_BUSY = 0x10,
};
typedef enum netdev_tx netdev_tx_t;

struct net_device;
struct ifreq;
struct netlink_ext_ack;
struct ethtool_ops;

struct net_device_stats {
	unsigned long rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors;
	unsigned long rx_dropped, tx_dropped, multicast, collisions, rx_length_errors;
	unsigned long rx_over_errors, rx_crc_errors, rx_frame_errors, rx_fifo_errors;
	unsigned long rx_missed_errors, tx_aborted_errors, tx_carrier_errors, tx_fifo_errors;
	unsigned long tx_heartbeat_errors, tx_window_errors, rx_compressed, tx_compressed;
};

struct netdev_hw_addr {
	struct netdev_hw_addr *next;
	unsigned char addr[MAX_ADDR_LEN];
};

struct net_device_ops {
	int (*ndo_init)(struct net_device *dev);
	void (*ndo_uninit)(struct net_device *dev);
	int (*ndo_open)(struct net_device *dev);
	int (*ndo_stop)(struct net_device *dev);
	netdev_tx_t (*ndo_start_xmit)(struct sk_buff *skb, struct net_device *dev);
	netdev_features_t (*ndo_features_check)(struct sk_buff *skb, struct net_device *dev,
						netdev_features_t features);
	void (*ndo_set_rx_mode)(struct net_device *dev);
	int (*ndo_set_mac_address)(struct net_device *dev, void *addr);
	int (*ndo_validate_addr)(struct net_device *dev);
	int (*ndo_eth_ioctl)(struct net_device *dev, struct ifreq *ifr, int cmd);
	int (*ndo_change_mtu)(struct net_device *dev, int new_mtu);
	void (*ndo_tx_timeout)(struct net_device *dev, unsigned int txqueue);
	struct net_device_stats *(*ndo_get_stats)(struct net_device *dev);
	int (*ndo_set_features)(struct net_device *dev, netdev_features_t features);
	void (*ndo_poll_controller)(struct net_device *dev);
};

struct napi_struct {
	struct net_device *dev;
	int (*poll)(struct napi_struct *napi, int budget);
	int weight;
	unsigned long state; /* NAPI_STATE_* bits */
	/* the poller thread (libkdma) */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool thread_running, exiting, polling;
};

enum { NAPI_STATE_SCHED, NAPI_STATE_DISABLE };

struct net_device {
	char name[IFNAMSIZ];
	struct device dev; /* dev.parent: the bus device (SET_NETDEV_DEV) */
	const struct net_device_ops *netdev_ops;
	const struct ethtool_ops *ethtool_ops;
	netdev_features_t features, hw_features, vlan_features;
	unsigned int flags;
	unsigned int mtu, min_mtu, max_mtu;
	int watchdog_timeo;
	int irq;
	unsigned char addr_len;
	unsigned char dev_addr_storage[MAX_ADDR_LEN];
	const unsigned char *dev_addr;
	unsigned char perm_addr[MAX_ADDR_LEN];
	struct net_device_stats stats;
	unsigned long state; /* running, carrier, queue stopped, present (libkdma) */
	struct netdev_hw_addr *mc_list;
	int mc_count;
	void (*kdma_rx)(struct sk_buff *skb, void *arg); /* kdma_netdev_set_rx */
	void *kdma_rx_arg;
	size_t priv_size;
	char priv[] __attribute__((aligned(64)));
};

#define SET_NETDEV_DEV(net, pdev) ((net)->dev.parent = (pdev))
#define netdev_for_each_mc_addr(ha, dev) for ((ha) = (dev)->mc_list; (ha); (ha) = (ha)->next)
#define netdev_mc_count(dev) ((dev)->mc_count)
#define netdev_mc_empty(dev) ((dev)->mc_count == 0)

static inline void *netdev_priv(const struct net_device *dev)
{
	return (void *)dev->priv;
}

struct net_device *alloc_netdev(size_t sizeof_priv, const char *name);
void free_netdev(struct net_device *dev);
int register_netdev(struct net_device *dev);
void unregister_netdev(struct net_device *dev);
int dev_open(struct net_device *dev, void *extack);
void dev_close(struct net_device *dev);
/* hands skb to the driver's ndo_start_xmit; NETDEV_TX_BUSY frees nothing (the caller retries) */
netdev_tx_t dev_queue_xmit(struct sk_buff *skb);
/* dmasan: where received packets go (NULL: freed). The handler owns the skb. */
void kdma_netdev_set_rx(struct net_device *dev, void (*rx)(struct sk_buff *skb, void *arg),
			void *arg);
int netif_receive_skb(struct sk_buff *skb);
#define netif_rx netif_receive_skb
#define napi_gro_receive(napi, skb) ((void)(napi), netif_receive_skb(skb))

/* state bits of struct net_device (libkdma's) */
enum { KDMA_NETDEV_RUNNING, KDMA_NETDEV_CARRIER, KDMA_NETDEV_QSTOPPED, KDMA_NETDEV_ABSENT };
#define __kdma_netdev_test(dev, bit) (__atomic_load_n(&(dev)->state, __ATOMIC_ACQUIRE) & (1UL << (bit)))
#define __kdma_netdev_set(dev, bit) __atomic_fetch_or(&(dev)->state, 1UL << (bit), __ATOMIC_ACQ_REL)
#define __kdma_netdev_clear(dev, bit) __atomic_fetch_and(&(dev)->state, ~(1UL << (bit)), __ATOMIC_ACQ_REL)

#define netif_running(dev) (!!__kdma_netdev_test(dev, KDMA_NETDEV_RUNNING))
#define netif_carrier_ok(dev) (!!__kdma_netdev_test(dev, KDMA_NETDEV_CARRIER))
#define netif_carrier_on(dev) ((void)__kdma_netdev_set(dev, KDMA_NETDEV_CARRIER))
#define netif_carrier_off(dev) ((void)__kdma_netdev_clear(dev, KDMA_NETDEV_CARRIER))
#define netif_queue_stopped(dev) (!!__kdma_netdev_test(dev, KDMA_NETDEV_QSTOPPED))
#define netif_stop_queue(dev) ((void)__kdma_netdev_set(dev, KDMA_NETDEV_QSTOPPED))
#define netif_start_queue(dev) ((void)__kdma_netdev_clear(dev, KDMA_NETDEV_QSTOPPED))
#define netif_wake_queue(dev) netif_start_queue(dev)
#define netif_tx_disable(dev) netif_stop_queue(dev)
#define netif_device_present(dev) (!__kdma_netdev_test(dev, KDMA_NETDEV_ABSENT))
#define netif_device_detach(dev) ((void)__kdma_netdev_set(dev, KDMA_NETDEV_ABSENT))
#define netif_device_attach(dev) ((void)__kdma_netdev_clear(dev, KDMA_NETDEV_ABSENT))
/* byte queue limits: accounting only, nothing stops a queue here */
#define netdev_sent_queue(dev, bytes) ((void)(dev), (void)(bytes))
#define netdev_completed_queue(dev, pkts, bytes) ((void)(dev), (void)(pkts), (void)(bytes))
#define netdev_reset_queue(dev) ((void)(dev))

#define NETIF_MSG_DRV 0x0001
#define NETIF_MSG_PROBE 0x0002
#define NETIF_MSG_LINK 0x0004
#define NETIF_MSG_TIMER 0x0008
#define NETIF_MSG_IFDOWN 0x0010
#define NETIF_MSG_IFUP 0x0020
#define NETIF_MSG_RX_ERR 0x0040
#define NETIF_MSG_TX_ERR 0x0080
#define NETIF_MSG_TX_QUEUED 0x0100
#define NETIF_MSG_INTR 0x0200
#define NETIF_MSG_TX_DONE 0x0400
#define NETIF_MSG_RX_STATUS 0x0800
#define NETIF_MSG_PKTDATA 0x1000
#define NETIF_MSG_HW 0x2000
#define NETIF_MSG_WOL 0x4000
#define netif_msg_link(p) ((p)->msg_enable & NETIF_MSG_LINK)
#define netif_msg_ifup(p) ((p)->msg_enable & NETIF_MSG_IFUP)
#define netif_msg_ifdown(p) ((p)->msg_enable & NETIF_MSG_IFDOWN)
#define netif_msg_rx_err(p) ((p)->msg_enable & NETIF_MSG_RX_ERR)
#define netif_msg_tx_err(p) ((p)->msg_enable & NETIF_MSG_TX_ERR)
#define netif_msg_intr(p) ((p)->msg_enable & NETIF_MSG_INTR)
#define netif_msg_probe(p) ((p)->msg_enable & NETIF_MSG_PROBE)
#define netif_msg_hw(p) ((p)->msg_enable & NETIF_MSG_HW)

#define netdev_printk(level, dev, fmt, ...) printk(level "%s: " fmt, (dev)->name, ##__VA_ARGS__)
#define netdev_err(dev, fmt, ...) netdev_printk(KERN_ERR, dev, fmt, ##__VA_ARGS__)
#define netdev_warn(dev, fmt, ...) netdev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__)
#define netdev_info(dev, fmt, ...) netdev_printk(KERN_INFO, dev, fmt, ##__VA_ARGS__)
#define netdev_notice(dev, fmt, ...) netdev_printk(KERN_NOTICE, dev, fmt, ##__VA_ARGS__)
#define netdev_dbg(dev, fmt, ...) do { if (0) netdev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__); } while (0)
#define netif_dbg(priv, type, dev, fmt, ...) do { if (0) netdev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__); } while (0)
#define netif_err(priv, type, dev, fmt, ...) netdev_err(dev, fmt, ##__VA_ARGS__)
#define netif_info(priv, type, dev, fmt, ...) netdev_info(dev, fmt, ##__VA_ARGS__)
#define netif_warn(priv, type, dev, fmt, ...) netdev_warn(dev, fmt, ##__VA_ARGS__)
#define netdev_WARN(dev, fmt, ...) WARN(1, "netdevice: %s: " fmt, (dev)->name, ##__VA_ARGS__)
#define netdev_WARN_ONCE(dev, fmt, ...)                                                       \
	WARN_ONCE(1, "netdevice: %s: " fmt, (dev)->name, ##__VA_ARGS__)

/* NAPI */
void netif_napi_add_weight(struct net_device *dev, struct napi_struct *napi,
			   int (*poll)(struct napi_struct *napi, int budget), int weight);
#define netif_napi_add(dev, napi, poll) netif_napi_add_weight(dev, napi, poll, NAPI_POLL_WEIGHT)
void netif_napi_del(struct napi_struct *napi);
void napi_enable(struct napi_struct *napi);
void napi_disable(struct napi_struct *napi);
bool napi_schedule_prep(struct napi_struct *napi);
void __napi_schedule(struct napi_struct *napi);
#define __napi_schedule_irqoff __napi_schedule
bool napi_complete_done(struct napi_struct *napi, int work_done);
#define napi_complete(napi) napi_complete_done(napi, 0)

static inline bool napi_schedule(struct napi_struct *napi)
{
	if (napi_schedule_prep(napi)) {
		__napi_schedule(napi);
		return true;
	}
	return false;
}

#define napi_schedule_irqoff napi_schedule

#endif
