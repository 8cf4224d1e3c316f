// SPDX-License-Identifier: MIT
/*
 * The PCI helpers drivers call around DMA (drivers/pci/pci.c, devres.c, iomap.c), on a pci_dev
 * the test set up with kdma_pci_dev_init(). BARs are windows of ordinary memory: whatever the
 * test put into resource[bar] (identity physical addresses), so register accesses hit memory
 * the test (or its device-model thread) can read.
 */
#include <stdio.h>
#include <string.h>

#include <linux/pci.h>

#include "base/base.h"
#include "base/registry.h"

void kdma_pci_dev_init(struct pci_dev *pdev, unsigned short vendor, unsigned short device)
{
	device_initialize(&pdev->dev);
	pdev->vendor = vendor;
	pdev->device = device;
	if (!pdev->bus)
		pdev->bus = &pdev->kdma_bus;
	/* the PCI core's default: 32-bit streaming and coherent masks */
	pdev->dma_mask = DMA_BIT_MASK(32);
	pdev->dev.dma_mask = &pdev->dma_mask;
	pdev->dev.coherent_dma_mask = DMA_BIT_MASK(32);
	memcpy(&pdev->kdma_config[PCI_VENDOR_ID], &vendor, sizeof(vendor));
	memcpy(&pdev->kdma_config[PCI_DEVICE_ID], &device, sizeof(device));
	/* the PCI core's name, domain:bus:slot.function, for reports and dev_printk */
	if (!dev_name(&pdev->dev)[0])
		dev_set_name(&pdev->dev, "0000:%02x:%02x.%u", pdev->bus->number,
			     PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn));
}

void kdma_pci_dev_del(struct pci_dev *pdev)
{
	if (!pdev)
		return;
	if (pdev->kdma_driver && pdev->kdma_driver->remove)
		pdev->kdma_driver->remove(pdev);
	pdev->kdma_driver = NULL;
	device_del(&pdev->dev);
}

/* ------------------------------------------------------------ registered drivers ---- */

static struct kdma_registry pci_drivers = KDMA_REGISTRY_INIT("PCI");

int pci_register_driver(struct pci_driver *drv)
{
	if (!drv || !drv->name || !drv->probe) {
		kdma_warn(NULL, "pci_register_driver: a driver needs a name and a probe");
		return -EINVAL;
	}
	if (!drv->driver.name)
		drv->driver.name = drv->name;
	return kdma_registry_add(&pci_drivers, drv, drv->name);
}

void pci_unregister_driver(struct pci_driver *drv)
{
	kdma_registry_del(&pci_drivers, drv);
}

static const struct pci_device_id *pci_match(const struct pci_driver *drv,
					     const struct pci_dev *pdev)
{
	for (const struct pci_device_id *id = drv->id_table; id && (id->vendor || id->device ||
	     id->class_mask); id++) {
		if ((id->vendor == PCI_ANY_ID || id->vendor == pdev->vendor) &&
		    (id->device == PCI_ANY_ID || id->device == pdev->device) &&
		    (id->subvendor == PCI_ANY_ID || id->subvendor == pdev->subsystem_vendor) &&
		    (id->subdevice == PCI_ANY_ID || id->subdevice == pdev->subsystem_device) &&
		    !((id->class ^ pdev->class) & id->class_mask))
			return id;
	}
	return NULL;
}

struct pci_probe_query {
	struct pci_dev *pdev;
	const char *driver;
};

static bool pci_driver_fits(void *drv, void *arg)
{
	const struct pci_probe_query *q = arg;
	const struct pci_driver *d = drv;

	return q->driver ? !strcmp(d->name, q->driver) : pci_match(d, q->pdev) != NULL;
}

