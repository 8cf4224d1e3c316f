// SPDX-License-Identifier: MIT
/* Devices (src/kdma/base/device.c, devres.c): lifecycle, names, logging, devres order. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <stdlib.h>

#include <dmasan/sim.h>
#include <linux/dma-mapping.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "kdma/base/base.h"

static bool stderr_has(const char *needle)
{
	static char buf[1 << 16];
	static size_t len;

	/* Reading the redirected stream consumes it: keep what was read for later checks. */
	fflush(stderr);
	len += fread(buf + len, 1, sizeof(buf) - 1 - len, cr_get_redirected_stderr());
	buf[len] = '\0';
	return strstr(buf, needle) != NULL;
}

static char order[16];
static int norder;

static void record(void *data)
{
	order[norder++] = *(const char *)data;
}

Test(device, devres_released_newest_first)
{
	struct device *dev = dmasim_device_create(NULL);
	static const char a = 'a', b = 'b', c = 'c';

	norder = 0;
	cr_assert_eq(devm_add_action(dev, record, (void *)&a), 0);
	cr_assert_eq(devm_add_action(dev, record, (void *)&b), 0);
	cr_assert_eq(devm_add_action_or_reset(dev, record, (void *)&c), 0);
	cr_assert_not_null(devm_kzalloc(dev, 100, GFP_KERNEL));
	dmasim_device_destroy(dev);
	cr_assert_eq(norder, 3);
	cr_assert_arr_eq(order, "cba", 3);
}

struct counted {
	int *released;
	int tag;
};

static void counted_release(struct device *dev, void *res)
{
	struct counted *c = res;

	(*c->released)++;
}

static int match_tag(struct device *dev, void *res, void *data)
{
	return ((struct counted *)res)->tag == *(int *)data;
}

Test(device, devres_find_destroy_release)
{
	struct device *dev = dmasim_device_create(NULL);
	int released = 0, tag1 = 1, tag2 = 2, tag3 = 3;
	struct counted *r1 = devres_alloc(counted_release, sizeof(*r1), GFP_KERNEL);
	struct counted *r2 = devres_alloc(counted_release, sizeof(*r2), GFP_KERNEL);

	cr_assert_eq((uintptr_t)r1 % 128, 0, "devres data is DMA-aligned");
	*r1 = (struct counted){ &released, 1 };
	*r2 = (struct counted){ &released, 2 };
	devres_add(dev, r1);
	devres_add(dev, r2);
	cr_assert_eq(devres_find(dev, counted_release, NULL, NULL), r2, "newest first");
	cr_assert_eq(devres_find(dev, counted_release, match_tag, &tag1), r1);
	cr_assert_null(devres_find(dev, counted_release, match_tag, &tag3));
	cr_assert_eq(devres_destroy(dev, counted_release, match_tag, &tag1), 0);
	cr_assert_eq(released, 0, "destroy does not call release");
	cr_assert_eq(devres_release(dev, counted_release, match_tag, &tag2), 0);
	cr_assert_eq(released, 1);
	cr_assert_eq(devres_release(dev, counted_release, match_tag, &tag2), -ENOENT);
	dmasim_device_destroy(dev);
	cr_assert_eq(released, 1);
}

