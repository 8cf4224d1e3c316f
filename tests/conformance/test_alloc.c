// SPDX-License-Identifier: MIT
/* Coherent and non-coherent allocations on the direct path, as kernel/dma/direct.c does them. */
#include <errno.h>

#include "kdma/dma/dma.h"
#include "conf.h"

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i])
			return false;
	return true;
}

Test(alloc, coherent_memory_fits_the_coherent_mask)
{
	static const unsigned int bits[] = { 24, 32, 40, 64 };

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		struct device *dev = conf_dev(DMA_BIT_MASK(bits[i]), true, DMASIM_BOUNCE_OFF);
		dma_addr_t h;
		void *cpu = dma_alloc_coherent(dev, 3 * PAGE_SIZE + 5, &h, GFP_KERNEL);

		cr_assert_not_null(cpu, "%u-bit", bits[i]);
		cr_assert_leq(h + 4 * PAGE_SIZE - 1, DMA_BIT_MASK(bits[i]), "%u-bit", bits[i]);
		cr_assert_eq(h, (dma_addr_t)(uintptr_t)cpu);
		cr_assert(all_zero(cpu, 4 * PAGE_SIZE), "coherent memory is zeroed");
		memset(cpu, 0xff, 4 * PAGE_SIZE);
		dma_free_coherent(dev, 3 * PAGE_SIZE + 5, cpu, h);
		dmasim_device_destroy(dev);
	}
}

Test(alloc, coherent_memory_is_shared_with_the_device)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(32), false, DMASIM_BOUNCE_OFF);
	dma_addr_t h;
	char *ring = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL), out[8];

	cr_assert_not_null(ring);
	cr_assert_eq(dmasim_dma_write(dev, h + 100, "desc", 5), 0);
	cr_assert_str_eq(ring + 100, "desc");
	strcpy(ring + 200, "tail");
	cr_assert_eq(dmasim_dma_read(dev, h + 200, out, 5), 0);
	cr_assert_str_eq(out, "tail");
	dma_free_coherent(dev, 4096, ring, h);
	dmasim_device_destroy(dev);
}

Test(alloc, no_kernel_mapping_returns_the_page_cookie)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(32), true, DMASIM_BOUNCE_OFF);
	dma_addr_t h;
	void *cookie = dma_alloc_attrs(dev, 8192, &h, GFP_KERNEL, DMA_ATTR_NO_KERNEL_MAPPING);

	cr_assert_not_null(cookie);
	cr_assert_eq(page_to_phys((struct page *)cookie), h);
	dma_free_attrs(dev, 8192, cookie, h, DMA_ATTR_NO_KERNEL_MAPPING);
	dmasim_device_destroy(dev);
}

Test(alloc, gfp_zone_flags_are_ignored_and_comp_rejected)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), true, DMASIM_BOUNCE_OFF);
	dma_addr_t h;
	void *p;

	cr_redirect_stderr();
	p = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL | GFP_DMA);
	cr_assert_not_null(p);
	dma_free_coherent(dev, 4096, p, h);
	cr_assert_null(dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL | __GFP_COMP));
	dmasim_device_destroy(dev);
}

static u64 atomic_pool_allocs(void)
{
	struct kdma_atomic_pool_stats st;
	u64 n = 0;

	for (int id = 0; id < KDMA_ATOMIC_POOL__COUNT; id++) {
		kdma_atomic_pool_stats(id, &st);
		n += st.nr_allocs;
	}
	return n;
}

Test(alloc, atomic_allocation_of_non_coherent_device_uses_the_pool)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(32), false, DMASIM_BOUNCE_OFF);
	u64 allocs = atomic_pool_allocs();
	dma_addr_t h;
	void *p = dma_alloc_coherent(dev, 4096, &h, GFP_ATOMIC);

	cr_assert_not_null(p);
	cr_assert_eq(atomic_pool_allocs(), allocs + 1, "a remap cannot happen without blocking");
	dma_free_coherent(dev, 4096, p, h);
	p = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);
	cr_assert_eq(atomic_pool_allocs(), allocs + 1, "blocking allocations use the page allocator");
	cr_assert_leq(h + 4095, DMA_BIT_MASK(32));
	dma_free_coherent(dev, 4096, p, h);
	dmasim_device_destroy(dev);
}