int kdma_pci_probe(struct pci_dev *pdev, const char *driver)
{
	struct pci_probe_query q = { pdev, driver };
	struct pci_driver *drv;
	int ret;

	if (!pdev || !pdev->dev.kdma) {
		kdma_warn(pdev ? &pdev->dev : NULL, "kdma_pci_probe: device not set up with "
			  "kdma_pci_dev_init");
		return -EINVAL;
	}
	drv = kdma_registry_find(&pci_drivers, pci_driver_fits, &q);
	if (!drv) {
		kdma_warn(&pdev->dev, "kdma_pci_probe: no registered driver %s%s", driver ? driver :
			  "matches", driver ? "" : " the device");
		return -ENODEV;
	}
	pdev->dev.driver = &drv->driver;
	snprintf(pdev->dev.kdma->driver, sizeof(pdev->dev.kdma->driver), "%s", drv->name);
	pdev->kdma_driver = drv;
	ret = drv->probe(pdev, pci_match(drv, pdev));
	if (ret) {
		pdev->kdma_driver = NULL;
		pdev->dev.driver = NULL;
	}
	return ret;
}

static void pci_command_update(struct pci_dev *dev, u16 set, u16 clear)
{
	u16 cmd;

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	pci_write_config_word(dev, PCI_COMMAND, (u16)((cmd & ~clear) | set));
}

int pci_enable_device(struct pci_dev *dev)
{
	if (!dev)
		return -ENODEV;
	if (dev->enable_cnt++ == 0)
		pci_command_update(dev, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 0);
	return 0;
}

int pci_enable_device_mem(struct pci_dev *dev)
{
	return pci_enable_device(dev);
}

void pci_disable_device(struct pci_dev *dev)
{
	if (!dev || dev->enable_cnt <= 0) {
		kdma_warn(dev ? &dev->dev : NULL, "disabling already-disabled device");
		return;
	}
	if (--dev->enable_cnt == 0) {
		pci_command_update(dev, 0, PCI_COMMAND_MASTER);
		dev->is_busmaster = 0;
	}
}

bool pci_is_enabled(struct pci_dev *pdev)
{
	return pdev->enable_cnt > 0;
}

static void pcim_disable_action(void *data)
{
	pci_disable_device(data);
}

int pcim_enable_device(struct pci_dev *pdev)
{
	int ret = pci_enable_device(pdev);

	if (ret)
		return ret;
	pdev->is_managed = 1;
	return devm_add_action_or_reset(&pdev->dev, pcim_disable_action, pdev);
}

/* Bus mastering is what lets a real device issue DMA; kept in the command register. */
void pci_set_master(struct pci_dev *dev)
{
	pci_command_update(dev, PCI_COMMAND_MASTER, 0);
	dev->is_busmaster = 1;
}

void pci_clear_master(struct pci_dev *dev)
{
	pci_command_update(dev, 0, PCI_COMMAND_MASTER);
	dev->is_busmaster = 0;
}

static bool pci_bar_ok(struct pci_dev *pdev, int bar)
{
	return bar >= 0 && bar < PCI_STD_NUM_BARS;
}

int pci_request_region(struct pci_dev *pdev, int bar, const char *name)
{
	if (!pci_bar_ok(pdev, bar))
		return -EINVAL;
	if (pdev->regions_requested & (1u << bar)) {
		kdma_warn(&pdev->dev, "BAR %d: region already requested", bar);
		return -EBUSY;
	}
	pdev->regions_requested |= 1u << bar;
	return 0;
}

void pci_release_region(struct pci_dev *pdev, int bar)
{
	if (pci_bar_ok(pdev, bar))
		pdev->regions_requested &= ~(1u << bar);
}

int pci_request_selected_regions(struct pci_dev *pdev, int bars, const char *name)
{
	int bar, ret;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!(bars & (1 << bar)))
			continue;
		ret = pci_request_region(pdev, bar, name);
		if (ret) {
			pci_release_selected_regions(pdev, bars & ((1 << bar) - 1));
			return ret;
		}
	}
	return 0;
}

void pci_release_selected_regions(struct pci_dev *pdev, int bars)
{
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if (bars & (1 << bar))
			pci_release_region(pdev, bar);
}

int pci_select_bars(struct pci_dev *dev, unsigned long flags)
{
	int bar, bars = 0;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if (dev->resource[bar].flags & flags)
			bars |= 1 << bar;
	return bars;
}

