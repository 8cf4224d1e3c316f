/* SPDX-License-Identifier: MIT */
/*
 * <linux/pci.h> — struct pci_dev embedding a struct device, and the pci_* helpers drivers use
 * around DMA (src/kdma/base/pci.c). A test sets up a pci_dev with kdma_pci_dev_init() (the bus
 * probe's part: device initialised, 32-bit default DMA mask as the PCI core sets), optionally
 * points BARs at ordinary memory (resource[i].start = virt_to_phys(buf)), then calls the driver's
 * probe. Config space is a 4 KiB array inside the pci_dev.
 */
#ifndef _DMASAN_SHIM_LINUX_PCI_H
#define _DMASAN_SHIM_LINUX_PCI_H

#include <linux/types.h>
#include <linux/container_of.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h> /* module_pci_driver */
#include <linux/pci_ids.h>

#define PCI_STD_NUM_BARS 6
#define PCI_ROM_RESOURCE 6
#define DEVICE_COUNT_RESOURCE 11
#define PCI_NUM_RESOURCES DEVICE_COUNT_RESOURCE
#define PCI_CFG_SPACE_EXP_SIZE 4096

#define PCI_DEVFN(slot, func) ((((slot) & 0x1f) << 3) | ((func) & 0x07))
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn) & 0x07)

/* Config space offsets drivers touch around DMA */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS 0x06
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_REVISION 0x08
#define PCI_CACHE_LINE_SIZE 0x0c
#define PCI_LATENCY_TIMER 0x0d
#define PCI_BASE_ADDRESS_0 0x10
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_INTERRUPT_LINE 0x3c

#define PCI_IRQ_INTX (1 << 0)
#define PCI_IRQ_LEGACY PCI_IRQ_INTX
#define PCI_IRQ_MSI (1 << 1)
#define PCI_IRQ_MSIX (1 << 2)
#define PCI_IRQ_ALL_TYPES (PCI_IRQ_INTX | PCI_IRQ_MSI | PCI_IRQ_MSIX)

struct pci_bus {
	unsigned char number;
	struct pci_bus *parent;
};

struct pci_dev {
	struct device dev;          /* generic device: DMA goes through &pdev->dev */
	struct pci_bus *bus;
	unsigned int devfn;
	unsigned short vendor;
	unsigned short device;
	unsigned short subsystem_vendor;
	unsigned short subsystem_device;
	unsigned int class;         /* 3 bytes: (base, sub, prog-if) */
	u8 revision;
	u8 pcie_cap;
	unsigned int irq;
	u64 dma_mask;               /* the storage dev.dma_mask points to, as in the kernel */
	struct resource resource[DEVICE_COUNT_RESOURCE];
	unsigned int is_busmaster : 1;
	unsigned int msi_enabled : 1;
	unsigned int msix_enabled : 1;
	unsigned int is_managed : 1; /* pcim_enable_device() */
	int enable_cnt;
	unsigned int regions_requested; /* bitmask of BARs */
	struct pci_bus kdma_bus;    /* default bus (number 0) when the test sets none */
	void __iomem *kdma_iomap[PCI_STD_NUM_BARS]; /* pcim_iomap_table() */
	u8 kdma_config[PCI_CFG_SPACE_EXP_SIZE];
	struct pci_driver *kdma_driver; /* bound by kdma_pci_probe() */
};

#define to_pci_dev(n) container_of(n, struct pci_dev, dev)
#define dev_is_pci(d) ((d) != NULL)

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *dev);
	void (*shutdown)(struct pci_dev *dev);
	int (*sriov_configure)(struct pci_dev *dev, int num_vfs);
	struct device_driver driver;
};

#define PCI_DEVICE(vend, dev)                                                                 \
	.vendor = (vend), .device = (dev), .subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID
#define PCI_VDEVICE(vend, dev)                                                                \
	.vendor = PCI_VENDOR_ID_##vend, .device = (dev), .subvendor = PCI_ANY_ID,               \
	.subdevice = PCI_ANY_ID, 0, 0
