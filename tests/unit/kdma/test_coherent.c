// SPDX-License-Identifier: MIT
/* Per-device and global coherent memory (src/kdma/dma/coherent.c): bitmap allocation of naturally
 * aligned 2^order-page blocks, exhaustion with no fallback, one region per device, zeroing,
 * release. */
#include <errno.h>

#include <linux/dma-map-ops.h>
#include <linux/mm.h>

#include "pools_testlib.h"

#define REGION_PAGES 16
#define DEV_BASE 0x80000000ULL

static struct device *dev;
static struct page *region;
static char *base;

static void setup(void)
{
	dev = tl_device("cohtest");
	region = kdma_alloc_pages(GFP_KERNEL, 4);
	cr_assert_not_null(region);
	base = page_address(region);
	cr_assert_eq(dma_declare_coherent_memory(dev, page_to_phys(region), DEV_BASE,
						 REGION_PAGES * PAGE_SIZE), 0);
}

static void teardown(void)
{
	dmasim_device_destroy(dev);
	kdma_free_pages(region, 4);
}

TestSuite(coherent, .init = setup, .fini = teardown);

/* Allocate `size` bytes; expects the device to have a region. Returns the page index or -1. */
static long alloc_page_index(size_t size, dma_addr_t *handle)
{
	void *cpu = (void *)1;

	cr_assert(dma_alloc_from_dev_coherent(dev, (ssize_t)size, handle, &cpu),
		  "a device with a region always answers from it");
	if (!cpu)
		return -1;
	cr_expect_eq(*handle - DEV_BASE, (dma_addr_t)((char *)cpu - base), "handle = base + offset");
	return ((char *)cpu - base) / (long)PAGE_SIZE;
}

Test(coherent, naturally_aligned_first_fit_order)
{
	dma_addr_t h;

	cr_expect_eq(alloc_page_index(100, &h), 0);
	cr_expect_eq(h, DEV_BASE);
	cr_expect_eq(alloc_page_index(2 * PAGE_SIZE, &h), 2, "order 1 skips the odd page 1");
	cr_expect_eq(alloc_page_index(PAGE_SIZE, &h), 1, "page 1 is reused by an order-0 block");
	cr_expect_eq(alloc_page_index(3 * PAGE_SIZE, &h), 4, "3 pages take an order-2 block");
	cr_expect_eq(alloc_page_index(5 * PAGE_SIZE, &h), 8, "order 3 at page 8");
	cr_expect_eq(alloc_page_index(1, &h), -1, "full: NULL, no fallback");
}

Test(coherent, exhaustion_and_release)
{
	dma_addr_t h;
	void *cpu;

	for (long i = 0; i < REGION_PAGES; i++)
		cr_expect_eq(alloc_page_index(PAGE_SIZE, &h), i);
	cr_expect_eq(alloc_page_index(PAGE_SIZE, &h), -1);
	cr_expect(dma_release_from_dev_coherent(dev, 0, base + 5 * PAGE_SIZE));
	cr_expect_eq(alloc_page_index(PAGE_SIZE, &h), 5);
	cr_expect(dma_release_from_dev_coherent(dev, 0, base + 6 * PAGE_SIZE));
	cr_expect_eq(alloc_page_index(2 * PAGE_SIZE, &h), -1, "no aligned pair free");
	cr_expect_not(dma_release_from_dev_coherent(dev, 0, &h), "not in the region");
	cr_expect(dma_alloc_from_dev_coherent(dev, (REGION_PAGES + 1) * PAGE_SIZE, &h, &cpu));
	cr_expect_null(cpu, "larger than the region");
}

Test(coherent, memory_is_zeroed)
{
	dma_addr_t h;
	long i = alloc_page_index(PAGE_SIZE, &h);
	char *p = base + i * PAGE_SIZE;

	memset(p, 0xee, PAGE_SIZE);
	dma_release_from_dev_coherent(dev, 0, p);
	cr_expect_eq(alloc_page_index(PAGE_SIZE, &h), i);
	for (size_t k = 0; k < PAGE_SIZE; k++)
		cr_assert_eq(p[k], 0, "byte %zu", k);
}

Test(coherent, one_region_per_device)
{
	struct page *other = kdma_alloc_pages(GFP_KERNEL, 0);
	dma_addr_t h;
	void *cpu;

	cr_expect_eq(dma_declare_coherent_memory(dev, page_to_phys(other), 0, PAGE_SIZE), -EBUSY);
	dma_release_coherent_memory(dev);
	cr_expect_null(dev->dma_mem);
	cr_expect_not(dma_alloc_from_dev_coherent(dev, PAGE_SIZE, &h, &cpu), "released");
	cr_expect_eq(dma_declare_coherent_memory(dev, page_to_phys(other), 0, PAGE_SIZE), 0);
	cr_expect_eq(dma_declare_coherent_memory(dev, page_to_phys(other), 0, PAGE_SIZE), -EBUSY);
	dma_release_coherent_memory(dev);
	cr_expect_eq(dma_declare_coherent_memory(dev, page_to_phys(other), 0, 0), -EINVAL);
	kdma_free_pages(other, 0);
}

