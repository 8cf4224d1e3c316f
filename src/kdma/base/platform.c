// SPDX-License-Identifier: MIT
/* Platform devices and drivers (<linux/platform_device.h>): bound by name, as the platform bus
 * matches without a device tree. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <linux/platform_device.h>

#include "base/registry.h"
#include "base/base.h"
#include "mm/mm.h"

static struct kdma_registry platform_drivers = KDMA_REGISTRY_INIT("platform");

int platform_driver_register(struct platform_driver *drv)
{
	if (!drv || !drv->driver.name || !drv->probe) {
		kdma_warn(NULL, "platform_driver_register: a driver needs a name and a probe");
		return -EINVAL;
	}
	return kdma_registry_add(&platform_drivers, drv, drv->driver.name);
}

void platform_driver_unregister(struct platform_driver *drv)
{
	kdma_registry_del(&platform_drivers, drv);
}

void kdma_platform_device_init(struct platform_device *pdev, const char *name, int id)
{
	if (!pdev || !name) {
		kdma_warn(NULL, "kdma_platform_device_init: no device or no name");
		return;
	}
	pdev->name = name;
	pdev->id = id;
	device_initialize(&pdev->dev);
	if (id == -1)
		dev_set_name(&pdev->dev, "%s", name);
	else
		dev_set_name(&pdev->dev, "%s.%d", name, id);
	pdev->dma_mask = DMA_BIT_MASK(32);
	pdev->dev.dma_mask = &pdev->dma_mask;
	pdev->dev.coherent_dma_mask = DMA_BIT_MASK(32);
}

static bool platform_driver_fits(void *drv, void *arg)
{
	const struct platform_driver *d = drv;
	const struct platform_device *pdev = arg;

	if (d->id_table) {
		for (const struct platform_device_id *id = d->id_table; id->name[0]; id++)
			if (!strcmp(id->name, pdev->name))
				return true;
	}
	return !strcmp(d->driver.name, pdev->name);
}

int kdma_platform_probe(struct platform_device *pdev)
{
	struct platform_driver *drv;
	int ret;

	if (!pdev || !pdev->dev.kdma || !pdev->name) {
		kdma_warn(pdev ? &pdev->dev : NULL, "kdma_platform_probe: device not set up with "
			  "kdma_platform_device_init");
		return -EINVAL;
	}
	drv = kdma_registry_find(&platform_drivers, platform_driver_fits, pdev);
	if (!drv) {
		kdma_warn(&pdev->dev, "kdma_platform_probe: no registered driver %s", pdev->name);
		return -ENODEV;
	}
	pdev->dev.driver = &drv->driver;
	snprintf(pdev->dev.kdma->driver, sizeof(pdev->dev.kdma->driver), "%s", drv->driver.name);
	ret = drv->probe(pdev);
	if (ret)
		pdev->dev.driver = NULL;
	return ret;
}

void kdma_platform_device_del(struct platform_device *pdev)
{
	const struct device_driver *bound;

	if (!pdev)
		return;
	bound = pdev->dev.driver;
	if (bound) {
		struct platform_driver *drv = container_of(bound, struct platform_driver, driver);

		if (drv->remove)
			drv->remove(pdev);
	}
	pdev->dev.driver = NULL;
	device_del(&pdev->dev);
}
