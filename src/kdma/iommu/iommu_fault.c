/* SPDX-License-Identifier: MIT */
/*
 * IOMMU translation faults: a per-process ring of the most recent ones and a kernel-log line per
 * fault, worded like the Intel VT-d driver (drivers/iommu/intel/dmar.c, dmar_fault_do_one):
 *
 *   DMAR: [DMA Write NO_PASID] Request device [dmasim0] fault addr 0x7ffff000 [fault reason 0x05]
 *   PTE Write access is not set
 *
 * VT-d second-level entries have no separate present bit: an unmapped IOVA has neither R nor W,
 * so real hardware reports unmapped accesses with reasons 0x05/0x06 as well; the record's `kind`
 * tells the two apart. The device's PCI address is replaced by its name.
 */
#include <stdio.h>
#include <string.h>

#include "iommu/iommu_priv.h"

static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kdma_iommu_fault fault_ring[KDMA_IOMMU_FAULT_RING];
static u64 fault_seq; /* faults recorded so far; fault n lives in fault_ring[(n-1) % RING] */
static u64 fault_base; /* sequence number before the last clear */

static void fault_reason(enum kdma_iommu_fault_kind kind, bool is_write, unsigned int *code,
			 const char **text)
{
	if (kind == KDMA_IOMMU_FAULT_RANGE) {
		*code = 0x04;
		*text = "Access beyond MGAW";
	} else if (is_write) {
		*code = 0x05;
		*text = "PTE Write access is not set";
	} else {
		*code = 0x06;
		*text = "PTE Read access is not set";
	}
}

void kdma_iommu_report_fault(struct device *dev, dma_addr_t iova, bool is_write,
			     enum kdma_iommu_fault_kind kind)
{
	struct kdma_iommu_fault f = { .dev = dev, .iova = iova, .is_write = is_write, .kind = kind };

	fault_reason(kind, is_write, &f.reason_code, &f.reason);
	snprintf(f.dev_name, sizeof(f.dev_name), "%s", kdma_iommu_dev_name(dev));
	pthread_mutex_lock(&fault_lock);
	f.seq = ++fault_seq;
	fault_ring[(f.seq - 1) % KDMA_IOMMU_FAULT_RING] = f;
	pthread_mutex_unlock(&fault_lock);

	if (!kdma_opts()->quiet)
		fprintf(stderr,
			"DMAR: [%s NO_PASID] Request device [%s] fault addr 0x%llx "
			"[fault reason 0x%02x] %s\n",
			is_write ? "DMA Write" : "DMA Read", f.dev_name, (unsigned long long)iova,
			f.reason_code, f.reason);
	KDMA_HOOK(iommu_fault, dev, iova, is_write, f.reason);
}

size_t kdma_iommu_faults_get(struct kdma_iommu_fault *out, size_t max)
{
	size_t n;
	u64 first;

	pthread_mutex_lock(&fault_lock);
	n = fault_seq - fault_base;
	if (n > KDMA_IOMMU_FAULT_RING)
		n = KDMA_IOMMU_FAULT_RING;
	if (n > max)
		n = max;
	first = fault_seq - n + 1;
	for (size_t i = 0; i < n; i++)
		out[i] = fault_ring[(first + i - 1) % KDMA_IOMMU_FAULT_RING];
	pthread_mutex_unlock(&fault_lock);
	return n;
}

u64 kdma_iommu_fault_count(void)
{
	u64 n;

	pthread_mutex_lock(&fault_lock);
	n = fault_seq - fault_base;
	pthread_mutex_unlock(&fault_lock);
	return n;
}

void kdma_iommu_faults_clear(void)
{
	pthread_mutex_lock(&fault_lock);
	fault_base = fault_seq;
	pthread_mutex_unlock(&fault_lock);
}
