// SPDX-License-Identifier: MIT
/*
 * The direct mapping path (kernel/dma/direct.{c,h}, include/linux/dma-direct.h): bus address =
 * translate(physical address) through the device's DMA ranges, dma_capable() against the mask and
 * bus limit, SWIOTLB when the device cannot reach a buffer, and the arch cache-maintenance points
 * of non-coherent devices. Coherent memory comes from the zone that suits the coherent mask.
 */
#include <errno.h>

#include "dma/dmacore.h"

/* ------------------------------------------------------------ arch cache maintenance ---- */

/* Where a non-coherent machine cleans / invalidates caches. Memory here is coherent, so the
 * points only count (tests observe them; SKIP_CPU_SYNC must make them disappear). */
static atomic_ulong arch_syncs_for_device, arch_syncs_for_cpu;

void kdma_arch_sync_for_device(phys_addr_t phys, size_t size, enum dma_data_direction dir)
{
	atomic_fetch_add_explicit(&arch_syncs_for_device, 1, memory_order_relaxed);
}

void kdma_arch_sync_for_cpu(phys_addr_t phys, size_t size, enum dma_data_direction dir)
{
	atomic_fetch_add_explicit(&arch_syncs_for_cpu, 1, memory_order_relaxed);
}

u64 kdma_arch_sync_count(bool for_cpu)
{
	return atomic_load_explicit(for_cpu ? &arch_syncs_for_cpu : &arch_syncs_for_device,
				    memory_order_relaxed);
}

/* ------------------------------------------------------------------- translation ---- */

dma_addr_t kdma_phys_to_dma(struct device *dev, phys_addr_t phys)
{
	const struct bus_dma_region *m = dev->dma_range_map;

	if (!m)
		return phys;
	for (; m->size; m++)
		if (phys >= m->cpu_start && phys - m->cpu_start < m->size)
			return m->dma_start + (phys - m->cpu_start);
	return DMA_MAPPING_ERROR;
}

phys_addr_t kdma_dma_to_phys(struct device *dev, dma_addr_t addr)
{
	const struct bus_dma_region *m = dev->dma_range_map;

	if (!m)
		return addr;
	for (; m->size; m++)
		if (addr >= m->dma_start && addr - m->dma_start < m->size)
			return m->cpu_start + (addr - m->dma_start);
	return (phys_addr_t)-1;
}

bool kdma_dma_capable(struct device *dev, dma_addr_t addr, size_t size, bool is_ram)
{
	if (addr == DMA_MAPPING_ERROR || !dev->dma_mask)
		return false;
	/* No wrap-around check, as in the kernel. */
	return addr + size - 1 <= kdma_min_not_zero(*dev->dma_mask, dev->bus_dma_limit);
}

bool kdma_dma_coherent_ok(struct device *dev, phys_addr_t phys, size_t size)
{
	dma_addr_t addr = kdma_phys_to_dma(dev, phys);

	if (addr == DMA_MAPPING_ERROR)
		return false;
	return addr + size - 1 <= kdma_min_not_zero(dev->coherent_dma_mask, dev->bus_dma_limit);
}

bool kdma_kmalloc_needs_bounce(struct device *dev, size_t size, enum dma_data_direction dir)
{
	u64 align = kdma_opts()->dma_minalign;

	if (!kdma_opts()->kmalloc_bounce || dev->dma_coherent || dir == DMA_TO_DEVICE || !align)
		return false;
	return !(size >= 2 * align || kmalloc_size_roundup(size) % align == 0);
}

/* ------------------------------------------------------------------ streaming maps ---- */

static void direct_overflow(struct device *dev, dma_addr_t addr, size_t size,
			    enum kdma_map_failure *why)
{
	static atomic_bool warned;

	*why = KDMA_FAIL_OVERFLOW;
	/* dev_WARN_ONCE in the kernel: the first overflow of the process is printed. */
	if (!atomic_exchange(&warned, true))
		kdma_warn(dev, "DMA addr 0x%016llx+%zu overflow (mask %llx, bus limit %llx).",
			  (unsigned long long)addr, size, (unsigned long long)kdma_dev_mask(dev),
			  (unsigned long long)dev->bus_dma_limit);
}

static dma_addr_t direct_bounce(struct device *dev, phys_addr_t phys, size_t size,
				enum dma_data_direction dir, unsigned long attrs, unsigned int *flags,
				enum kdma_map_failure *why)
{
	dma_addr_t addr = swiotlb_map(dev, phys, size, dir, attrs, why);

	if (addr != DMA_MAPPING_ERROR)
		*flags |= KDMA_MAP_BOUNCED;
	return addr;
}

dma_addr_t dma_direct_map_phys(struct device *dev, phys_addr_t phys, size_t size,
			       enum dma_data_direction dir, unsigned long attrs, unsigned int *flags,
			       enum kdma_map_failure *why)
{
	bool mmio = attrs & DMA_ATTR_MMIO;
	dma_addr_t addr;

