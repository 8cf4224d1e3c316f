// SPDX-License-Identifier: MIT
/* The emulated IOMMU through the public API: IOVAs, direction permissions and faults, strict and
 * lazy invalidation, scatterlist coalescing, allocations, bouncing for untrusted devices, and
 * two threads. The lazy-mode timer is disabled (iommu_fq_timeout_ms=0): flushes happen only
 * through dmasim_iommu_flush() or a full queue, so nothing depends on timing. */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

#include "kdma/iommu/iommu_priv.h"

static void setup(void)
{
	setenv("KDMA_OPTIONS", "iommu_fq_timeout_ms=0:quiet=1", 1);
	kdma_options_reload();
	kdma_iommu_faults_clear();
}

TestSuite(iommu, .init = setup);

static struct device *iommu_dev(enum dmasim_iommu mode)
{
	struct dmasim_config cfg = { .name = "dmasim0", .iommu = mode };
	struct device *dev = dmasim_device_create(&cfg);

	cr_assert_not_null(dev);
	return dev;
}

static struct kdma_iommu_fault last_fault(void)
{
	struct kdma_iommu_fault f;

	cr_assert_eq(kdma_iommu_faults_get(&f, 1), 1, "a fault was recorded");
	return f;
}

Test(iommu, map_single_gives_an_iova_below_4g_with_the_page_offset)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_STRICT);
	char *buf = kmalloc(4096, GFP_KERNEL), out[64];
	dma_addr_t h;

	strcpy(buf + 0x40, "through the IOMMU");
	h = dma_map_single(dev, buf + 0x40, 64, DMA_TO_DEVICE);
	cr_assert_neq(h, DMA_MAPPING_ERROR);
	cr_assert_neq(h, virt_to_phys(buf + 0x40), "an IOVA, not the physical address");
	cr_assert_lt(h, 1ULL << 32, "PCI devices get 32-bit IOVAs first");
	cr_assert_eq(h & 0xfff, 0x40);
	cr_assert_eq(dmasim_dma_read(dev, h, out, sizeof(out)), 0);
	cr_assert_str_eq(out, "through the IOMMU");
	dma_unmap_single(dev, h, 64, DMA_TO_DEVICE);
	cr_assert_eq(dmasim_dma_read(dev, h, out, 1), -EFAULT);
	cr_assert_eq(last_fault().kind, KDMA_IOMMU_FAULT_UNMAPPED);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(iommu, device_writes_to_a_to_device_mapping_fault)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_STRICT);
	char *buf = kmalloc(4096, GFP_KERNEL);
	dma_addr_t h = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE);
	struct kdma_iommu_fault f;

	cr_assert_eq(dmasim_dma_write(dev, h + 8, "x", 1), -EFAULT);
	f = last_fault();
	cr_assert_eq(f.kind, KDMA_IOMMU_FAULT_PERM);
	cr_assert(f.is_write);
	cr_assert_eq(f.iova, h + 8);
	cr_assert_eq(f.reason_code, 0x05);
	cr_assert_str_eq(f.reason, "PTE Write access is not set");
	cr_assert_str_eq(f.dev_name, "dmasim0");
	cr_assert_eq(kdma_iommu_fault_count(), 1);
	dma_unmap_single(dev, h, 4096, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(iommu, from_device_mappings_are_write_only_unless_configured)
{
	struct dmasim_config cfg = { .iommu = DMASIM_IOMMU_STRICT, .iommu_fromdev_rw = true };
	struct device *dev = iommu_dev(DMASIM_IOMMU_STRICT), *rw = dmasim_device_create(&cfg);
	char *buf = kmalloc(4096, GFP_KERNEL), c;
	dma_addr_t h = dma_map_single(dev, buf, 4096, DMA_FROM_DEVICE);
	dma_addr_t h2 = dma_map_single(rw, buf, 4096, DMA_FROM_DEVICE);

	cr_assert_eq(dmasim_dma_write(dev, h, "y", 1), 0);
	cr_assert_eq(dmasim_dma_read(dev, h, &c, 1), -EFAULT);
	cr_assert_eq(last_fault().reason_code, 0x06);
	cr_assert_eq(dmasim_dma_read(rw, h2, &c, 1), 0);
	cr_assert_eq(c, 'y');
	dma_unmap_single(dev, h, 4096, DMA_FROM_DEVICE);
	dma_unmap_single(rw, h2, 4096, DMA_FROM_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
	dmasim_device_destroy(rw);
}

Test(iommu, addresses_beyond_48_bits_fault_as_beyond_the_address_width)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_STRICT);
	char c;

	cr_assert_eq(dmasim_dma_read(dev, 1ULL << 50, &c, 1), -EFAULT);
	cr_assert_eq(last_fault().kind, KDMA_IOMMU_FAULT_RANGE);
	cr_assert_eq(last_fault().reason_code, 0x04);
	dmasim_device_destroy(dev);
}

