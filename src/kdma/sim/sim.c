// SPDX-License-Identifier: MIT
/*
 * Device-side memory accesses (dmasim_dma_read/write): the bus address is translated the way the
 * hardware would — through the IOMMU's page tables and IOTLB when the device has one, else
 * through its DMA range — and the memory behind it is touched. The sanitizer sees each
 * physically contiguous piece (device_access hook) and may perform the copy itself.
 *
 * Without an IOMMU a device reaches only its DMA window: what its range map translates (or
 * everything, identity) and no further than its masks and the bus limit allow. Memory that is not
 * mapped in this process does not exist for the device either: -EFAULT, never a crash.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/hwcopy.h"
#include "dma/dmacore.h"

/* Highest bus address the device can drive: the wider of its masks, cut by the bus limit. The
 * masks are read atomically: the driver may be setting them (probe) while the device runs. */
static u64 device_reach(const struct device *dev)
{
	u64 mask = kdma_dev_mask(dev);
	u64 coherent = __atomic_load_n(&dev->coherent_dma_mask, __ATOMIC_RELAXED);

	if (coherent > mask)
		mask = coherent;
	return kdma_min_not_zero(mask, dev->bus_dma_limit);
}

/* Is [phys, phys+len) mapped in this process? mincore() fails with ENOMEM where it is not. */
static bool phys_backed(phys_addr_t phys, size_t len)
{
	uintptr_t start = (uintptr_t)phys & PAGE_MASK;
	uintptr_t end = (uintptr_t)PAGE_ALIGN(phys + len);
	unsigned char vec[1];

	for (uintptr_t p = start; p < end; p += PAGE_SIZE)
		if (mincore((void *)p, PAGE_SIZE, vec))
			return false;
	return true;
}

/* Mapped is not enough for the copy: a guard page or a PROT_NONE reservation (ASan's shadow gap)
 * passes mincore. One byte of each page is read through process_vm_readv, which fails with
 * EFAULT there instead of faulting (where the call is not permitted, mincore alone decides).
 * Checked only when libkdma copies itself: the sanitizer's mprotect backend protects pages of
 * device-owned buffers and performs those accesses. */
static bool phys_readable(phys_addr_t phys, size_t len)
{
	uintptr_t start = (uintptr_t)phys & PAGE_MASK;
	uintptr_t end = (uintptr_t)PAGE_ALIGN(phys + len);
	unsigned char byte;

	for (uintptr_t p = start; p < end; p += PAGE_SIZE) {
		struct iovec local = { &byte, 1 }, remote = { (void *)p, 1 };

		if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) < 0 && errno == EFAULT)
			return false;
	}
	return true;
}

/* Translate one access that stays within one page; (phys_addr_t)-1 when it does not. */
static phys_addr_t translate(struct device *dev, dma_addr_t addr, size_t len, bool is_write,
			     bool *stale)
{
	phys_addr_t phys;

	*stale = false;
	if (use_dma_iommu(dev)) {
		if (kdma_iommu_translate(dev, addr, is_write, &phys, stale))
			return (phys_addr_t)-1;
	} else {
		if (addr + len - 1 > device_reach(dev))
			return (phys_addr_t)-1;
		phys = kdma_dma_to_phys(dev, addr);
		if (phys == (phys_addr_t)-1)
			return phys;
	}
	return phys_backed(phys, len) ? phys : (phys_addr_t)-1;
}

/* One contiguous piece: the hook, then the copy unless the sanitizer did it. */
static int access_piece(struct device *dev, dma_addr_t addr, phys_addr_t phys, void *buf,
			size_t len, bool is_write, bool stale)
{
	enum kdma_access_result res = KDMA_ACCESS_PROCEED;

	/* the device's own coherent region is shared memory with no tracked mappings */
	if (KDMA_HOOK_PRESENT(device_access) &&
	    !(phys != (phys_addr_t)-1 && kdma_dev_coherent_contains(dev, phys, len)))
		res = kdma_hooks_table->device_access(dev, addr, phys, buf, len, is_write, stale);
	if (phys == (phys_addr_t)-1 || res == KDMA_ACCESS_FAULT)
		return -EFAULT;
	if (res == KDMA_ACCESS_HANDLED)
		return 0;
	if (!phys_readable(phys, len))
		return -EFAULT;
	if (is_write)
		dmasan_hw_copy(kdma_phys_to_virt(phys), buf, len);
	else
		dmasan_hw_copy(buf, kdma_phys_to_virt(phys), len);
	return 0;
}

static int dma_access(struct device *dev, dma_addr_t addr, void *buf, size_t len, bool is_write,
		      const char *fn)
{
	phys_addr_t run_phys = 0;
	dma_addr_t run_addr = addr;
	size_t run_len = 0;
	bool run_stale = false;
	int ret;

	kdma_hooks_ensure();
	if (!kdma_check_dev(dev, fn))
		return -EINVAL;
	if (!buf) {
		kdma_warn(dev, "%s: NULL buffer", fn);
		return -EINVAL;
	}
	if (!len)
		return 0;
	if (addr + len - 1 < addr) {
		kdma_warn(dev, "%s: access at %#llx+%zu wraps around the bus", fn,
			  (unsigned long long)addr, len);
		return access_piece(dev, addr, (phys_addr_t)-1, buf, len, is_write, false);
	}
	/* Page by page (the IOMMU granule), merging pieces that stay physically contiguous. */
	while (len) {
		size_t n = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		bool stale;
		phys_addr_t phys;

		if (n > len)
			n = len;
		phys = translate(dev, addr, n, is_write, &stale);
		if (run_len && (phys != run_phys + run_len || stale != run_stale)) {
			ret = access_piece(dev, run_addr, run_phys, (char *)buf - run_len, run_len,
					   is_write, run_stale);
			if (ret)
				return ret;
			run_len = 0;
		}
		if (phys == (phys_addr_t)-1)
			return access_piece(dev, addr, phys, buf, len, is_write, false);
		if (!run_len) {
			run_addr = addr;
			run_phys = phys;
			run_stale = stale;
		}
		run_len += n;
		addr += n;
		buf = (char *)buf + n;
		len -= n;
	}
	return access_piece(dev, run_addr, run_phys, (char *)buf - run_len, run_len, is_write,
			    run_stale);
}

int dmasim_dma_read(struct device *dev, dma_addr_t addr, void *dst, size_t len)
{
	return dma_access(dev, addr, dst, len, false, __func__);
}

int dmasim_dma_write(struct device *dev, dma_addr_t addr, const void *src, size_t len)
{
	return dma_access(dev, addr, (void *)src, len, true, __func__);
}
