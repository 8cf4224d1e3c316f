// SPDX-License-Identifier: MIT
/* devres-managed DMA (src/kdma/dma/managed.c): one alloc hook per dmam allocation, release at
 * device destroy in reverse order, dmam_free_coherent and its warning, managed pools. */
#include <linux/dmapool.h>
#include <linux/mm.h>

#include "pools_testlib.h"

static struct device *dev;

static void setup(void)
{
	dev = tl_device("mgdtest");
	tl_hooks_install();
}

static void teardown(void)
{
	tl_hooks_remove();
}

TestSuite(managed, .init = setup, .fini = teardown);

/* Index of the first event matching (kind, vaddr or pool) at or after `from`, or -1. */
static long find_event(size_t from, char kind, const void *what)
{
	for (size_t i = from; i < tl_nevents; i++)
		if (tl_events[i].kind == kind &&
		    (kind == 'p' ? (const void *)tl_events[i].pool : tl_events[i].vaddr) == what)
			return (long)i;
	return -1;
}

Test(managed, alloc_fires_one_hook_and_destroy_releases_in_reverse)
{
	dma_addr_t ha, hb;
	void *a = dmam_alloc_coherent(dev, 1000, &ha, GFP_KERNEL);
	struct dma_pool *pool = dmam_pool_create("mpool", dev, 64, 8, 0);
	void *b = dmam_alloc_attrs(dev, 3 * PAGE_SIZE, &hb, GFP_KERNEL, 0);
	size_t mark;
	long ib, ip, ia;

	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_not_null(pool);
	cr_expect_eq(tl_count('a', 0), 2, "one alloc hook per dmam allocation");
	cr_expect_eq(tl_last('a', 0)->type, KDMA_TYPE_COHERENT);
	cr_expect_eq(tl_last('a', 0)->handle, hb);
	cr_expect_eq(tl_last('a', 0)->size, 3 * PAGE_SIZE);
	cr_expect(tl_all_bytes(a, 0, 1000));

	mark = tl_nevents;
	dmasim_device_destroy(dev);
	ib = find_event(mark, 'f', b);
	ip = find_event(mark, 'p', pool);
	ia = find_event(mark, 'f', a);
	cr_expect(ib >= 0 && ip > ib && ia > ip, "b, then the pool, then a (newest first): %ld %ld %ld",
		  ib, ip, ia);
	cr_expect_eq(tl_count('f', 0), 2);
	cr_expect_eq(tl_events[ia].size, 1000);
	cr_expect_eq(tl_events[ia].handle, ha);
	cr_expect_eq(tl_count('p', KDMA_POOL_DESTROY), 1);
}

Test(managed, free_coherent_removes_the_resource)
{
	dma_addr_t h;
	void *a = dmam_alloc_coherent(dev, PAGE_SIZE, &h, GFP_KERNEL);
	struct tl_capture cap;
	char *out;

	tl_capture_begin(&cap);
	dmam_free_coherent(dev, PAGE_SIZE, a, h);
	out = tl_capture_end(&cap);
	cr_expect_eq(out[0], '\0', "no warning: %s", out);
	cr_expect_eq(tl_count('f', 0), 1);
	dmasim_device_destroy(dev);
	cr_expect_eq(tl_count('f', 0), 1, "not released a second time at destroy");
	free(out);
}

Test(managed, free_coherent_without_devres_warns_and_frees)
{
	dma_addr_t h;
	void *a = kdma_alloc_attrs_nohook(dev, PAGE_SIZE, &h, GFP_KERNEL, 0);
	struct tl_capture cap;
	char *out;

	cr_assert_not_null(a);
	tl_capture_begin(&cap);
	dmam_free_coherent(dev, PAGE_SIZE, a, h);
	out = tl_capture_end(&cap);
	cr_expect(strstr(out, "WARNING") && strstr(out, "dmam_free_coherent: no devres entry for"),
		  "%s", out);
	cr_expect_eq(tl_count('f', 0), 1, "freed anyway, as the kernel does");
	free(out);
	dmasim_device_destroy(dev);
}

Test(managed, free_coherent_with_wrong_size_warns)
{
	dma_addr_t h;
	void *a = dmam_alloc_coherent(dev, 2 * PAGE_SIZE, &h, GFP_KERNEL);
	struct tl_capture cap;
	char *out;

	tl_capture_begin(&cap);
	dmam_free_coherent(dev, 2 * PAGE_SIZE - 1, a, h);
	out = tl_capture_end(&cap);
	cr_expect(strstr(out, "WARNING") && strstr(out, "freed as"), "%s", out);
	free(out);
	dmasim_device_destroy(dev);
}

Test(managed, pool_destroy)
{
	struct dma_pool *p = dmam_pool_create("mp", dev, 32, 8, 0);
	struct dma_pool *unmanaged = dma_pool_create("um", dev, 32, 8, 0);
	struct tl_capture cap;
	char *out;

	dmam_pool_destroy(p);
	cr_expect_eq(tl_count('p', KDMA_POOL_DESTROY), 1);
	tl_capture_begin(&cap);
	dmam_pool_destroy(unmanaged);
	out = tl_capture_end(&cap);
	cr_expect(strstr(out, "WARNING"), "%s", out);
	cr_expect_eq(tl_count('p', KDMA_POOL_DESTROY), 1, "an unmanaged pool is left alone");
	dma_pool_destroy(unmanaged);
	dmasim_device_destroy(dev);
	cr_expect_eq(tl_count('p', KDMA_POOL_DESTROY), 2);
	free(out);
}

Test(managed, invalid_arguments)
{
	dma_addr_t h;

	cr_expect_null(dmam_alloc_coherent(NULL, PAGE_SIZE, &h, GFP_KERNEL));
	cr_expect_null(dmam_alloc_coherent(dev, PAGE_SIZE, NULL, GFP_KERNEL));
	cr_expect_null(dmam_pool_create("x", NULL, 32, 8, 0));
	cr_expect_null(dmam_pool_create("x", dev, 0, 8, 0));
	dmam_pool_destroy(NULL);
	dmasim_device_destroy(dev);
}