Test(iommu, the_fault_ring_keeps_the_most_recent_oldest_first)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_STRICT);
	static struct kdma_iommu_fault f[KDMA_IOMMU_FAULT_RING + 10];
	size_t n;
	char c;

	for (int i = 0; i < KDMA_IOMMU_FAULT_RING + 10; i++)
		dmasim_dma_read(dev, 0x1000 * (dma_addr_t)(i + 1), &c, 1);
	cr_assert_eq(kdma_iommu_fault_count(), KDMA_IOMMU_FAULT_RING + 10);
	n = kdma_iommu_faults_get(f, KDMA_IOMMU_FAULT_RING + 10);
	cr_assert_eq(n, KDMA_IOMMU_FAULT_RING);
	cr_assert_eq(f[0].iova, 0x1000 * 11, "the ten oldest were overwritten");
	cr_assert_eq(f[n - 1].iova, 0x1000 * (KDMA_IOMMU_FAULT_RING + 10));
	cr_assert_eq(f[n - 1].seq, f[0].seq + n - 1);
	cr_assert_eq(kdma_iommu_faults_get(f, 2), 2);
	cr_assert_eq(f[1].iova, 0x1000 * (KDMA_IOMMU_FAULT_RING + 10), "a short read gets the newest");
	dmasim_device_destroy(dev);
}

/* Map, let the device use the translation (it is now in the IOTLB), unmap, touch it again. */
static int access_after_unmap(struct device *dev, char *buf, dma_addr_t *hp)
{
	char c;
	dma_addr_t h = dma_map_single(dev, buf, 4096, DMA_BIDIRECTIONAL);

	cr_assert_eq(dmasim_dma_read(dev, h, &c, 1), 0);
	dma_unmap_single(dev, h, 4096, DMA_BIDIRECTIONAL);
	*hp = h;
	return dmasim_dma_read(dev, h, &c, 1);
}

