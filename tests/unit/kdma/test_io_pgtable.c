// SPDX-License-Identifier: MIT
/* IO page tables (src/kdma/iommu/io_pgtable.c) and the permissions dma-iommu derives from a mapping's
 * direction (kdma_iommu_prot). */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>

#include "kdma/iommu/iommu_priv.h"

#define PG IO_PGTABLE_PAGE_SIZE

Test(io_pgtable, map_lookup_unmap)
{
	struct io_pgtable *pt = io_pgtable_alloc();

	cr_assert_eq(io_pgtable_map_pages(pt, 0x10000, 0x7f0000000000ULL, 3, IOMMU_READ), 0);
	cr_assert_eq(io_pgtable_mapped_pages(pt), 3);
	cr_assert_eq(io_pgtable_iova_to_phys(pt, 0x10000 + PG + 0x123), 0x7f0000001123ULL);
	cr_assert_eq(io_pte_prot(io_pgtable_lookup(pt, 0x12000)), IOMMU_READ);
	cr_assert_eq(io_pgtable_lookup(pt, 0x13000), 0, "one past the end is not mapped");
	cr_assert_eq(io_pgtable_unmap_pages(pt, 0x10000, 3), 3 * PG);
	cr_assert_eq(io_pgtable_iova_to_phys(pt, 0x10000), 0);
	cr_assert_eq(io_pgtable_mapped_pages(pt), 0);
	io_pgtable_free(pt);
}

Test(io_pgtable, mapping_over_a_mapping_fails_and_leaves_nothing_behind)
{
	struct io_pgtable *pt = io_pgtable_alloc();

	cr_assert_eq(io_pgtable_map_pages(pt, 0x5000, 0x100000, 1, IOMMU_READ), 0);
	cr_assert_eq(io_pgtable_map_pages(pt, 0x3000, 0x200000, 4, IOMMU_WRITE), -EEXIST);
	cr_assert_eq(io_pgtable_lookup(pt, 0x3000), 0, "the partial map was undone");
	cr_assert_eq(io_pgtable_iova_to_phys(pt, 0x5000), 0x100000, "the old mapping is intact");
	cr_assert_eq(io_pgtable_mapped_pages(pt), 1);
	io_pgtable_free(pt);
}

Test(io_pgtable, unmap_stops_at_a_hole)
{
	struct io_pgtable *pt = io_pgtable_alloc();

	io_pgtable_map_pages(pt, 0x1000, 0x100000, 2, IOMMU_READ);
	io_pgtable_map_pages(pt, 0x4000, 0x200000, 1, IOMMU_READ);
	cr_assert_eq(io_pgtable_unmap_pages(pt, 0x1000, 4), 2 * PG);
	cr_assert_neq(io_pgtable_lookup(pt, 0x4000), 0);
	io_pgtable_free(pt);
}

Test(io_pgtable, the_48_bit_space_and_alignment_are_enforced)
{
	struct io_pgtable *pt = io_pgtable_alloc();

	cr_assert_eq(io_pgtable_map_pages(pt, 1ULL << 48, 0x1000, 1, IOMMU_READ), -ERANGE);
	cr_assert_eq(io_pgtable_map_pages(pt, (1ULL << 48) - PG, 0x1000, 2, IOMMU_READ), -ERANGE);
	cr_assert_eq(io_pgtable_map_pages(pt, (1ULL << 48) - PG, 0x1000, 1, IOMMU_READ), 0);
	cr_assert_eq(io_pgtable_map_pages(pt, 0x1001, 0x1000, 1, IOMMU_READ), -EINVAL);
	cr_assert_eq(io_pgtable_map_pages(pt, 0x1000, 0x1800, 1, IOMMU_READ), -EINVAL);
	cr_assert_eq(io_pgtable_lookup(pt, 1ULL << 48), 0);
	io_pgtable_free(pt);
}

/* A device as device.c would set it up, without the rest of the library. */
static struct device *fake_dev(bool fromdev_rw, bool coherent)
{
	static struct device dev;
	static struct kdma_dev kd;

	memset(&dev, 0, sizeof(dev));
	memset(&kd, 0, sizeof(kd));
	kd.dev = &dev;
	kd.iommu_fromdev_rw = fromdev_rw;
	dev.kdma = &kd;
	dev.dma_coherent = coherent;
	return &dev;
}

Test(io_pgtable, permissions_follow_the_direction)
{
	struct device *dev = fake_dev(false, false);

	cr_assert_eq(kdma_iommu_prot(dev, DMA_TO_DEVICE, 0), IOMMU_READ);
	cr_assert_eq(kdma_iommu_prot(dev, DMA_FROM_DEVICE, 0), IOMMU_WRITE);
	cr_assert_eq(kdma_iommu_prot(dev, DMA_BIDIRECTIONAL, 0), IOMMU_READ | IOMMU_WRITE);
	cr_assert_eq(kdma_iommu_prot(dev, DMA_NONE, 0), 0);
	cr_assert_eq(kdma_iommu_prot(dev, DMA_TO_DEVICE, DMA_ATTR_PRIVILEGED),
		     IOMMU_READ | IOMMU_PRIV);
	dev = fake_dev(true, true);
	cr_assert_eq(kdma_iommu_prot(dev, DMA_FROM_DEVICE, 0),
		     IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE, "iommu_fromdev_rw, coherent");
	cr_assert_eq(kdma_iommu_prot(dev, DMA_TO_DEVICE, DMA_ATTR_MMIO),
		     IOMMU_READ | IOMMU_CACHE | IOMMU_MMIO);
}

struct mapper {
	struct io_pgtable *pt;
	unsigned long base;
	int errors;
};

static void *mapper_run(void *arg)
{
	struct mapper *m = arg;

	for (int round = 0; round < 50; round++) {
		for (unsigned long i = 0; i < 256; i++)
			if (io_pgtable_map_pages(m->pt, m->base + i * 2 * PG, 0x100000 + i * PG, 1,
						 IOMMU_READ))
				m->errors++;
		for (unsigned long i = 0; i < 256; i++)
			if (io_pgtable_unmap_pages(m->pt, m->base + i * 2 * PG, 1) != PG)
				m->errors++;
	}
	return NULL;
}

Test(io_pgtable, concurrent_disjoint_maps_share_tables)
{
	struct io_pgtable *pt = io_pgtable_alloc();
	struct mapper m[2] = { { pt, 0x40000000, 0 }, { pt, 0x40000000 + PG, 0 } };
	pthread_t t[2];

	/* interleaved pages: both threads install entries in the same leaf tables */
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, mapper_run, &m[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	cr_assert_eq(m[0].errors + m[1].errors, 0);
	cr_assert_eq(io_pgtable_mapped_pages(pt), 0);
	io_pgtable_free(pt);
}
