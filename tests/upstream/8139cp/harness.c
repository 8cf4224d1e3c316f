// SPDX-License-Identifier: MIT
/*
 * drivers/net/ethernet/realtek/8139cp.c, unmodified, bound to a model of the RTL8139C+
 * (rtl8139cp_model.c) whose cable loops every frame back. The harness plays the network stack:
 * it opens the interface, sends frames through dev_queue_xmit() (linear ones and ones with page
 * fragments, which the driver spreads over several TX descriptors), checks every received frame
 * byte for byte, reads the chip's statistics through ethtool (a DMA of the tally block), changes
 * the MTU while the interface runs (the driver closes and reopens: rings freed and refilled),
 * sends again, and unbinds the driver.
 *
 *   upstream_8139cp [harness_platform.h options] [--] [frames per round, default 200]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmasan/sim.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pci.h>

#include "harness_platform.h"
#include "rtl8139cp_model.h"

#define RTL_IRQ 11
#define ETH_P_HARNESS 0x88b5 /* IEEE local experimental ethertype */
#define MAX_IN_FLIGHT 10     /* frames sent and not yet back: below the driver's queue stop */
#define STALL_SECONDS 20

static struct pci_dev pdev;
static u8 regs[RTL_REGS_SIZE] __attribute__((aligned(4096)));
static struct rtl8139cp_model model;
static const u8 mac[ETH_ALEN] = { 0x02, 0x00, 0x81, 0x39, 0xc0, 0x01 };

/* the harness's side of the traffic */
static pthread_mutex_t rx_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t rx_cond = PTHREAD_COND_INITIALIZER;
static unsigned int sent, received, bad;

static u8 pattern(unsigned int seq, unsigned int i)
{
	return (u8)(seq * 7 + i * 13 + (i >> 8));
}

/* The payload length of frame seq: a spread from the 46-byte minimum to the MTU. */
static unsigned int payload_len(unsigned int seq, unsigned int mtu)
{
	return 46 + (seq * 397) % (mtu - 46 + 1);
}

static void rx_frame(struct sk_buff *skb, void *arg)
{
	unsigned int seq, len = skb->len;
	bool ok = skb->protocol == htons(ETH_P_HARNESS) && len >= 4;

	(void)arg;
	if (ok) {
		memcpy(&seq, skb->data, 4);
		for (unsigned int i = 4; ok && i < len; i++)
			ok = skb->data[i] == pattern(seq, i);
	}
	kfree_skb(skb);
	pthread_mutex_lock(&rx_lock);
	received++;
	if (!ok && !bad++)
		fprintf(stderr, "harness: frame %u came back damaged (%u bytes)\n", received, len);
	pthread_cond_signal(&rx_cond);
	pthread_mutex_unlock(&rx_lock);
}

/* Frame seq as the stack would hand it over: headers and payload, every third one with the
 * payload after the first 64 bytes in page fragments of up to 1000 bytes. */
static struct sk_buff *make_frame(struct net_device *dev, unsigned int seq, unsigned int mtu)
{
	unsigned int len = payload_len(seq, mtu), head = seq % 3 ? len : min(len, 64U);
	struct sk_buff *skb = alloc_skb(ETH_HLEN + head + NET_IP_ALIGN, GFP_KERNEL);
	struct ethhdr *eth;
	u8 *p;

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	eth = skb_put(skb, ETH_HLEN);
	memcpy(eth->h_dest, mac, ETH_ALEN);
	memcpy(eth->h_source, mac, ETH_ALEN);
	eth->h_source[5] ^= 0xff;
	eth->h_proto = htons(ETH_P_HARNESS);
	p = skb_put(skb, head);
	memcpy(p, &seq, 4);
	for (unsigned int i = 4; i < head; i++)
		p[i] = pattern(seq, i);
	for (unsigned int off = head, f = 0; off < len; f++) {
		unsigned int n = min(len - off, 1000U);
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page) {
			kfree_skb(skb);
			return NULL;
		}
		p = page_address(page);
		for (unsigned int i = 0; i < n; i++)
			p[i] = pattern(seq, off + i);
		skb_add_rx_frag(skb, (int)f, page, 0, (int)n, PAGE_SIZE);
		off += n;
	}
	skb->dev = dev;
	return skb;
}

/* Waits (re-checking every millisecond) until cond holds; false after STALL_SECONDS without
 * a frame coming back, which only a hung driver or model causes. */
