/* SPDX-License-Identifier: MIT */
/*
 * <linux/ethtool.h> — the driver side of ethtool: struct ethtool_ops as the kernel declares it
 * (the UAPI header gives the request structures). Nothing here calls the operations; a test calls
 * them through dev->ethtool_ops as the ethtool core would.
 */
#ifndef _DMASAN_SHIM_LINUX_ETHTOOL_H
#define _DMASAN_SHIM_LINUX_ETHTOOL_H

#include <linux/bitmap.h>
#include <linux/netdevice.h>
#include <linux/types.h>
#include_next <linux/ethtool.h>

struct netlink_ext_ack;

#define __ETHTOOL_DECLARE_LINK_MODE_MASK(name) DECLARE_BITMAP(name, __ETHTOOL_LINK_MODE_MASK_NBITS)

/* base ends in the UAPI's flexible link_mode_masks[], as in the kernel (which clang builds
 * with this GNU extension allowed): no warning in every driver that includes the header. */
#ifdef __clang__
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wgnu-variable-sized-type-not-at-end"
#endif
struct ethtool_link_ksettings {
	struct ethtool_link_settings base;
	struct {
		__ETHTOOL_DECLARE_LINK_MODE_MASK(supported);
		__ETHTOOL_DECLARE_LINK_MODE_MASK(advertising);
		__ETHTOOL_DECLARE_LINK_MODE_MASK(lp_advertising);
	} link_modes;
	u32 lanes;
};
#ifdef __clang__
#pragma clang diagnostic pop
#endif

#define ethtool_link_ksettings_zero_link_mode(ptr, name)                                      \
	bitmap_zero((ptr)->link_modes.name, __ETHTOOL_LINK_MODE_MASK_NBITS)
#define ethtool_link_ksettings_add_link_mode(ptr, name, mode)                                 \
	__set_bit(ETHTOOL_LINK_MODE_##mode##_BIT, (ptr)->link_modes.name)
#define ethtool_link_ksettings_test_link_mode(ptr, name, mode)                                \
	test_bit(ETHTOOL_LINK_MODE_##mode##_BIT, (ptr)->link_modes.name)

struct kernel_ethtool_ringparam {
	u32 rx_buf_len;
	u8 tcp_data_split;
	u8 tx_push;
	u32 cqe_size;
};

struct kernel_ethtool_coalesce {
	u8 use_cqe_mode_tx;
	u8 use_cqe_mode_rx;
};

struct ethtool_ops {
	u32 supported_coalesce_params;
	void (*get_drvinfo)(struct net_device *dev, struct ethtool_drvinfo *info);
	int (*get_regs_len)(struct net_device *dev);
	void (*get_regs)(struct net_device *dev, struct ethtool_regs *regs, void *p);
	void (*get_wol)(struct net_device *dev, struct ethtool_wolinfo *wol);
	int (*set_wol)(struct net_device *dev, struct ethtool_wolinfo *wol);
	u32 (*get_msglevel)(struct net_device *dev);
	void (*set_msglevel)(struct net_device *dev, u32 value);
	int (*nway_reset)(struct net_device *dev);
	u32 (*get_link)(struct net_device *dev);
	int (*get_eeprom_len)(struct net_device *dev);
	int (*get_eeprom)(struct net_device *dev, struct ethtool_eeprom *eeprom, u8 *data);
	int (*set_eeprom)(struct net_device *dev, struct ethtool_eeprom *eeprom, u8 *data);
	int (*get_coalesce)(struct net_device *dev, struct ethtool_coalesce *ec,
			    struct kernel_ethtool_coalesce *kec, struct netlink_ext_ack *extack);
	int (*set_coalesce)(struct net_device *dev, struct ethtool_coalesce *ec,
			    struct kernel_ethtool_coalesce *kec, struct netlink_ext_ack *extack);
	void (*get_ringparam)(struct net_device *dev, struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kernel_ring,
			      struct netlink_ext_ack *extack);
	int (*set_ringparam)(struct net_device *dev, struct ethtool_ringparam *ring,
			     struct kernel_ethtool_ringparam *kernel_ring,
			     struct netlink_ext_ack *extack);
	void (*get_pauseparam)(struct net_device *dev, struct ethtool_pauseparam *pause);
	int (*set_pauseparam)(struct net_device *dev, struct ethtool_pauseparam *pause);
	void (*self_test)(struct net_device *dev, struct ethtool_test *test, u64 *data);
	void (*get_strings)(struct net_device *dev, u32 stringset, u8 *data);
	void (*get_ethtool_stats)(struct net_device *dev, struct ethtool_stats *stats, u64 *data);
	int (*get_sset_count)(struct net_device *dev, int sset);
	int (*get_ts_info)(struct net_device *dev, struct ethtool_ts_info *info);
	void (*get_channels)(struct net_device *dev, struct ethtool_channels *channels);
	int (*set_channels)(struct net_device *dev, struct ethtool_channels *channels);
	int (*get_link_ksettings)(struct net_device *dev, struct ethtool_link_ksettings *cmd);
	int (*set_link_ksettings)(struct net_device *dev, const struct ethtool_link_ksettings *cmd);
};

/* The generic get_link: the carrier state. */
static inline u32 ethtool_op_get_link(struct net_device *dev)
{
	return netif_carrier_ok(dev) ? 1 : 0;
}

#endif
