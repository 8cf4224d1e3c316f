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

#define DEBUGFS_ROOT "/sys/kernel/debug/"
#define HARNESS_FD 100

int harness_open(const char *path, int flags, ...);
int harness_ioctl(int fd, unsigned long request, ...);
int dma_map_benchmark_main(int argc, char **argv);

static struct file file;
static bool file_open;

int harness_open(const char *path, int flags, ...)
{
	int ret;

	(void)flags;
	if (file_open || strncmp(path, DEBUGFS_ROOT, strlen(DEBUGFS_ROOT))) {
		errno = file_open ? EMFILE : ENOENT;
		return -1;
	}
	ret = kdma_debugfs_open(path + strlen(DEBUGFS_ROOT), &file);
	if (ret) {
		errno = -ret;
		return -1;
	}
	file_open = true;
	return HARNESS_FD;
}

int harness_ioctl(int fd, unsigned long request, ...)
{
	const struct file_operations *fops = kdma_debugfs_fops(&file);
	unsigned long arg;
	va_list ap;
	long ret;

	va_start(ap, request);
	arg = (unsigned long)va_arg(ap, void *);
	va_end(ap);
	if (fd != HARNESS_FD || !file_open || !fops || !fops->unlocked_ioctl) {
		errno = EBADF;
		return -1;
	}
	ret = fops->unlocked_ioctl(&file, (unsigned int)request, arg);
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return (int)ret;
}

static int parse_mode(const char *arg, const char *name, const char *const *modes, int n)
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

/* Whether the device's mappings took the expected path. */
static bool took_path(struct device *dev, const char *expect)
{
	struct dmasim_stats st;
	bool bounced, iommu;

	if (!expect)
		return true;
	if (dmasim_stats(dev, &st))
		return false;
	bounced = st.swiotlb_high_water > 0;
	iommu = st.iommu && st.iova_high_water > 0;
	printf("harness: iommu %d (IOVA high water %llu bytes), bounce slots high water %lu\n",
	       st.iommu, st.iova_high_water, st.swiotlb_high_water);
	if (!strcmp(expect, "direct"))
		return !bounced && !st.iommu;
	if (!strcmp(expect, "bounce"))
		return bounced && !st.iommu;
	if (!strcmp(expect, "iommu"))
		return iommu && !bounced;
	fprintf(stderr, "harness: bad --expect=%s\n", expect);
	return false;
}

int main(int argc, char **argv)
{
	static const char *const iommus[] = { "none", "strict", "lazy" };
	static const char *const bounces[] = { "auto", "off", "force" };
	enum dmasim_iommu iommu = DMASIM_IOMMU_NONE;
	enum dmasim_bounce bounce = DMASIM_BOUNCE_AUTO;
	bool set_platform = false;
	const char *expect = NULL;
	struct pci_dev pdev = { 0 };
	int i, ret, m;

	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strncmp(argv[i], "--expect=", 9)) {
			expect = argv[i] + 9;
		} else if ((m = parse_mode(argv[i], "--iommu", iommus, 3)) >= 0) {
			iommu = (enum dmasim_iommu)m;
			set_platform = true;
		} else if ((m = parse_mode(argv[i], "--bounce", bounces, 3)) >= 0) {
			bounce = (enum dmasim_bounce)m;
			set_platform = true;
		} else {
			fprintf(stderr, "harness: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	ret = kdma_modules_init();
	if (ret)
		return 1;
	kdma_pci_dev_init(&pdev, 0x1ded, 0x0001);
	if (set_platform && dmasim_device_set_platform(&pdev.dev, iommu, bounce))
		return 1;
	ret = kdma_pci_probe(&pdev, "dma_map_benchmark");
	if (ret) {
		fprintf(stderr, "harness: probe failed (%d)\n", ret);
		return 1;
	}
	/* the selftest parses with getopt from argv[1]: hand it our program name first */
	argv[i - 1] = argv[0];
	ret = dma_map_benchmark_main(argc - (i - 1), argv + (i - 1));
	if (file_open)
		kdma_debugfs_release(&file);
	if (!ret && !took_path(&pdev.dev, expect)) {
		fprintf(stderr, "harness: the mappings did not take the %s path\n", expect);
		ret = 1;
	}
	kdma_pci_dev_del(&pdev);
	kdma_modules_exit();
	return ret;
}
