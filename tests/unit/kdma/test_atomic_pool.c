// SPDX-License-Identifier: MIT
/* Atomic coherent pools (src/kdma/dma/pool.c): GFP_ATOMIC coherent allocations of non-coherent
 * devices come from them, the pool is chosen by the zone the mask needs, they grow on demand
 * (tested through the synchronous kdma_atomic_pool_expand_now, never the worker's timing). */
#include <linux/mm.h>

#include "pools_testlib.h"

static struct kdma_atomic_pool_stats pstats(enum kdma_atomic_pool_id id)
{
	struct kdma_atomic_pool_stats st;

	kdma_atomic_pool_stats(id, &st);
	return st;
}

/* Bytes in use: unlike avail, not changed by a background expansion running meanwhile. */
static size_t used(enum kdma_atomic_pool_id id)
{
	struct kdma_atomic_pool_stats st = pstats(id);

	return st.size - st.avail;
}

static struct device *noncoherent_device(const char *name, u64 mask)
{
	struct dmasim_config cfg = { .name = name, .dma_mask = mask, .coherent_dma_mask = mask };
	struct device *dev = dmasim_device_create(&cfg);

	cr_assert_not_null(dev);
	return dev;
}

Test(atomic_pool, default_size_rule)
{
	unsetenv("KDMA_OPTIONS");
	kdma_options_reload();
	struct kdma_atomic_pool_stats st = pstats(KDMA_ATOMIC_POOL_KERNEL);
	size_t per_gib = (size_t)sysconf(_SC_PHYS_PAGES) / ((1UL << 30) / (128UL << 10));
	size_t expect = per_gib > MAX_ORDER_NR_PAGES ? MAX_ORDER_NR_PAGES : per_gib;

	expect <<= PAGE_SHIFT;
	if (expect < (128UL << 10))
		expect = 128UL << 10;
	cr_assert(st.present);
	cr_expect_eq(st.target, expect, "128 KiB per GiB of RAM, at least 128 KiB");
	cr_expect_eq(st.size, PAGE_SIZE << get_order(expect), "one chunk of the rounded order");
	cr_expect(pstats(KDMA_ATOMIC_POOL_DMA32).present);
}

Test(atomic_pool, size_option)
{
	setenv("KDMA_OPTIONS", "atomic_pool_size=256K", 1);
	kdma_options_reload();
	for (int id = 0; id < KDMA_ATOMIC_POOL__COUNT; id++) {
		struct kdma_atomic_pool_stats st = pstats(id);

		if (st.present)
			cr_expect_eq(st.size, 256 << 10, "pool %d", id);
	}
}

Test(atomic_pool, gfp_atomic_served_from_pool)
{
	struct device *dev = noncoherent_device("atomic", DMA_BIT_MASK(64));
	struct kdma_atomic_pool_stats before = pstats(KDMA_ATOMIC_POOL_KERNEL);
	size_t used_before = used(KDMA_ATOMIC_POOL_KERNEL);
	dma_addr_t h;
	void *a = dma_direct_alloc(dev, 3 * PAGE_SIZE, &h, GFP_ATOMIC, 0);
	struct kdma_atomic_pool_stats after = pstats(KDMA_ATOMIC_POOL_KERNEL);

	cr_assert_not_null(a);
	cr_expect_eq(after.nr_allocs, before.nr_allocs + 1);
	cr_expect_eq(used(KDMA_ATOMIC_POOL_KERNEL) - used_before, 3 * PAGE_SIZE);
	cr_expect(tl_all_bytes(a, 0, 3 * PAGE_SIZE));
	cr_expect_eq(h, kdma_phys_to_dma(dev, kdma_virt_to_phys(a)));
	dma_direct_free(dev, 3 * PAGE_SIZE, a, h, 0);
	cr_expect_eq(used(KDMA_ATOMIC_POOL_KERNEL), used_before, "freed back to the pool");

	a = dma_direct_alloc(dev, PAGE_SIZE, &h, GFP_KERNEL, 0);
	cr_assert_not_null(a);
	cr_expect_eq(pstats(KDMA_ATOMIC_POOL_KERNEL).nr_allocs, before.nr_allocs + 1,
		     "a blocking allocation does not use the pool");
	dma_direct_free(dev, PAGE_SIZE, a, h, 0);
	dmasim_device_destroy(dev);
}

