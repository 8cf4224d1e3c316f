/* SPDX-License-Identifier: MIT */
/*
 * What every upstream harness does with its own options: --iommu=none|strict|lazy and
 * --bounce=auto|off|force choose the device's platform, --bus-limit=32 puts it behind a bridge
 * with 32 address lines (bus_dma_limit: whatever the driver's mask, buffers above 4 GiB bounce),
 * --expect=direct|bounce|iommu fails the run unless its mappings took that path (bounce-pool and
 * IOVA high-water marks).
 */
#ifndef DMASAN_UPSTREAM_HARNESS_PLATFORM_H
#define DMASAN_UPSTREAM_HARNESS_PLATFORM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmasan/sim.h>
#include <linux/pci.h>

struct harness_platform {
	enum dmasim_iommu iommu;
	enum dmasim_bounce bounce;
	bool set;
	unsigned int bus_limit_bits;
	const char *expect;
};

static int harness_mode(const char *arg, const char *name, const char *const *modes, int n)
{
	size_t len = strlen(name);

	if (strncmp(arg, name, len) || arg[len] != '=')
		return -1;
	for (int i = 0; i < n; i++)
		if (!strcmp(arg + len + 1, modes[i]))
			return i;
	fprintf(stderr, "harness: bad value in %s\n", arg);
	exit(2);
}

/* Consumes the harness options (up to "--"); returns the index of the program's first argument. */
static int harness_parse(int argc, char **argv, struct harness_platform *p)
{
	static const char *const iommus[] = { "none", "strict", "lazy" };
	static const char *const bounces[] = { "auto", "off", "force" };
	int i, m;

	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--"))
			return i + 1;
		if (!strncmp(argv[i], "--expect=", 9)) {
			p->expect = argv[i] + 9;
		} else if (!strcmp(argv[i], "--bus-limit=32")) {
			p->bus_limit_bits = 32;
		} else if ((m = harness_mode(argv[i], "--iommu", iommus, 3)) >= 0) {
			p->iommu = (enum dmasim_iommu)m;
			p->set = true;
		} else if ((m = harness_mode(argv[i], "--bounce", bounces, 3)) >= 0) {
			p->bounce = (enum dmasim_bounce)m;
			p->set = true;
		} else {
			fprintf(stderr, "harness: unknown option %s\n", argv[i]);
			exit(2);
		}
	}
	return i;
}

static int harness_apply(struct device *dev, const struct harness_platform *p)
{
	if (p->bus_limit_bits)
		dev->bus_dma_limit = DMA_BIT_MASK(p->bus_limit_bits);
	return p->set ? dmasim_device_set_platform(dev, p->iommu, p->bounce) : 0;
}

/* Whether the device's mappings took the expected path (always, without --expect). */
static bool harness_took_path(struct device *dev, const struct harness_platform *p)
{
	struct dmasim_stats st;
	bool bounced, ok;

	if (!p->expect)
		return true;
	if (dmasim_stats(dev, &st))
		return false;
	bounced = st.swiotlb_high_water > 0;
	printf("harness: iommu %d (IOVA high water %llu bytes), bounce slots high water %lu\n",
	       st.iommu, st.iova_high_water, st.swiotlb_high_water);
	if (!strcmp(p->expect, "direct"))
		ok = !bounced && !st.iommu;
	else if (!strcmp(p->expect, "bounce"))
		ok = bounced && !st.iommu;
	else if (!strcmp(p->expect, "iommu"))
		ok = st.iommu && st.iova_high_water > 0 && !bounced;
	else
		ok = false;
	if (!ok)
		fprintf(stderr, "harness: the mappings did not take the %s path\n", p->expect);
	return ok;
}

/* BAR bar of pdev is size bytes of ordinary memory at mem (the model's registers). */
static void harness_pci_bar(struct pci_dev *pdev, int bar, void *mem, size_t size)
{
	pdev->resource[bar].start = virt_to_phys(mem);
	pdev->resource[bar].end = pdev->resource[bar].start + size - 1;
	pdev->resource[bar].flags = IORESOURCE_MEM;
}

/* Binds pdev to its driver, runs traffic(arg) (nonzero: failed), checks the path the mappings
 * took and unbinds the driver: 0 when all went well. */
static int harness_pci_run(struct pci_dev *pdev, const struct harness_platform *p,
			   int (*traffic)(void *arg), void *arg)
{
	int ret = kdma_pci_probe(pdev, NULL);

	if (ret) {
		fprintf(stderr, "harness: probe failed (%d)\n", ret);
		return 1;
	}
	ret = traffic(arg) ? 1 : 0;
	if (!harness_took_path(&pdev->dev, p))
		ret = 1;
	kdma_pci_dev_del(pdev);
	return ret;
}

#endif