	if (is_swiotlb_force_bounce(dev)) {
		if (mmio) {
			*why = KDMA_FAIL_OTHER;
			return DMA_MAPPING_ERROR;
		}
		return direct_bounce(dev, phys, size, dir, attrs, flags, why);
	}
	if (mmio) {
		/* MMIO is used as is: no translation, no cache maintenance. */
		addr = phys;
		if (!kdma_dma_capable(dev, addr, size, false))
			goto overflow;
		return addr;
	}
	addr = kdma_phys_to_dma(dev, phys);
	if (!kdma_dma_capable(dev, addr, size, true) || kdma_kmalloc_needs_bounce(dev, size, dir)) {
		if (is_swiotlb_active(dev))
			return direct_bounce(dev, phys, size, dir, attrs, flags, why);
		goto overflow;
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		kdma_arch_sync_for_device(phys, size, dir);
	return addr;

overflow:
	direct_overflow(dev, addr, size, why);
	return DMA_MAPPING_ERROR;
}

void dma_direct_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
				       enum dma_data_direction dir)
{
	phys_addr_t phys = kdma_dma_to_phys(dev, addr);

	if (is_swiotlb_buffer(dev, phys))
		swiotlb_sync_single_for_device(dev, phys, size, dir);
	if (!dev->dma_coherent)
		kdma_arch_sync_for_device(phys, size, dir);
}

void dma_direct_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
				    enum dma_data_direction dir)
{
	phys_addr_t phys = kdma_dma_to_phys(dev, addr);

	if (!dev->dma_coherent)
		kdma_arch_sync_for_cpu(phys, size, dir);
	if (is_swiotlb_buffer(dev, phys))
		swiotlb_sync_single_for_cpu(dev, phys, size, dir);
}

void dma_direct_unmap_phys(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir, unsigned long attrs)
{
	phys_addr_t phys;

	if (attrs & DMA_ATTR_MMIO)
		return;
	phys = kdma_dma_to_phys(dev, addr);
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dma_direct_sync_single_for_cpu(dev, addr, size, dir);
	/* The copy back already happened in the sync above. */
	if (is_swiotlb_buffer(dev, phys))
		swiotlb_tbl_unmap_single(dev, phys, size, dir, attrs | DMA_ATTR_SKIP_CPU_SYNC);
}

void dma_direct_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
			 enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		dma_direct_unmap_phys(dev, sg_dma_address(sg), sg_dma_len(sg), dir, attrs);
}

int dma_direct_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir, unsigned long attrs, unsigned int *flags)
{
	enum kdma_map_failure why = KDMA_FAIL_NONE;
	struct scatterlist *sg;
	int i;

	/* Each entry on its own: the direct path never merges, so it returns nents. */
	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = dma_direct_map_phys(dev, sg_phys(sg), sg->length, dir, attrs,
						      flags, &why);
		if (sg->dma_address == DMA_MAPPING_ERROR) {
			dma_direct_unmap_sg(dev, sgl, i, dir, attrs | DMA_ATTR_SKIP_CPU_SYNC);
			return -EIO;
		}
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

void dma_direct_sync_sg_for_device(struct device *dev, struct scatterlist *sgl, int nents,
				   enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		dma_direct_sync_single_for_device(dev, sg_dma_address(sg), sg->length, dir);
}

void dma_direct_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl, int nents,
				enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		dma_direct_sync_single_for_cpu(dev, sg_dma_address(sg), sg->length, dir);
}

bool dma_direct_need_sync(struct device *dev, dma_addr_t dma_addr)
{
	return !dev->dma_coherent || is_swiotlb_buffer(dev, kdma_dma_to_phys(dev, dma_addr));
}

/* ------------------------------------------------------------- masks and limits ---- */

/* Smallest all-ones mask covering addr. */
static u64 all_ones_covering(u64 addr)
{
	if (!addr)
		return 0;
	return addr >> 63 ? ~0ULL : (1ULL << (64 - __builtin_clzll(addr))) - 1;
}

u64 dma_direct_get_required_mask(struct device *dev)
{
	dma_addr_t max_dma = kdma_phys_to_dma(dev, kdma_max_phys());

	return all_ones_covering(max_dma);
}

int dma_direct_supported(struct device *dev, u64 mask)
{
	u64 min_mask = kdma_max_phys();

	if (mask >= DMA_BIT_MASK(32))
		return 1;
	/* Below 32 bits the mask must at least cover ZONE_DMA, where the allocator can serve it. */
	if (kdma_opts()->zone_dma_size && min_mask > KDMA_ZONE_DMA_LIMIT)
		min_mask = KDMA_ZONE_DMA_LIMIT;
	return mask >= kdma_phys_to_dma(dev, min_mask);
}

size_t dma_direct_max_mapping_size(struct device *dev)
{
	if (is_swiotlb_active(dev) && (dma_addressing_limited(dev) || is_swiotlb_force_bounce(dev)))
		return swiotlb_max_mapping_size(dev);
	return SIZE_MAX;
}

/* -------------------------------------------------------------- coherent memory ---- */