static bool wait_for(struct net_device *dev, unsigned int max_in_flight)
{
	unsigned int last;
	time_t since = time(NULL);

	pthread_mutex_lock(&rx_lock);
	last = received; /* the NAPI thread counts under rx_lock */
	while (sent - received > max_in_flight || netif_queue_stopped(dev)) {
		struct timespec t;

		if (received != last) {
			last = received;
			since = time(NULL);
		} else if (time(NULL) - since > STALL_SECONDS) {
			pthread_mutex_unlock(&rx_lock);
			fprintf(stderr, "harness: stalled, %u frames sent, %u received\n", sent,
				received);
			return false;
		}
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += 1000000;
		if (t.tv_nsec >= 1000000000) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&rx_cond, &rx_lock, &t);
	}
	pthread_mutex_unlock(&rx_lock);
	return true;
}

static bool send_frames(struct net_device *dev, unsigned int n)
{
	unsigned int end = sent + n;

	while (sent < end) {
		struct sk_buff *skb;

		if (!wait_for(dev, MAX_IN_FLIGHT - 1))
			return false;
		skb = make_frame(dev, sent, dev->mtu);
		if (!skb)
			return false;
		if (dev_queue_xmit(skb) != NETDEV_TX_OK) {
			fprintf(stderr, "harness: the driver refused frame %u\n", sent);
			kfree_skb(skb);
			return false;
		}
		pthread_mutex_lock(&rx_lock);
		sent++;
		pthread_mutex_unlock(&rx_lock);
	}
	return wait_for(dev, 0);
}

/* What ethtool would show: the chip's own TX count comes through a DMA of its tally block. */
static bool check_ethtool(struct net_device *dev)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	struct ethtool_link_ksettings link;
	struct ethtool_drvinfo info = { 0 };
	struct ethtool_stats stats = { 0 };
	int n = ops->get_sset_count(dev, ETH_SS_STATS);
	u64 *data = calloc(n > 0 ? (size_t)n : 1, sizeof(u64));
	bool ok;

	ops->get_drvinfo(dev, &info);
	ops->get_link_ksettings(dev, &link); /* the shim stubs the MII half: said once */
	ops->get_ethtool_stats(dev, &stats, data);
	ok = data && n > 1 && data[0] == model.tx_ok && data[1] == model.rx_ok &&
	     ops->get_link(dev) == 1 && ops->get_eeprom_len(dev) == 128;
	printf("harness: %s %s at %s: link %u, chip counted %llu sent, %llu received\n",
	       info.driver, info.version, info.bus_info, ops->get_link(dev),
	       data ? (unsigned long long)data[0] : 0ULL, data ? (unsigned long long)data[1] : 0ULL);
	free(data);
	if (!ok)
		fprintf(stderr, "harness: ethtool does not agree with the chip\n");
	return ok;
}

static int run(void *arg)
{
	struct net_device *dev = pci_get_drvdata(&pdev);
	unsigned int frames = *(unsigned int *)arg;
	int ret;

	kdma_netdev_set_rx(dev, rx_frame, NULL);
	ret = dev_open(dev, NULL);
	if (ret) {
		fprintf(stderr, "harness: open failed (%d)\n", ret);
		return 1;
	}
	if (memcmp(dev->dev_addr, mac, ETH_ALEN) || !netif_carrier_ok(dev)) {
		fprintf(stderr, "harness: the driver read a wrong MAC address or saw no link\n");
		return 1;
	}
	if (!send_frames(dev, frames) || !check_ethtool(dev))
		return 1;
	/* a running interface changes its MTU: closed, rings rebuilt for the new size, reopened */
	ret = dev->netdev_ops->ndo_change_mtu(dev, 1400);
	if (ret || !send_frames(dev, frames))
		return 1;
	dev_close(dev);
	printf("harness: %u frames sent, %u came back, %u damaged\n", sent, received, bad);
	return bad || received != sent;
}

int main(int argc, char **argv)
{
	struct harness_platform platform = { 0 };
	int i = harness_parse(argc, argv, &platform), ret;
	unsigned int frames;

	frames = i < argc ? (unsigned int)strtoul(argv[i], NULL, 0) : 200;
	if (kdma_modules_init())
		return 1;
	kdma_pci_dev_init(&pdev, PCI_VENDOR_ID_REALTEK, PCI_DEVICE_ID_REALTEK_8139);
	pdev.revision = 0x20; /* a C+ chip */
	pdev.irq = RTL_IRQ;
	harness_pci_bar(&pdev, 1, regs, sizeof(regs));
	if (harness_apply(&pdev.dev, &platform))
		return 1;
	if (rtl8139cp_model_start(&model, &pdev.dev, RTL_IRQ, regs, mac))
		return 1;
	ret = harness_pci_run(&pdev, &platform, run, &frames);
	rtl8139cp_model_stop(&model);
	if (model.dma_faults || model.rx_missed) {
		fprintf(stderr, "harness: the chip saw %lu DMA faults and dropped %lu frames\n",
			model.dma_faults, model.rx_missed);
		ret = 1;
	}
	kdma_modules_exit();
	return ret;
}
