/* SPDX-License-Identifier: MIT */
/*
 * <linux/platform_device.h> — platform devices embed a struct device; drivers register by name.
 * A test sets a platform_device up with kdma_platform_device_init() and binds it to the
 * registered driver of the same name with kdma_platform_probe().
 */
#ifndef _DMASAN_SHIM_LINUX_PLATFORM_DEVICE_H
#define _DMASAN_SHIM_LINUX_PLATFORM_DEVICE_H

#include <linux/container_of.h>
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h> /* module_platform_driver */

struct platform_device {
	const char *name;
	int id;
	struct device dev;
	u64 dma_mask; /* the storage dev.dma_mask points to */
	u32 num_resources;
	struct resource *resource;
	const struct platform_device_id *id_entry;
};

struct platform_driver {
	int (*probe)(struct platform_device *pdev);
	int (*remove)(struct platform_device *pdev);
	void (*shutdown)(struct platform_device *pdev);
	struct device_driver driver;
	const struct platform_device_id *id_table;
};

#define to_platform_device(x) container_of((x), struct platform_device, dev)

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void platform_set_drvdata(struct platform_device *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

int platform_driver_register(struct platform_driver *drv);
void platform_driver_unregister(struct platform_driver *drv);
#define module_platform_driver(drv)                                                          \
	module_driver(drv, platform_driver_register, platform_driver_unregister)

/* dmasan: what platform_device_register() does before a driver binds: device initialised,
 * named "<name>.<id>" (or "<name>" for id -1), 32-bit DMA masks. */
void kdma_platform_device_init(struct platform_device *pdev, const char *name, int id);
/* dmasan: bind pdev to the registered driver of its name and run probe; -ENODEV if none. */
int kdma_platform_probe(struct platform_device *pdev);
/* dmasan: unbind (the driver's remove, devres released) and drop the device. */
void kdma_platform_device_del(struct platform_device *pdev);

#endif