/* dma_direct_optimal_gfp_mask: the zone whose addresses the coherent mask surely covers. */
static gfp_t direct_optimal_gfp(struct device *dev, phys_addr_t *phys_limit)
{
	u64 dma_limit = kdma_min_not_zero(dev->coherent_dma_mask, dev->bus_dma_limit);

	*phys_limit = kdma_dma_to_phys(dev, dma_limit);
	if (*phys_limit <= KDMA_ZONE_DMA_LIMIT)
		return GFP_DMA;
	if (*phys_limit <= DMA_BIT_MASK(32))
		return GFP_DMA32;
	return 0;
}

/* __dma_direct_alloc_pages: zeroed pages the device can reach, trying lower zones on a miss. */
static struct page *direct_alloc_pages(struct device *dev, size_t size, gfp_t gfp)
{
	unsigned int order = get_order(size);
	phys_addr_t phys_limit;
	struct page *page;

	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
	gfp |= direct_optimal_gfp(dev, &phys_limit) | __GFP_ZERO;
	for (;;) {
		page = kdma_alloc_pages(gfp, order);
		if (!page || kdma_dma_coherent_ok(dev, page_to_phys(page), size))
			return page;
		kdma_free_pages(page, order);
		if (phys_limit < DMA_BIT_MASK(64) && !(gfp & (GFP_DMA32 | GFP_DMA)))
			gfp |= GFP_DMA32;
		else if (!(gfp & GFP_DMA))
			gfp = (gfp & ~GFP_DMA32) | GFP_DMA;
		else
			return NULL;
	}
}

static bool direct_use_atomic_pool(struct device *dev, gfp_t gfp)
{
	/* A non-coherent device needs an uncached remap, which cannot happen without blocking. */
	return !dev->dma_coherent && !gfpflags_allow_blocking(gfp);
}

void *dma_direct_alloc(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		       unsigned long attrs)
{
	struct page *page;
	void *ret;

	size = PAGE_ALIGN(size);
	if (attrs & DMA_ATTR_NO_WARN)
		gfp |= __GFP_NOWARN;

	if (attrs & DMA_ATTR_NO_KERNEL_MAPPING) {
		/* No CPU mapping: the struct page is the cookie the driver hands back. */
		page = direct_alloc_pages(dev, size, gfp);
		if (!page)
			return NULL;
		*dma_handle = kdma_phys_to_dma(dev, page_to_phys(page));
		return page;
	}
	if (!dev->dma_coherent && kdma_opts()->global_coherent_size)
		return dma_alloc_from_global_coherent(dev, size, dma_handle);
	if (direct_use_atomic_pool(dev, gfp)) {
		page = dma_alloc_from_pool(dev, size, &ret, gfp, kdma_dma_coherent_ok);
		if (!page)
			return NULL;
		*dma_handle = kdma_phys_to_dma(dev, page_to_phys(page));
		return ret;
	}
	page = direct_alloc_pages(dev, size, gfp);
	if (!page)
		return NULL;
	*dma_handle = kdma_phys_to_dma(dev, page_to_phys(page));
	return page_address(page);
}

bool kdma_coherent_addr_ok(struct device *dev, const void *cpu_addr)
{
	if (kdma_pages_allocated(cpu_addr))
		return true;
	kdma_warn(dev, "dma_free_attrs: CPU address %p is not a live coherent allocation; not freed",
		  cpu_addr);
	return false;
}

void dma_direct_free(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_addr,
		     unsigned long attrs)
{
	unsigned int order = get_order(size);
	phys_addr_t phys;

	size = PAGE_ALIGN(size);
	if (attrs & DMA_ATTR_NO_KERNEL_MAPPING) {
		kdma_free_pages(cpu_addr, order); /* the cookie is the page */
		return;
	}
	if (!dev->dma_coherent && kdma_opts()->global_coherent_size &&
	    dma_release_from_global_coherent(order, cpu_addr))
		return;
	if (dma_free_from_pool(dev, cpu_addr, size))
		return;
	if (!kdma_coherent_addr_ok(dev, cpu_addr))
		return;
	/* The kernel finds the pages from the DMA handle. A handle that does not belong to
	 * cpu_addr would free someone else's pages: refuse (the memory leaks instead). */
	phys = kdma_dma_to_phys(dev, dma_addr);
	if (phys == (phys_addr_t)-1 || kdma_phys_to_virt(phys) != cpu_addr) {
		kdma_warn(dev, "dma_free_attrs: handle 0x%016llx does not belong to CPU address %p; "
			  "memory not freed", (unsigned long long)dma_addr, cpu_addr);
		return;
	}
	kdma_free_pages(virt_to_page(cpu_addr), order);
}

struct page *dma_direct_alloc_pages(struct device *dev, size_t size, dma_addr_t *dma_handle,
				    enum dma_data_direction dir, gfp_t gfp)
{
	struct page *page = direct_alloc_pages(dev, PAGE_ALIGN(size), gfp);

	if (page)
		*dma_handle = kdma_phys_to_dma(dev, page_to_phys(page));
	return page;
}

void dma_direct_free_pages(struct device *dev, size_t size, struct page *page,
			   dma_addr_t dma_addr, enum dma_data_direction dir)
{
	if (dma_free_from_pool(dev, page_address(page), PAGE_ALIGN(size)))
		return;
	kdma_free_pages(page, get_order(size));
}