Test(coherent, reserved_region_below_4g)
{
	struct device *d2 = tl_device("reserved");
	dma_addr_t h;
	void *cpu;

	cr_assert_eq(kdma_dev_reserve_coherent(d2, 64 << 10), 0);
	cr_expect_eq(kdma_dev_reserve_coherent(d2, 64 << 10), -EBUSY);
	cr_assert(dma_alloc_from_dev_coherent(d2, 8192, &h, &cpu));
	cr_assert_not_null(cpu);
	cr_expect_lt(h + 8192, 1ULL << 32);
	cr_expect_eq(h, kdma_phys_to_dma(d2, kdma_virt_to_phys(cpu)));
	cr_expect(dma_release_from_dev_coherent(d2, get_order(8192), cpu));
	dmasim_device_destroy(d2); /* frees the region (kdma_release_dev_coherent) */
}

Test(coherent, global_pool)
{
	dma_addr_t h1, h2;
	void *a, *b;

	setenv("KDMA_OPTIONS", "global_coherent_size=32K", 1);
	kdma_options_reload();
	a = dma_alloc_from_global_coherent(dev, PAGE_SIZE, &h1);
	b = dma_alloc_from_global_coherent(dev, 2 * PAGE_SIZE, &h2);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_expect_eq((char *)b - (char *)a, 2 * PAGE_SIZE, "order-1 block after the order-0 one");
	cr_expect_eq(h1, kdma_phys_to_dma(dev, kdma_virt_to_phys(a)));
	cr_expect_null(dma_alloc_from_global_coherent(dev, 64 << 10, &h1), "larger than the pool");
	cr_expect(dma_release_from_global_coherent(0, a));
	cr_expect(dma_release_from_global_coherent(1, b));
	cr_expect_not(dma_release_from_global_coherent(0, base));
}

Test(coherent, no_global_pool_by_default)
{
	dma_addr_t h;

	unsetenv("KDMA_OPTIONS");
	kdma_options_reload();

	cr_expect_null(dma_alloc_from_global_coherent(dev, PAGE_SIZE, &h));
	cr_expect_not(dma_release_from_global_coherent(0, base));
}

/* Through the API: a device created with a reserved region allocates only from it. */
Test(coherent, dma_alloc_coherent_uses_the_reserved_region_only)
{
	struct dmasim_config cfg = { .name = "shared-dma-pool", .coherent = true,
				     .reserved_mem_size = 64 << 10 };
	struct device *d = dmasim_device_create(&cfg);
	void *bufs[4];
	dma_addr_t h[4], hx;

	cr_assert_not_null(d);
	cr_assert_not_null(d->dma_mem);
	for (int i = 0; i < 4; i++) {
		bufs[i] = dma_alloc_coherent(d, 16 << 10, &h[i], GFP_KERNEL);
		cr_assert_not_null(bufs[i], "block %d", i);
		cr_expect_eq(h[i] - h[0], (dma_addr_t)i * (16 << 10));
	}
	cr_expect_null(dma_alloc_coherent(d, PAGE_SIZE, &hx, GFP_KERNEL), "full: no fallback");
	dma_free_coherent(d, 16 << 10, bufs[2], h[2]);
	cr_expect_eq(dma_alloc_coherent(d, PAGE_SIZE, &hx, GFP_KERNEL), bufs[2]);
	dma_free_coherent(d, PAGE_SIZE, bufs[2], hx);
	for (int i = 0; i < 4; i++)
		if (i != 2)
			dma_free_coherent(d, 16 << 10, bufs[i], h[i]);
	dmasim_device_destroy(d);
}

/* The region is placed where the device reaches it, or the device is refused (kernel check). */
Test(coherent, reserved_region_fits_the_coherent_mask)
{
	struct dmasim_config cfg = { .name = "mask24", .coherent = true,
				     .dma_mask = DMA_BIT_MASK(24),
				     .coherent_dma_mask = DMA_BIT_MASK(24),
				     .reserved_mem_size = 64 << 10 };
	struct tl_capture cap;
	struct device *d;
	dma_addr_t h;
	char *out;
	void *a;

	tl_capture_begin(&cap);
	d = dmasim_device_create(&cfg);
	out = tl_capture_end(&cap);
	if (!d) { /* no memory below 16 MiB in this process (e.g. valgrind) */
		cr_expect(strstr(out, "reserved memory is beyond device's set DMA address range"),
			  "%s", out);
	} else {
		a = dma_alloc_coherent(d, 64 << 10, &h, GFP_KERNEL);
		cr_assert_not_null(a);
		cr_expect_leq(h + (64 << 10) - 1, DMA_BIT_MASK(24));
		dma_free_coherent(d, 64 << 10, a, h);
		dmasim_device_destroy(d);
	}
	free(out);
}
