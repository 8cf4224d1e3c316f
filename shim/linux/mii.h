/* SPDX-License-Identifier: MIT */
/*
 * <linux/mii.h> — the generic MII library (drivers/net/mii.c) a driver uses to ask its PHY about
 * the link through its own mdio_read/mdio_write. Link state and autonegotiation restart behave as
 * the kernel's; the ethtool link-settings and MII ioctl helpers are stubs that say so once.
 */
#ifndef _DMASAN_SHIM_LINUX_MII_H
#define _DMASAN_SHIM_LINUX_MII_H

#include <errno.h>

#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/if.h> /* struct ifreq: the UAPI header */
#include_next <linux/mii.h>

struct mii_if_info {
	int phy_id;
	int advertising;
	int phy_id_mask;
	int reg_num_mask;

	unsigned int full_duplex : 1; /* is full duplex? */
	unsigned int force_media : 1; /* is autoneg. disabled? */
	unsigned int supports_gmii : 1; /* are GMII registers supported? */

	struct net_device *dev;
	int (*mdio_read)(struct net_device *dev, int phy_id, int location);
	void (*mdio_write)(struct net_device *dev, int phy_id, int location, int val);
};

static inline struct mii_ioctl_data *if_mii(struct ifreq *rq)
{
	return (struct mii_ioctl_data *)&rq->ifr_ifru;
}

/* The best mode both ends advertise. */
static inline unsigned int mii_nway_result(unsigned int negotiated)
{
	if (negotiated & LPA_100FULL)
		return LPA_100FULL;
	if (negotiated & LPA_100BASE4)
		return LPA_100BASE4;
	if (negotiated & LPA_100HALF)
		return LPA_100HALF;
	if (negotiated & LPA_10FULL)
		return LPA_10FULL;
	return LPA_10HALF;
}

static inline unsigned int mii_duplex(unsigned int duplex_lock, unsigned int negotiated)
{
	if (duplex_lock)
		return 1;
	return (mii_nway_result(negotiated) & LPA_DUPLEX) ? 1 : 0;
}

static inline int mii_link_ok(struct mii_if_info *mii)
{
	/* the first read latches the status on some PHYs */
	mii->mdio_read(mii->dev, mii->phy_id, MII_BMSR);
	return (mii->mdio_read(mii->dev, mii->phy_id, MII_BMSR) & BMSR_LSTATUS) ? 1 : 0;
}

static inline int mii_nway_restart(struct mii_if_info *mii)
{
	int bmcr = mii->mdio_read(mii->dev, mii->phy_id, MII_BMCR);

	if (!(bmcr & BMCR_ANENABLE))
		return -EINVAL;
	mii->mdio_write(mii->dev, mii->phy_id, MII_BMCR, bmcr | BMCR_ANRESTART);
	return 0;
}

static inline void mii_check_link(struct mii_if_info *mii)
{
	int cur_link = mii_link_ok(mii);
	int prev_link = netif_carrier_ok(mii->dev);

	if (cur_link && !prev_link)
		netif_carrier_on(mii->dev);
	else if (prev_link && !cur_link)
		netif_carrier_off(mii->dev);
}

/* Carrier from the PHY's link bit, duplex from the advertised and partner abilities; 1 when the
 * duplex changed (always on init_media). */
static inline unsigned int mii_check_media(struct mii_if_info *mii, unsigned int ok_to_print,
					   unsigned int init_media)
{
	unsigned int old_carrier = netif_carrier_ok(mii->dev) ? 1 : 0;
	unsigned int new_carrier = (unsigned int)mii_link_ok(mii);
	int advertise, lpa, lpa2 = 0, media;
	unsigned int duplex;

	if (!init_media && old_carrier == new_carrier)
		return 0;
	if (!new_carrier) {
		netif_carrier_off(mii->dev);
		if (ok_to_print)
			netdev_info(mii->dev, "link down\n");
		return 0;
	}
	netif_carrier_on(mii->dev);
	if (mii->force_media) {
		if (ok_to_print)
			netdev_info(mii->dev, "link up\n");
		return 0;
	}
	if (!init_media && mii->advertising) {
		advertise = mii->advertising;
	} else {
		advertise = mii->mdio_read(mii->dev, mii->phy_id, MII_ADVERTISE);
		mii->advertising = advertise;
	}
	lpa = mii->mdio_read(mii->dev, mii->phy_id, MII_LPA);
	if (mii->supports_gmii)
		lpa2 = mii->mdio_read(mii->dev, mii->phy_id, MII_STAT1000);
	media = (int)mii_nway_result((unsigned int)(lpa & advertise));
	duplex = (media & ADVERTISE_FULL) || (lpa2 & LPA_1000FULL) ? 1 : 0;
	if (ok_to_print)
		netdev_info(mii->dev, "link up, %uMbps, %s-duplex, lpa 0x%04X\n",
			    lpa2 & (LPA_1000FULL | LPA_1000HALF) ? 1000 :
			    media & (ADVERTISE_100FULL | ADVERTISE_100HALF) ? 100 : 10,
			    duplex ? "full" : "half", lpa);
	if (init_media || mii->full_duplex != duplex) {
		mii->full_duplex = duplex;
		return 1;
	}
	return 0;
}

static inline void mii_ethtool_get_link_ksettings(struct mii_if_info *mii,
						  struct ethtool_link_ksettings *cmd)
{
	(void)mii;
	KDMA_STUB_ONCE("mii_ethtool_get_link_ksettings");
	memset(cmd, 0, sizeof(*cmd));
}

static inline int mii_ethtool_set_link_ksettings(struct mii_if_info *mii,
						 const struct ethtool_link_ksettings *cmd)
{
	(void)mii;
	(void)cmd;
	KDMA_STUB_ONCE("mii_ethtool_set_link_ksettings");
	return -EOPNOTSUPP;
}

static inline int generic_mii_ioctl(struct mii_if_info *mii, struct mii_ioctl_data *mii_data,
				    int cmd, unsigned int *duplex_changed)
{
	(void)mii;
	(void)mii_data;
	(void)cmd;
	if (duplex_changed)
		*duplex_changed = 0;
	KDMA_STUB_ONCE("generic_mii_ioctl");
	return -EOPNOTSUPP;
}

#endif
