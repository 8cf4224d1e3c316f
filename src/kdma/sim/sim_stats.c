// SPDX-License-Identifier: MIT
/*
 * dmasim_stats(): SWIOTLB slot use and IOVA space use for the sanitizer's mapping-table dumps,
 * which cannot reach libkdma's hidden statistics functions.
 */
#include <errno.h>
#include <string.h>

#include <dmasan/sim.h>

#include <linux/math.h>

#include "dma/dmacore.h"
#include "iommu/iommu_priv.h"

static void swiotlb_part(struct dmasim_stats *out)
{
	struct kdma_swiotlb_stats st;
	u64 size = kdma_opts()->swiotlb_size;

	kdma_swiotlb_stats(&st);
	out->swiotlb_total = st.nslabs;
	if (!out->swiotlb_total) /* no bounce yet: the pool the first bounce will create */
		out->swiotlb_total = DIV_ROUND_UP(size, IO_TLB_SIZE * IO_TLB_SEGSIZE) * IO_TLB_SEGSIZE;
	out->swiotlb_used = st.used;
	out->swiotlb_high_water = st.used_hiwater;
}

/* Whether dev's streaming mappings can land in a bounce slot. */
static bool dev_bounces(const struct kdma_dev *kd)
{
	if (!kdma_opts()->swiotlb_size || kd->bounce == DMASIM_BOUNCE_OFF)
		return false;
	return kd->iommu_mode == DMASIM_IOMMU_NONE || kd->untrusted;
}

static void iova_part(struct device *dev, const struct iommu_domain *domain,
		      struct dmasim_stats *out)
{
	unsigned long used, high;
	u64 top = kdma_dev_mask(dev);

	if (!top || top > domain->aperture_end)
		top = domain->aperture_end;
	iova_space_stats(domain->iovad, &used, &high);
	out->iommu = true;
	out->iova_total = top + 1 - IOVA_GRANULE; /* IOVA 0 is never handed out */
	out->iova_used = (unsigned long long)used << IOVA_SHIFT;
	out->iova_high_water = (unsigned long long)high << IOVA_SHIFT;
}

int dmasim_stats(struct device *dev, struct dmasim_stats *out)
{
	struct kdma_dev *kd = kdma_of(dev);

	if (!out || (dev && !kd)) {
		kdma_warn(dev, "dmasim_stats: %s", out ? "not a libkdma device" : "NULL output");
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	swiotlb_part(out);
	out->swiotlb = !dev || dev_bounces(kd);
	if (dev && kd->domain)
		iova_part(dev, kd->domain, out);
	return 0;
}