Test(atomic_pool, dma_alloc_coherent_gfp_atomic)
{
	struct device *dev = noncoherent_device("api", DMA_BIT_MASK(64));
	u64 allocs = pstats(KDMA_ATOMIC_POOL_KERNEL).nr_allocs;
	dma_addr_t h;
	void *a = dma_alloc_coherent(dev, 2 * PAGE_SIZE, &h, GFP_ATOMIC);

	cr_assert_not_null(a);
	cr_expect_eq(pstats(KDMA_ATOMIC_POOL_KERNEL).nr_allocs, allocs + 1);
	dma_free_coherent(dev, 2 * PAGE_SIZE, a, h);
	dmasim_device_destroy(dev);
}

Test(atomic_pool, coherent_device_does_not_use_pool)
{
	struct device *dev = tl_device("coherent");
	u64 allocs = pstats(KDMA_ATOMIC_POOL_KERNEL).nr_allocs;
	dma_addr_t h;
	void *a = dma_direct_alloc(dev, PAGE_SIZE, &h, GFP_ATOMIC, 0);

	cr_assert_not_null(a);
	cr_expect_eq(pstats(KDMA_ATOMIC_POOL_KERNEL).nr_allocs, allocs);
	dma_direct_free(dev, PAGE_SIZE, a, h, 0);
	dmasim_device_destroy(dev);
}

/* The zone flag picks the first pool tried (dma_guess_pool). */
Test(atomic_pool, pool_chosen_by_gfp_zone)
{
	struct device *d32 = noncoherent_device("mask32", DMA_BIT_MASK(32));
	struct device *d24 = noncoherent_device("mask24", DMA_BIT_MASK(24));
	u64 n32 = pstats(KDMA_ATOMIC_POOL_DMA32).nr_allocs;
	void *cpu = NULL;

	cr_assert_not_null(dma_alloc_from_pool(d32, PAGE_SIZE, &cpu, GFP_ATOMIC | GFP_DMA32,
					       kdma_dma_coherent_ok));
	cr_expect_eq(pstats(KDMA_ATOMIC_POOL_DMA32).nr_allocs, n32 + 1);
	cr_expect_lt(kdma_virt_to_phys(cpu), 1ULL << 32);
	cr_expect(dma_free_from_pool(d32, cpu, PAGE_SIZE));

	if (pstats(KDMA_ATOMIC_POOL_DMA).present) {
		u64 n24 = pstats(KDMA_ATOMIC_POOL_DMA).nr_allocs;

		cr_assert_not_null(dma_alloc_from_pool(d24, PAGE_SIZE, &cpu, GFP_ATOMIC | GFP_DMA,
						       kdma_dma_coherent_ok));
		cr_expect_eq(pstats(KDMA_ATOMIC_POOL_DMA).nr_allocs, n24 + 1);
		cr_expect_lt(kdma_virt_to_phys(cpu), 1ULL << 24);
		cr_expect(dma_free_from_pool(d24, cpu, PAGE_SIZE));
	}
	dmasim_device_destroy(d32);
	dmasim_device_destroy(d24);
}

/* Through the direct path: a 32-bit non-coherent device gets reachable pool memory. */
Test(atomic_pool, direct_alloc_respects_the_mask)
{
	struct device *d32 = noncoherent_device("direct32", DMA_BIT_MASK(32));
	dma_addr_t h;
	void *a = dma_direct_alloc(d32, PAGE_SIZE, &h, GFP_ATOMIC, 0);

	cr_assert_not_null(a);
	cr_expect_lt(h, 1ULL << 32);
	cr_expect_eq(pstats(KDMA_ATOMIC_POOL_KERNEL).nr_allocs +
			     pstats(KDMA_ATOMIC_POOL_DMA32).nr_allocs, 1, "served by a pool");
	dma_direct_free(d32, PAGE_SIZE, a, h, 0);
	dmasim_device_destroy(d32);
}

static int ok_calls;

/* Rejects the first pool tried, accepts the next. */
static bool reject_first(struct device *dev, phys_addr_t phys, size_t size)
{
	return ok_calls++ > 0;
}