/* Regions with a window (end != 0) count as present. */
static int pci_present_bars(struct pci_dev *pdev)
{
	int bar, bars = 0;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if (pci_resource_len(pdev, bar))
			bars |= 1 << bar;
	return bars;
}

int pci_request_regions(struct pci_dev *pdev, const char *name)
{
	return pci_request_selected_regions(pdev, pci_present_bars(pdev), name);
}

void pci_release_regions(struct pci_dev *pdev)
{
	pci_release_selected_regions(pdev, (1 << PCI_STD_NUM_BARS) - 1);
}

void __iomem *pci_iomap(struct pci_dev *dev, int bar, unsigned long maxlen)
{
	if (!pci_bar_ok(dev, bar) || !pci_resource_len(dev, bar)) {
		kdma_warn(&dev->dev, "pci_iomap: BAR %d has no window (set resource[%d])", bar, bar);
		return NULL;
	}
	return phys_to_virt(pci_resource_start(dev, bar));
}

void __iomem *pcim_iomap(struct pci_dev *pdev, int bar, unsigned long maxlen)
{
	void __iomem *p = pci_iomap(pdev, bar, maxlen);

	if (p)
		pdev->kdma_iomap[bar] = p;
	return p;
}

void __iomem *pci_ioremap_bar(struct pci_dev *pdev, int bar)
{
	return pci_iomap(pdev, bar, 0);
}

void pci_iounmap(struct pci_dev *dev, void __iomem *addr)
{
}

void __iomem **kdma_pci_iomap_table(struct pci_dev *pdev)
{
	return pdev->kdma_iomap;
}

int pcim_iomap_regions(struct pci_dev *pdev, int mask, const char *name)
{
	int bar, ret = pci_request_selected_regions(pdev, mask, name);

	for (bar = 0; !ret && bar < PCI_STD_NUM_BARS; bar++) {
		if ((mask & (1 << bar)) && !pcim_iomap(pdev, bar, 0)) {
			pci_release_selected_regions(pdev, mask);
			ret = -ENOMEM;
		}
	}
	return ret;
}

int pci_alloc_irq_vectors(struct pci_dev *dev, unsigned int min_vecs, unsigned int max_vecs,
			  unsigned int flags)
{
	if (min_vecs > 1 || max_vecs == 0)
		return -ENOSPC;
	dev->msi_enabled = !!(flags & PCI_IRQ_MSI);
	return 1;
}

void pci_free_irq_vectors(struct pci_dev *dev)
{
	dev->msi_enabled = 0;
	dev->msix_enabled = 0;
}

int pci_irq_vector(struct pci_dev *dev, unsigned int nr)
{
	return nr == 0 ? (int)dev->irq : -EINVAL;
}

/* Config space: a byte array; accesses outside it fail like an absent register. */
static int pci_cfg(const struct pci_dev *dev, int where, size_t len, void *val, bool write)
{
	if (!dev || where < 0 || (size_t)where + len > PCI_CFG_SPACE_EXP_SIZE)
		return -EINVAL;
	if (write)
		memcpy((u8 *)dev->kdma_config + where, val, len);
	else
		memcpy(val, dev->kdma_config + where, len);
	return 0;
}

int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val)
{
	return pci_cfg(dev, where, sizeof(*val), val, false);
}

int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val)
{
	return pci_cfg(dev, where, sizeof(*val), val, false);
}

int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val)
{
	return pci_cfg(dev, where, sizeof(*val), val, false);
}

int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val)
{
	return pci_cfg(dev, where, sizeof(val), &val, true);
}

int pci_write_config_word(const struct pci_dev *dev, int where, u16 val)
{
	return pci_cfg(dev, where, sizeof(val), &val, true);
}

int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val)
{
	return pci_cfg(dev, where, sizeof(val), &val, true);
}

int pci_sriov_configure_simple(struct pci_dev *dev, int nr_virtfn)
{
	(void)dev;
	(void)nr_virtfn;
	KDMA_STUB_ONCE("pci_sriov_configure_simple");
	return -ENODEV;
}
