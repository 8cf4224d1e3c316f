// SPDX-License-Identifier: MIT
/*
 * kernel/dma/map_benchmark.c driven by the kernel's own user program for it,
 * tools/testing/selftests/dma/dma_map_benchmark.c, both unmodified. The module is loaded
 * (module_init), bound to a PCI device of ours the way driver_override binds it, and the
 * selftest's open() and ioctl() of /sys/kernel/debug/dma_map_benchmark reach the module's
 * debugfs file_operations through the two functions below (the selftest is compiled with
 * -Dopen=harness_open -Dioctl=harness_ioctl -Dmain=dma_map_benchmark_main).
 *
 *   upstream_map_benchmark [--iommu=none|strict|lazy] [--bounce=auto|force|off]
 *                          [--expect=direct|bounce|iommu] [--]
 *                          [selftest options: -t threads -s seconds -b dma_bits -d dir -g granule]
 *
 * The platform may also come from KDMA_OPTIONS (iommu=..., swiotlb_force=1). --expect fails the
 * run unless the mappings really took that path (bounce-pool and IOVA high-water marks).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmasan/sim.h>
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "harness_file.h"
#include "harness_platform.h"

#define DEBUGFS_ROOT "/sys/kernel/debug/"
int dma_map_benchmark_main(int argc, char **argv);

/* "/sys/kernel/debug/<name>" is the debugfs file <name> */
static int debugfs_path_open(const char *path, struct file *file)
{
	if (strncmp(path, DEBUGFS_ROOT, strlen(DEBUGFS_ROOT)))
		return -ENOENT;
	return kdma_debugfs_open(path + strlen(DEBUGFS_ROOT), file);
}

int harness_open(const char *path, int flags, ...)
{
	(void)flags;
	return harness_file_do_open(debugfs_path_open, path);
}

int harness_ioctl(int fd, unsigned long request, ...)
{
	unsigned long arg;

	HARNESS_VA_ARG(request, arg);
	return harness_file_do_ioctl(kdma_debugfs_fops(&harness_file), fd, request, arg);
}

int main(int argc, char **argv)
{
	struct harness_platform platform = { 0 };
	struct pci_dev pdev = { 0 };
	int i = harness_parse(argc, argv, &platform), ret;

	ret = kdma_modules_init();
	if (ret)
		return 1;
	kdma_pci_dev_init(&pdev, 0x1ded, 0x0001);
	if (harness_apply(&pdev.dev, &platform))
		return 1;
	ret = kdma_pci_probe(&pdev, "dma_map_benchmark");
	if (ret) {
		fprintf(stderr, "harness: probe failed (%d)\n", ret);
		return 1;
	}
	/* the selftest parses with getopt from argv[1]: hand it our program name first */
	argv[i - 1] = argv[0];
	ret = dma_map_benchmark_main(argc - (i - 1), argv + (i - 1));
	if (harness_file_open)
		kdma_debugfs_release(&harness_file);
	if (!ret && !harness_took_path(&pdev.dev, &platform))
		ret = 1;
	kdma_pci_dev_del(&pdev);
	kdma_modules_exit();
	return ret;
}