#define PCI_DEVICE_DATA(vend, dev, data)                                                      \
	.vendor = PCI_VENDOR_ID_##vend, .device = PCI_DEVICE_ID_##vend##_##dev,                 \
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID, .class = 0, .class_mask = 0,          \
	.driver_data = (kernel_ulong_t)(data)
#define PCI_DEVICE_SUB(vend, dev, subvend, subdev)                                            \
	.vendor = (vend), .device = (dev), .subvendor = (subvend), .subdevice = (subdev)
#define PCI_DEVICE_CLASS(dev_class, dev_class_mask)                                           \
	.class = (dev_class), .class_mask = (dev_class_mask), .vendor = PCI_ANY_ID,             \
	.device = PCI_ANY_ID, .subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID

/* Registration records the driver; a test binds a device to it with kdma_pci_probe() (where the
 * kernel's PCI core would match at device add), or calls the driver's probe itself. */
int pci_register_driver(struct pci_driver *drv);
void pci_unregister_driver(struct pci_driver *drv);
#define module_pci_driver(drv) module_driver(drv, pci_register_driver, pci_unregister_driver)

/* dmasan: what the PCI core does before probe (device_initialize, dma_mask = 32 bits, bus 0). */
void kdma_pci_dev_init(struct pci_dev *pdev, unsigned short vendor, unsigned short device);
/* dmasan: driver unbind (the bound driver's remove, then device_del: devres released). */
void kdma_pci_dev_del(struct pci_dev *pdev);
/* dmasan: bind pdev to the registered driver called `driver` (NULL: the first whose id_table
 * matches) and run its probe. The probe's result; -ENODEV when no driver fits. */
int kdma_pci_probe(struct pci_dev *pdev, const char *driver);

int pci_enable_device(struct pci_dev *dev);
int pci_enable_device_mem(struct pci_dev *dev);
int pcim_enable_device(struct pci_dev *pdev);
void pci_disable_device(struct pci_dev *dev);
bool pci_is_enabled(struct pci_dev *pdev);
void pci_set_master(struct pci_dev *dev);
void pci_clear_master(struct pci_dev *dev);
int pci_request_regions(struct pci_dev *pdev, const char *name);
void pci_release_regions(struct pci_dev *pdev);
int pci_request_region(struct pci_dev *pdev, int bar, const char *name);
void pci_release_region(struct pci_dev *pdev, int bar);
int pci_request_selected_regions(struct pci_dev *pdev, int bars, const char *name);
void pci_release_selected_regions(struct pci_dev *pdev, int bars);
int pcim_iomap_regions(struct pci_dev *pdev, int mask, const char *name);
void __iomem *pci_iomap(struct pci_dev *dev, int bar, unsigned long maxlen);
void __iomem *pcim_iomap(struct pci_dev *pdev, int bar, unsigned long maxlen);
void __iomem *pci_ioremap_bar(struct pci_dev *pdev, int bar);
void pci_iounmap(struct pci_dev *dev, void __iomem *addr);
int pci_select_bars(struct pci_dev *dev, unsigned long flags);
int pci_alloc_irq_vectors(struct pci_dev *dev, unsigned int min_vecs, unsigned int max_vecs,
			  unsigned int flags);
void pci_free_irq_vectors(struct pci_dev *dev);
int pci_irq_vector(struct pci_dev *dev, unsigned int nr);
int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val);
int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val);
int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val);
int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val);
int pci_write_config_word(const struct pci_dev *dev, int where, u16 val);
int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val);

#define pci_ioremap_wc_bar pci_ioremap_bar
#define pcim_iomap_table(pdev) ((void __iomem *const *)kdma_pci_iomap_table(pdev))
void __iomem **kdma_pci_iomap_table(struct pci_dev *pdev);