/* With no zone flag the kernel pool is tried first; memory phys_addr_ok rejects is given back
 * and the next pool (dma32) serves the allocation. */
Test(atomic_pool, falls_back_to_the_next_pool)
{
	struct device *dev = noncoherent_device("fallback", DMA_BIT_MASK(64));
	struct kdma_atomic_pool_stats k = pstats(KDMA_ATOMIC_POOL_KERNEL);
	size_t kernel_used = used(KDMA_ATOMIC_POOL_KERNEL);
	u64 n32 = pstats(KDMA_ATOMIC_POOL_DMA32).nr_allocs;
	void *cpu = NULL;
	struct page *page = dma_alloc_from_pool(dev, PAGE_SIZE, &cpu, GFP_ATOMIC, reject_first);

	cr_assert_not_null(page);
	cr_expect_eq(ok_calls, 2);
	cr_expect_eq(page_address(page), cpu);
	cr_expect_eq(used(KDMA_ATOMIC_POOL_KERNEL), kernel_used, "rejected and given back");
	cr_expect_eq(pstats(KDMA_ATOMIC_POOL_KERNEL).nr_allocs, k.nr_allocs);
	cr_expect_eq(pstats(KDMA_ATOMIC_POOL_DMA32).nr_allocs, n32 + 1);
	cr_expect(dma_free_from_pool(dev, cpu, PAGE_SIZE));
	cr_expect_not(dma_free_from_pool(dev, &k, PAGE_SIZE), "not pool memory");
	dmasim_device_destroy(dev);
}

static bool never_ok(struct device *dev, phys_addr_t phys, size_t size)
{
	return false;
}

Test(atomic_pool, no_suitable_pool_warns)
{
	struct device *dev = noncoherent_device("nopool", DMA_BIT_MASK(64));
	struct tl_capture cap;
	void *cpu = NULL;
	char *out;

	tl_capture_begin(&cap);
	cr_expect_null(dma_alloc_from_pool(dev, PAGE_SIZE, &cpu, GFP_ATOMIC, never_ok));
	out = tl_capture_end(&cap);
	cr_expect(strstr(out, "Failed to get suitable pool for nopool"), "%s", out);
	free(out);
	dmasim_device_destroy(dev);
}

Test(atomic_pool, expand_now_grows_a_low_pool)
{
	struct device *dev = noncoherent_device("grow", DMA_BIT_MASK(64));
	struct kdma_atomic_pool_stats st = pstats(KDMA_ATOMIC_POOL_KERNEL);
	size_t half = st.size / 2;
	void *cpu = NULL;

	cr_assert_not_null(dma_alloc_from_pool(dev, half, &cpu, 0, NULL));
	kdma_atomic_pool_expand_now();
	st = pstats(KDMA_ATOMIC_POOL_KERNEL);
	cr_expect_geq(st.avail, st.target, "free space back above atomic_pool_size");
	cr_expect_geq(st.nr_expansions, 2);
	cr_expect_geq(st.size, 2 * st.target, "grown by its own size");
	cr_expect(dma_free_from_pool(dev, cpu, half));
	dmasim_device_destroy(dev);
}

struct mt_arg {
	struct device *dev;
	int errors;
};

static void *mt_worker(void *p)
{
	struct mt_arg *arg = p;

	for (int i = 0; i < 500; i++) {
		size_t size = PAGE_SIZE << (i % 3);
		void *cpu = NULL;

		if (!dma_alloc_from_pool(arg->dev, size, &cpu, GFP_ATOMIC, NULL)) {
			arg->errors++;
			continue;
		}
		memset(cpu, 0x5a, size);
		arg->errors += !dma_free_from_pool(arg->dev, cpu, size);
	}
	return NULL;
}

Test(atomic_pool, two_threads)
{
	struct device *dev = noncoherent_device("mt", DMA_BIT_MASK(64));
	size_t used_before = used(KDMA_ATOMIC_POOL_KERNEL);
	struct mt_arg args[2] = { { dev, 0 }, { dev, 0 } };
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, mt_worker, &args[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	cr_expect_eq(args[0].errors + args[1].errors, 0);
	cr_expect_eq(used(KDMA_ATOMIC_POOL_KERNEL), used_before, "all freed");
	dmasim_device_destroy(dev);
}