Test(iommu, strict_mode_invalidates_at_unmap)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_STRICT);
	char *buf = kmalloc(4096, GFP_KERNEL);
	u64 flushes = kdma_iotlb_flush_count(kdma_iommu_domain(dev)->iotlb);
	dma_addr_t h;

	cr_assert_null(kdma_iommu_domain(dev)->fq);
	cr_assert_eq(access_after_unmap(dev, buf, &h), -EFAULT);
	cr_assert_eq(kdma_iotlb_flush_count(kdma_iommu_domain(dev)->iotlb), flushes + 1);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(iommu, lazy_mode_keeps_the_stale_translation_until_the_flush)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_LAZY);
	char *buf = kmalloc(4096, GFP_KERNEL);
	phys_addr_t phys;
	bool stale;
	dma_addr_t h;

	buf[0] = 'z';
	cr_assert_eq(access_after_unmap(dev, buf, &h), 0, "the IOTLB still holds the entry");
	cr_assert_eq(kdma_iommu_translate(dev, h, true, &phys, &stale), 0);
	cr_assert(stale, "the translation outlived its page table entry");
	cr_assert_eq(phys, virt_to_phys(buf));
	dmasim_iommu_flush(dev);
	cr_assert_eq(kdma_iommu_translate(dev, h, false, &phys, &stale), -EFAULT);
	cr_assert_not(stale);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(iommu, lazy_mode_without_a_cached_entry_faults_at_once)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_LAZY);
	char *buf = kmalloc(4096, GFP_KERNEL), c;
	dma_addr_t h = dma_map_single(dev, buf, 4096, DMA_BIDIRECTIONAL);

	dma_unmap_single(dev, h, 4096, DMA_BIDIRECTIONAL);
	cr_assert_eq(dmasim_dma_read(dev, h, &c, 1), -EFAULT);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(iommu, lazy_iovas_are_reused_only_after_the_flush)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_LAZY);
	char *buf = kmalloc(4096, GFP_KERNEL);
	dma_addr_t h = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE), h2;

	dma_unmap_single(dev, h, 4096, DMA_TO_DEVICE);
	cr_assert_eq(kdma_fq_pending(kdma_iommu_domain(dev)->fq), 1);
	h2 = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE);
	cr_assert_neq(h2, h, "the queued IOVA is still reserved");
	dmasim_iommu_flush(dev);
	cr_assert_eq(kdma_fq_pending(kdma_iommu_domain(dev)->fq), 0);
	dma_unmap_single(dev, h2, 4096, DMA_TO_DEVICE);
	h2 = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE);
	cr_assert_eq(h2, h, "freed by the flush, the IOVA comes back from the per-CPU cache");
	dma_unmap_single(dev, h2, 4096, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(iommu, a_full_flush_queue_flushes_by_itself)
{
	struct device *dev;
	char *buf = kmalloc(4096, GFP_KERNEL), c;
	dma_addr_t h[5];

	setenv("KDMA_OPTIONS", "iommu_fq_timeout_ms=0:iommu_fq_size=4:quiet=1", 1);
	kdma_options_reload();
	dev = iommu_dev(DMASIM_IOMMU_LAZY);
	for (int i = 0; i < 4; i++) {
		h[i] = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE);
		cr_assert_eq(dmasim_dma_read(dev, h[i], &c, 1), 0);
	}
	/* all CPUs may have queued on one ring; unmap until some ring fills */
	for (int i = 0; i < 4; i++)
		dma_unmap_single(dev, h[i], 4096, DMA_TO_DEVICE);
	for (int i = 0; i < 16; i++) {
		h[4] = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE);
		dma_unmap_single(dev, h[4], 4096, DMA_TO_DEVICE);
	}
	cr_assert_eq(dmasim_dma_read(dev, h[0], &c, 1), -EFAULT, "a full ring flushed the IOTLB");
	kfree(buf);
	dmasim_device_destroy(dev);
}

Test(iommu, forced_strict_option_overrides_lazy)
{
	struct device *dev;
	char *buf = kmalloc(4096, GFP_KERNEL);
	dma_addr_t h;

	setenv("KDMA_OPTIONS", "iommu_strict=1:quiet=1", 1);
	kdma_options_reload();
	dev = iommu_dev(DMASIM_IOMMU_LAZY);
	cr_assert_eq(access_after_unmap(dev, buf, &h), -EFAULT);
	kfree(buf);
	dmasim_device_destroy(dev);
}

/* ------------------------------------------------------------------ scatterlists ---- */

struct sg_fixture {
	struct device *dev;
	struct scatterlist sg[4];
	void *pages[4];
};

static void sg_fixture_init(struct sg_fixture *f, const unsigned int *lens,
			    const unsigned int *offs, int n)
{
	f->dev = iommu_dev(DMASIM_IOMMU_STRICT);
	sg_init_table(f->sg, (unsigned int)n);
	for (int i = 0; i < n; i++) {
		f->pages[i] = page_address(alloc_pages(GFP_KERNEL, 1));
		memset(f->pages[i], 'a' + i, 8192);
		sg_set_buf(&f->sg[i], (char *)f->pages[i] + offs[i], lens[i]);
	}
}

static void sg_fixture_fini(struct sg_fixture *f, int n)
{
	for (int i = 0; i < n; i++)
		free_pages((unsigned long)f->pages[i], 1);
	dmasim_device_destroy(f->dev);
}