Test(alloc, per_device_coherent_memory_wins)
{
	struct dmasim_config cfg = { .reserved_mem_size = 64 * 1024 };
	struct device *dev = dmasim_device_create(&cfg);
	dma_addr_t h;
	void *p;

	cr_assert_not_null(dev);
	cr_assert_not_null(dev->dma_mem);
	p = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);
	cr_assert_not_null(p);
	dma_free_coherent(dev, 4096, p, h);
	/* No fallback: a request larger than the region fails. */
	cr_assert_null(dma_alloc_coherent(dev, 128 * 1024, &h, GFP_KERNEL));
	dmasim_device_destroy(dev);
}

Test(alloc, pages_and_noncoherent)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(32), false, DMASIM_BOUNCE_OFF);
	dma_addr_t h, h2;
	struct page *page = dma_alloc_pages(dev, 5000, &h, DMA_BIDIRECTIONAL, GFP_KERNEL);
	void *v;

	cr_assert_not_null(page);
	cr_assert_eq(page_to_phys(page), h);
	cr_assert_leq(h + 8191, DMA_BIT_MASK(32));
	dma_free_pages(dev, 5000, page, h, DMA_BIDIRECTIONAL);
	v = dma_alloc_noncoherent(dev, 4096, &h2, DMA_FROM_DEVICE, GFP_KERNEL);
	cr_assert_not_null(v);
	cr_assert_eq((dma_addr_t)(uintptr_t)v, h2);
	cr_assert_eq(dmasim_dma_write(dev, h2, "abc", 4), 0);
	dma_sync_single_for_cpu(dev, h2, 4096, DMA_FROM_DEVICE);
	cr_assert_str_eq(v, "abc");
	dma_free_noncoherent(dev, 4096, v, h2, DMA_FROM_DEVICE);
	/* Zone flags are the API's business. */
	cr_redirect_stderr();
	cr_assert_null(dma_alloc_pages(dev, 4096, &h, DMA_TO_DEVICE, GFP_KERNEL | GFP_DMA32));
	dmasim_device_destroy(dev);
}

Test(alloc, noncontiguous_is_one_entry_without_iommu)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(64), false, DMASIM_BOUNCE_OFF);
	struct sg_table *sgt = dma_alloc_noncontiguous(dev, 3 * PAGE_SIZE, DMA_BIDIRECTIONAL,
						       GFP_KERNEL, 0);
	void *v;

	cr_assert_not_null(sgt);
	cr_assert_eq(sgt->nents, 1);
	cr_assert_eq(sg_dma_len(sgt->sgl), 3 * PAGE_SIZE);
	cr_assert_eq(sg_dma_address(sgt->sgl), sg_phys(sgt->sgl));
	v = dma_vmap_noncontiguous(dev, 3 * PAGE_SIZE, sgt);
	cr_assert_eq(v, sg_virt(sgt->sgl));
	dma_vunmap_noncontiguous(dev, v);
	dma_free_noncontiguous(dev, 3 * PAGE_SIZE, sgt, DMA_BIDIRECTIONAL);
	dmasim_device_destroy(dev);
}

Test(alloc, get_sgtable_describes_the_allocation)
{
	struct device *dev = conf_dev(DMA_BIT_MASK(32), true, DMASIM_BOUNCE_OFF);
	struct sg_table sgt;
	dma_addr_t h;
	void *cpu = dma_alloc_coherent(dev, 2 * PAGE_SIZE, &h, GFP_KERNEL);

	cr_assert_eq(dma_get_sgtable(dev, &sgt, cpu, h, 2 * PAGE_SIZE), 0);
	cr_assert_eq(sgt.orig_nents, 1);
	cr_assert_eq(sg_virt(sgt.sgl), cpu);
	cr_assert_eq(sgt.sgl->length, 2 * PAGE_SIZE);
	sg_free_table(&sgt);
	dma_free_coherent(dev, 2 * PAGE_SIZE, cpu, h);
	dmasim_device_destroy(dev);
}