Test(device, devm_kmalloc_family)
{
	struct device *dev = dmasim_device_create(NULL);
	unsigned char *z = devm_kzalloc(dev, 300, GFP_KERNEL);
	int *arr = devm_kcalloc(dev, 10, sizeof(int), GFP_KERNEL);

	cr_assert_not_null(z);
	for (int i = 0; i < 300; i++)
		cr_assert_eq(z[i], 0);
	cr_assert_eq(arr[9], 0);
	cr_assert_null(devm_kcalloc(dev, SIZE_MAX / 2, 4, GFP_KERNEL), "overflow");
	cr_assert_eq(devm_kmalloc(dev, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	devm_kfree(dev, z);
	cr_redirect_stderr();
	devm_kfree(dev, z);
	cr_assert(stderr_has("was not allocated with devm_kmalloc"));
	dmasim_device_destroy(dev);
}

static void failing_action(void *data)
{
	(*(int *)data)++;
}

Test(device, add_action_or_reset_runs_the_action_on_failure, .init = cr_redirect_stderr)
{
	int ran = 0;
	struct device bare = { 0 };

	/* A device nobody initialized cannot hold resources. */
	cr_assert_eq(devm_add_action_or_reset(&bare, failing_action, &ran), -EINVAL);
	cr_assert_eq(ran, 1);
}

Test(device, generated_names_and_driver)
{
	struct dmasim_config cfg = { .name = "nic0", .driver = "e1000e" };
	struct device *a = dmasim_device_create(NULL), *b = dmasim_device_create(NULL);
	struct device *n = dmasim_device_create(&cfg);

	cr_assert_eq(strncmp(dev_name(a), "dmasim", 6), 0);
	cr_assert_str_neq(dev_name(a), dev_name(b));
	cr_assert_str_eq(dev_driver_string(a), "dmasim");
	cr_assert_str_eq(dev_name(n), "nic0");
	cr_assert_str_eq(dev_driver_string(n), "e1000e");
	cr_assert_eq(dev_set_name(n, "nic%d", 7), 0);
	cr_assert_str_eq(dev_name(n), "nic7");
	dmasim_device_destroy(a);
	dmasim_device_destroy(b);
	dmasim_device_destroy(n);
}

Test(device, dev_printk_format, .init = cr_redirect_stderr)
{
	struct dmasim_config cfg = { .name = "blk0", .driver = "virtio_blk" };
	struct device *dev = dmasim_device_create(&cfg);

	dev_err(dev, "ring %d stalled\n", 3);
	dev_info(dev, "no newline");
	dev_dbg(dev, "debug is silent");
	cr_assert_eq(dev_err_probe(dev, -ENOMEM, "no rings"), -ENOMEM);
	cr_assert(stderr_has("virtio_blk blk0: ring 3 stalled\n"));
	cr_assert(stderr_has("virtio_blk blk0: no newline\n"));
	cr_assert(stderr_has("virtio_blk blk0: error -ENOMEM: no rings\n"));
	cr_assert_not(stderr_has("debug is silent"));
	dmasim_device_destroy(dev);
}

Test(device, embedded_device_lifecycle)
{
	static const struct device_driver drv = { .name = "mybus" };
	struct device dev = { .driver = &drv };
	u64 mask = DMA_BIT_MASK(64);
	static const char x = 'x';

	norder = 0;
	device_initialize(&dev);
	cr_assert_not_null(dev.kdma);
	cr_assert_eq(dev_set_name(&dev, "emb%d", 1), 0);
	cr_assert_str_eq(dev_name(&dev), "emb1");
	cr_assert_str_eq(dev_driver_string(&dev), "mybus");
	dev.dma_mask = &mask;
	cr_assert_eq(devm_add_action(&dev, record, (void *)&x), 0);
	cr_assert_eq(get_device(&dev), &dev);
	device_del(&dev);
	cr_assert_eq(norder, 1, "device_del releases devres");
	cr_assert_not_null(dev.kdma, "a reference is still held");
	put_device(&dev);
	cr_assert_null(dev.kdma);
}

Test(device, sim_config_fields)
{
	struct dmasim_config cfg = {
		.dma_mask = DMA_BIT_MASK(40), .coherent_dma_mask = DMA_BIT_MASK(36),
		.bus_dma_limit = DMA_BIT_MASK(39), .coherent = true,
		.dma_range = { .cpu_start = 0x1000, .dma_start = 0x2000, .size = 1ULL << 40 },
	};
	struct device *dev = dmasim_device_create(&cfg);

	cr_assert_eq(*dev->dma_mask, DMA_BIT_MASK(40));
	cr_assert_eq(dev->coherent_dma_mask, DMA_BIT_MASK(36));
	cr_assert_eq(dev->bus_dma_limit, DMA_BIT_MASK(39));
	cr_assert(dev->dma_coherent);
	cr_assert(dev->dma_skip_sync, "coherent direct devices skip syncs");
	cr_assert_eq(dev->dma_range_map[0].dma_start, 0x2000);
	cr_assert_eq(dev->dma_range_map[1].size, 0, "terminated");
	cr_assert_not(dev->dma_iommu);
	dmasim_device_destroy(dev);
}

static int releases;

static void count_release(struct device *dev)
{
	cr_assert_null(dev->kdma, "release runs after the private state is gone");
	releases++;
}

Test(device, register_unregister_calls_release_at_the_last_reference)
{
	struct device dev = { .release = count_release };

	releases = 0;
	cr_assert_eq(dev_set_name(&dev, "reg%d", 0), 0);
	cr_assert_eq(device_register(&dev), 0);
	cr_assert_str_eq(dev_name(&dev), "reg0", "device_register keeps the name already set");
	get_device(&dev);
	device_unregister(&dev);
	cr_assert_eq(releases, 0, "a reference is still held");
	put_device(&dev);
	cr_assert_eq(releases, 1);
	cr_assert_eq(device_register(NULL), -EINVAL);
}

static bool behind_iommu(struct device *dev)
{
	struct dmasim_stats st;

	cr_assert_eq(dmasim_stats(dev, &st), 0);
	return st.iommu;
}

Test(device, kdma_options_iommu_puts_every_device_behind_the_iommu, .init = cr_redirect_stderr)
{
	struct dmasim_config own = { .iommu = DMASIM_IOMMU_STRICT };
	struct pci_dev pdev = { .devfn = PCI_DEVFN(3, 1) };
	struct device *sim, *strict;

	setenv("KDMA_OPTIONS", "iommu=lazy", 1);
	kdma_options_reload();
	sim = dmasim_device_create(NULL);
	strict = dmasim_device_create(&own);
	kdma_pci_dev_init(&pdev, 0x10ec, 0x8139);
	cr_assert(behind_iommu(sim) && behind_iommu(strict) && behind_iommu(&pdev.dev));
	cr_assert_eq(kdma_of(sim)->iommu_mode, DMASIM_IOMMU_LAZY);
	cr_assert_eq(kdma_of(strict)->iommu_mode, DMASIM_IOMMU_STRICT, "its own mode kept");
	cr_assert_str_eq(pci_name(&pdev), "0000:00:03.1");
	cr_assert_eq(dmasim_device_set_platform(&pdev.dev, DMASIM_IOMMU_NONE, DMASIM_BOUNCE_FORCE),
		     0);
	cr_assert_not(behind_iommu(&pdev.dev));
	cr_assert_eq(dmasim_device_set_platform(&pdev.dev, 7, DMASIM_BOUNCE_AUTO), -EINVAL);
	cr_assert(stderr_has("invalid iommu (7)"));
	kdma_pci_dev_del(&pdev);
	dmasim_device_destroy(sim);
	dmasim_device_destroy(strict);

	setenv("KDMA_OPTIONS", "iommu=sometimes", 1);
	kdma_options_reload();
	sim = dmasim_device_create(NULL);
	cr_assert_not(behind_iommu(sim));
	cr_assert(stderr_has("invalid value 'sometimes' for iommu"));
	dmasim_device_destroy(sim);
	unsetenv("KDMA_OPTIONS");
	kdma_options_reload();
}

static int probed;

static int fake_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	probed = id ? (int)id->driver_data : -1;
	return 0;
}

static void fake_remove(struct pci_dev *pdev)
{
	probed = 0;
}

Test(device, pci_drivers_register_and_bind, .init = cr_redirect_stderr)
{
	static const struct pci_device_id ids[] = { { PCI_DEVICE(0x10ec, 0x8139), .driver_data = 7 },
						    { 0 } };
	static struct pci_driver drv = { .name = "fake", .id_table = ids, .probe = fake_probe,
					 .remove = fake_remove };
	struct pci_dev pdev = { 0 }, other = { 0 };

	cr_assert_eq(pci_register_driver(&drv), 0);
	kdma_pci_dev_init(&pdev, 0x10ec, 0x8139);
	kdma_pci_dev_init(&other, 0x8086, 0x1234);
	cr_assert_eq(kdma_pci_probe(&pdev, NULL), 0);
	cr_assert_eq(probed, 7);
	cr_assert_str_eq(dev_driver_string(&pdev.dev), "fake");
	cr_assert_eq(kdma_pci_probe(&other, NULL), -ENODEV);
	cr_assert(stderr_has("no registered driver matches"));
	cr_assert_eq(kdma_pci_probe(&other, "fake"), 0, "bound by name (driver_override)");
	cr_assert_eq(probed, -1);
	kdma_pci_dev_del(&pdev);
	cr_assert_eq(probed, 0, "unbind runs remove");
	kdma_pci_dev_del(&other);
	pci_unregister_driver(&drv);
	cr_assert_eq(pci_register_driver(NULL), -EINVAL);
}