Test(iommu, aligned_pages_merge_into_one_segment)
{
	static const unsigned int lens[4] = { 4096, 4096, 4096, 4096 }, offs[4] = { 0 };
	struct sg_fixture f;
	char out[4 * 4096];
	int n;

	sg_fixture_init(&f, lens, offs, 4);
	n = dma_map_sg(f.dev, f.sg, 4, DMA_TO_DEVICE);
	cr_assert_eq(n, 1);
	cr_assert_eq(sg_dma_len(&f.sg[0]), 4 * 4096);
	for (int i = 1; i < 4; i++) {
		cr_assert_eq(sg_dma_address(&f.sg[i]), DMA_MAPPING_ERROR, "unused tail entry %d", i);
		cr_assert_eq(sg_dma_len(&f.sg[i]), 0);
	}
	cr_assert_eq(f.sg[2].length, 4096, "the CPU view is restored");
	cr_assert_eq(dmasim_dma_read(f.dev, sg_dma_address(&f.sg[0]), out, sizeof(out)), 0);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(out[i * 4096 + 17], 'a' + i, "page %d behind the merged segment", i);
	dma_unmap_sg(f.dev, f.sg, 4, DMA_TO_DEVICE);
	cr_assert_eq(dmasim_dma_read(f.dev, sg_dma_address(&f.sg[0]) + 3 * 4096, out, 1), -EFAULT);
	sg_fixture_fini(&f, 4);
}

Test(iommu, an_unaligned_element_starts_and_ends_a_segment)
{
	static const unsigned int lens[3] = { 4096, 0x200, 4096 }, offs[3] = { 0, 0x100, 0 };
	struct sg_fixture f;
	char c;

	sg_fixture_init(&f, lens, offs, 3);
	cr_assert_eq(dma_map_sg(f.dev, f.sg, 3, DMA_TO_DEVICE), 3);
	cr_assert_eq(sg_dma_address(&f.sg[1]), sg_dma_address(&f.sg[0]) + 4096 + 0x100);
	cr_assert_eq(sg_dma_len(&f.sg[1]), 0x200);
	cr_assert_eq(sg_dma_address(&f.sg[2]), sg_dma_address(&f.sg[0]) + 2 * 4096);
	cr_assert_eq(dmasim_dma_read(f.dev, sg_dma_address(&f.sg[1]), &c, 1), 0);
	cr_assert_eq(c, 'b');
	dma_unmap_sg(f.dev, f.sg, 3, DMA_TO_DEVICE);
	sg_fixture_fini(&f, 3);
}

Test(iommu, max_segment_size_limits_merging)
{
	static const unsigned int lens[4] = { 4096, 4096, 4096, 4096 }, offs[4] = { 0 };
	struct sg_fixture f;

	sg_fixture_init(&f, lens, offs, 4);
	cr_assert_eq(dma_set_max_seg_size(f.dev, 8192), 0);
	cr_assert_eq(dma_map_sg(f.dev, f.sg, 4, DMA_TO_DEVICE), 2);
	cr_assert_eq(sg_dma_len(&f.sg[0]), 8192);
	cr_assert_eq(sg_dma_address(&f.sg[1]), sg_dma_address(&f.sg[0]) + 8192);
	cr_assert_eq(sg_dma_len(&f.sg[2]), 0);
	dma_unmap_sg(f.dev, f.sg, 4, DMA_TO_DEVICE);
	sg_fixture_fini(&f, 4);
}

Test(iommu, segment_boundary_pads_and_splits)
{
	static const unsigned int lens[2] = { 4096, 8192 }, offs[2] = { 0 };
	struct sg_fixture f;
	dma_addr_t base;
	char c;

	sg_fixture_init(&f, lens, offs, 2);
	cr_assert_eq(dma_set_seg_boundary(f.dev, 0x1fff), 0);
	cr_assert_eq(dma_map_sg(f.dev, f.sg, 2, DMA_TO_DEVICE), 2);
	base = sg_dma_address(&f.sg[0]);
	cr_assert_eq(base & 0x3fff, 0, "the 16 KiB range (with padding) is size-aligned");
	cr_assert_eq(sg_dma_address(&f.sg[1]), base + 0x2000, "8 KiB element starts on a boundary");
	cr_assert_eq(sg_dma_len(&f.sg[1]), 8192);
	cr_assert_eq(dmasim_dma_read(f.dev, base + 0x1000, &c, 1), -EFAULT, "padding maps nothing");
	dma_unmap_sg(f.dev, f.sg, 2, DMA_TO_DEVICE);
	cr_assert_eq(dmasim_dma_read(f.dev, base + 0x2000, &c, 1), -EFAULT);
	sg_fixture_fini(&f, 2);
}