static inline const char *pci_name(const struct pci_dev *pdev)
{
	return dev_name(&pdev->dev);
}

static inline void *pci_get_drvdata(struct pci_dev *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

static inline int pci_domain_nr(struct pci_bus *bus __maybe_unused)
{
	return 0;
}

#define pci_printk(level, pdev, fmt, ...) _dev_printk(level, &(pdev)->dev, fmt, ##__VA_ARGS__)
#define pci_err(pdev, fmt, ...) dev_err(&(pdev)->dev, fmt, ##__VA_ARGS__)
#define pci_warn(pdev, fmt, ...) dev_warn(&(pdev)->dev, fmt, ##__VA_ARGS__)
#define pci_info(pdev, fmt, ...) dev_info(&(pdev)->dev, fmt, ##__VA_ARGS__)
#define pci_notice(pdev, fmt, ...) dev_notice(&(pdev)->dev, fmt, ##__VA_ARGS__)
#define pci_dbg(pdev, fmt, ...) dev_dbg(&(pdev)->dev, fmt, ##__VA_ARGS__)

#define pci_resource_start(dev, bar) ((dev)->resource[(bar)].start)
#define pci_resource_end(dev, bar) ((dev)->resource[(bar)].end)
#define pci_resource_flags(dev, bar) ((dev)->resource[(bar)].flags)
#define pci_resource_len(dev, bar)                                                            \
	((dev)->resource[(bar)].end ? resource_size(&(dev)->resource[(bar)]) : 0)

static inline int pci_set_dma_max_seg_size(struct pci_dev *dev, unsigned int size)
{
	return dma_set_max_seg_size(&dev->dev, size);
}

static inline int pci_set_dma_seg_boundary(struct pci_dev *dev, unsigned long mask)
{
	return dma_set_seg_boundary(&dev->dev, mask);
}

/* Devices set up by kdma_pci_dev_init are endpoints unless the test gives a bridge class. */
static inline bool pci_is_bridge(struct pci_dev *dev)
{
	return (dev->class >> 8) == 0x0604 || (dev->class >> 8) == 0x0607;
}

/* SR-IOV is not modelled: says so once, enables no virtual function. */
int pci_sriov_configure_simple(struct pci_dev *dev, int nr_virtfn);

static inline bool pci_is_pcie(struct pci_dev *dev)
{
	return dev->pcie_cap != 0;
}

#define pci_save_state(dev) 0
#define pci_restore_state(dev) do {} while (0)
#define pci_enable_pcie_error_reporting(dev) 0
#define pci_disable_pcie_error_reporting(dev) 0
#define pci_try_set_mwi(dev) 0
#define pci_set_mwi(dev) 0
#define pci_clear_mwi(dev) do {} while (0)
#define pci_intx(dev, enable) do {} while (0)

/* Power states: the device stays powered; only the request is accepted. */
typedef int pci_power_t;
#define PCI_D0 ((pci_power_t)0)
#define PCI_D1 ((pci_power_t)1)
#define PCI_D2 ((pci_power_t)2)
#define PCI_D3hot ((pci_power_t)3)
#define PCI_D3cold ((pci_power_t)4)

static inline int pci_set_power_state(struct pci_dev *dev, pci_power_t state)
{
	(void)dev;
	(void)state;
	return 0;
}

/* Wake-up signalling has no model here: said once. */
static inline int pci_enable_wake(struct pci_dev *dev, pci_power_t state, bool enable)
{
	(void)dev;
	(void)state;
	(void)enable;
	KDMA_STUB_ONCE("pci_enable_wake");
	return 0;
}

static inline int pci_wake_from_d3(struct pci_dev *dev, bool enable)
{
	return pci_enable_wake(dev, PCI_D3hot, enable);
}
#define pcie_flr(dev) 0
#define pci_reset_function(dev) 0
#define pci_dev_put(dev) do {} while (0)
#define pci_dev_get(dev) (dev)

#endif