Test(iommu, untrusted_devices_map_lists_element_by_element)
{
	struct dmasim_config cfg = { .iommu = DMASIM_IOMMU_STRICT, .untrusted = true };
	static const unsigned int lens[3] = { 4096, 4096, 100 }, offs[3] = { 0, 0, 8 };
	struct sg_fixture f;
	char c;

	sg_fixture_init(&f, lens, offs, 3);
	dmasim_device_destroy(f.dev);
	f.dev = dmasim_device_create(&cfg);
	cr_assert_eq(dma_map_sg(f.dev, f.sg, 3, DMA_TO_DEVICE), 3, "no merging when bouncing");
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(sg_dma_len(&f.sg[i]), lens[i]);
		cr_assert_eq(dmasim_dma_read(f.dev, sg_dma_address(&f.sg[i]), &c, 1), 0);
		cr_assert_eq(c, 'a' + i);
	}
	dma_unmap_sg(f.dev, f.sg, 3, DMA_TO_DEVICE);
	cr_assert_eq(dmasim_dma_read(f.dev, sg_dma_address(&f.sg[0]), &c, 1), -EFAULT);
	sg_fixture_fini(&f, 3);
}

/* ------------------------------------------------------- allocations and resources ---- */

Test(iommu, coherent_allocation_is_reachable_through_its_iova)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_STRICT);
	dma_addr_t h;
	char *cpu = dma_alloc_coherent(dev, 3 * 4096, &h, GFP_KERNEL);

	cr_assert_not_null(cpu);
	cr_assert_neq(h, virt_to_phys(cpu));
	cr_assert_eq(cpu[5000], 0, "zeroed");
	cr_assert_eq(dmasim_dma_write(dev, h + 5000, "q", 1), 0);
	cr_assert_eq(cpu[5000], 'q');
	dma_free_coherent(dev, 3 * 4096, cpu, h);
	cr_assert_eq(dmasim_dma_write(dev, h, "q", 1), -EFAULT);
	dmasim_device_destroy(dev);
}

Test(iommu, noncontiguous_allocation_is_one_iova_range)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_STRICT);
	size_t size = (2u << 20) + 2 * 4096; /* one 2 MiB block, then single pages */
	struct sg_table *sgt = dma_alloc_noncontiguous(dev, size, DMA_BIDIRECTIONAL, GFP_KERNEL, 0);
	struct scatterlist *last;

	cr_assert_not_null(sgt);
	cr_assert_eq(sg_dma_len(sgt->sgl), size);
	last = sg_last(sgt->sgl, sgt->orig_nents);
	cr_assert_eq(dmasim_dma_write(dev, sg_dma_address(sgt->sgl) + size - 1, "e", 1), 0);
	cr_assert_eq(((char *)sg_virt(last))[last->length - 1], 'e');
	dma_free_noncontiguous(dev, size, sgt, DMA_BIDIRECTIONAL);
	dmasim_device_destroy(dev);
}

Test(iommu, limits)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_STRICT);

	cr_assert_eq(dma_get_merge_boundary(dev), 4095);
	cr_assert_eq(dma_opt_mapping_size(dev), 128 * 1024);
	cr_assert_eq(dma_max_mapping_size(dev), SIZE_MAX);
	dmasim_device_destroy(dev);
}

Test(iommu, resources_map_with_mmio_and_switch_to_64_bit_when_4g_is_full)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_STRICT);
	phys_addr_t bar = 0x100000000000ULL; /* never touched: an MMIO window */
	dma_addr_t a, b, c;

	cr_assert_eq(dma_set_mask(dev, DMA_BIT_MASK(64)), 0);
	a = dma_map_resource(dev, bar, 1u << 31, DMA_BIDIRECTIONAL, 0);
	cr_assert_eq(a, 1ULL << 31, "top-down, size-aligned, below 4 GiB");
	b = dma_map_resource(dev, bar, 1u << 31, DMA_BIDIRECTIONAL, 0);
	cr_assert_neq(b, DMA_MAPPING_ERROR);
	cr_assert_geq(b, 1ULL << 32, "the 32-bit space is full: 64-bit IOVAs from now on");
	c = dma_map_resource(dev, bar, 4096, DMA_TO_DEVICE, 0);
	cr_assert_geq(c, 1ULL << 32, "the switch to 64-bit is permanent");
	dma_unmap_resource(dev, a, 1u << 31, DMA_BIDIRECTIONAL, 0);
	dma_unmap_resource(dev, b, 1u << 31, DMA_BIDIRECTIONAL, 0);
	dma_unmap_resource(dev, c, 4096, DMA_TO_DEVICE, 0);
	dmasim_device_destroy(dev);
}

Test(iommu, a_32_bit_device_runs_out_of_iova_space)
{
	struct device *dev = iommu_dev(DMASIM_IOMMU_STRICT);
	phys_addr_t bar = 0x100000000000ULL;
	dma_addr_t a = dma_map_resource(dev, bar, 1u << 31, DMA_BIDIRECTIONAL, 0);

	cr_assert_neq(a, DMA_MAPPING_ERROR);
	cr_assert_eq(dma_map_resource(dev, bar, 1u << 31, DMA_BIDIRECTIONAL, 0), DMA_MAPPING_ERROR);
	dma_unmap_resource(dev, a, 1u << 31, DMA_BIDIRECTIONAL, 0);
	dmasim_device_destroy(dev);
}

Test(iommu, untrusted_devices_bounce_unaligned_buffers_and_see_zero_padding)
{
	struct dmasim_config cfg = { .iommu = DMASIM_IOMMU_STRICT, .untrusted = true };
	struct device *dev = dmasim_device_create(&cfg);
	char *buf = kmalloc(4096, GFP_KERNEL), page[4096];
	phys_addr_t phys;
	bool stale;
	dma_addr_t h;

	memset(buf, 's', 4096);
	h = dma_map_single(dev, buf + 100, 200, DMA_TO_DEVICE);
	cr_assert_neq(h, DMA_MAPPING_ERROR);
	cr_assert_eq(kdma_iommu_translate(dev, h, false, &phys, &stale), 0);
	cr_assert_neq(phys, virt_to_phys(buf + 100), "the device sees a bounce slot");
	cr_assert_eq(dmasim_dma_read(dev, h & ~0xfffULL, page, 4096), 0);
	for (size_t i = 0; i < 4096; i++) {
		bool inside = i >= (h & 0xfff) && i < (h & 0xfff) + 200;

		cr_assert_eq(page[i], inside ? 's' : 0, "byte %zu of the granule", i);
	}
	dma_unmap_single(dev, h, 200, DMA_TO_DEVICE);
	kfree(buf);
	dmasim_device_destroy(dev);
}

/* ------------------------------------------------------------------- concurrency ---- */

struct mapper {
	struct device *dev;
	int errors;
};

static void *mapper_run(void *arg)
{
	struct mapper *m = arg;
	char *buf = kmalloc(8192, GFP_KERNEL), out[16];

	for (int i = 0; i < 3000; i++) {
		size_t len = 16 + (size_t)(i % 7) * 1000;
		dma_addr_t h;

		snprintf(buf, 16, "%p", (void *)m);
		h = dma_map_single(m->dev, buf, len, DMA_TO_DEVICE);
		if (h == DMA_MAPPING_ERROR || dmasim_dma_read(m->dev, h, out, 16) ||
		    strcmp(out, buf))
			m->errors++;
		dma_unmap_single(m->dev, h, len, DMA_TO_DEVICE);
	}
	kfree(buf);
	return NULL;
}

static void two_threads(enum dmasim_iommu mode)
{
	struct mapper m[2] = { { iommu_dev(mode), 0 } };
	pthread_t t[2];

	m[1].dev = m[0].dev;
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, mapper_run, &m[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	cr_assert_eq(m[0].errors + m[1].errors, 0);
	cr_assert_eq(kdma_iommu_fault_count(), 0);
	dmasim_device_destroy(m[0].dev);
}

Test(iommu, two_threads_strict)
{
	two_threads(DMASIM_IOMMU_STRICT);
}

Test(iommu, two_threads_lazy)
{
	two_threads(DMASIM_IOMMU_LAZY);
}
