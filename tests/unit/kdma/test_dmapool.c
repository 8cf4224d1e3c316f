// SPDX-License-Identifier: MIT
/* dma_pool (src/kdma/dma/dmapool.c): argument rules, block layout, LIFO reuse, DMAPOOL_DEBUG
 * poisoning and its findings, destroy while busy, concurrency. */
#include <limits.h>

#include <linux/dmapool.h>
#include <linux/mm.h>

#include "pools_testlib.h"

static struct device *dev;

static void setup(void)
{
	dev = tl_device("pooltest");
	tl_hooks_install();
}

static void teardown(void)
{
	tl_hooks_remove();
	dmasim_device_destroy(dev);
}

TestSuite(dmapool, .init = setup, .fini = teardown);

static struct kdma_dma_pool_stats stats(struct dma_pool *pool)
{
	struct kdma_dma_pool_stats st;

	kdma_dma_pool_stats(pool, &st);
	return st;
}

Test(dmapool, invalid_arguments_return_null)
{
	cr_expect_null(dma_pool_create("p", NULL, 64, 8, 0));
	cr_expect_null(dma_pool_create("p", dev, 0, 8, 0), "size 0");
	cr_expect_null(dma_pool_create("p", dev, (size_t)INT_MAX + 1, 8, 0), "size > INT_MAX");
	cr_expect_null(dma_pool_create("p", dev, 64, 3, 0), "align not a power of two");
	cr_expect_null(dma_pool_create("p", dev, 64, 8, 32), "boundary < size");
	cr_expect_null(dma_pool_create("p", dev, 64, 8, 96), "boundary not a power of two");
	cr_expect_eq(tl_count('p', KDMA_POOL_CREATE), 0);
}

Test(dmapool, size_align_boundary_rules)
{
	struct dma_pool *p = dma_pool_create("small", dev, 1, 0, 0);
	struct kdma_dma_pool_stats st = stats(p);

	cr_expect_eq(st.size, 16, "raised to sizeof(struct dma_block)");
	cr_expect_eq(st.allocation, PAGE_SIZE);
	cr_expect_eq(st.boundary, PAGE_SIZE, "boundary 0 -> allocation");
	dma_pool_destroy(p);

	p = dma_pool_create("rounded", dev, 100, 64, 1 << 20);
	st = stats(p);
	cr_expect_eq(st.size, 128, "rounded up to align");
	cr_expect_eq(st.boundary, PAGE_SIZE, "boundary capped at allocation");
	dma_pool_destroy(p);

	p = dma_pool_create("big", dev, 6000, 8, 0);
	st = stats(p);
	cr_expect_eq(st.allocation, 6000, "allocation = max(size, PAGE_SIZE)");
	dma_pool_destroy(p);
}

/* Fill the first chunk completely and check every block against the kernel's layout rules. */
static void check_layout(size_t size, size_t align, size_t boundary, size_t expect_blocks)
{
	struct dma_pool *p = dma_pool_create("layout", dev, size, align, boundary);
	struct kdma_dma_pool_stats st;
	dma_addr_t handle, first = 0, prev = 0, handles[PAGE_SIZE / 16];
	void *vaddr, *blocks[PAGE_SIZE / 16];

	cr_assert_not_null(p, "size %zu align %zu boundary %zu", size, align, boundary);
	for (size_t i = 0; i < expect_blocks; i++) {
		vaddr = dma_pool_alloc(p, GFP_KERNEL, &handle);
		cr_assert_not_null(vaddr);
		st = stats(p);
		if (i == 0) {
			first = handle;
			cr_expect_eq(st.nr_blocks, expect_blocks, "size %zu align %zu boundary %zu",
				     size, align, boundary);
			cr_expect_eq(handle % PAGE_SIZE, 0, "first block at the chunk start");
		} else {
			cr_expect_gt(handle, prev, "blocks handed out in address order");
		}
		cr_expect_eq(kdma_dma_to_phys(dev, handle), kdma_virt_to_phys(vaddr));
		cr_expect_eq(handle % (align ? align : 1), 0);
		cr_expect_leq((handle - first) % st.boundary + st.size, st.boundary,
			     "block at %#llx crosses the boundary", (unsigned long long)handle);
		prev = handle;
		blocks[i] = vaddr;
		handles[i] = handle;
	}
	st = stats(p);
	cr_expect_eq(st.nr_pages, 1);
	cr_expect_eq(st.nr_active, expect_blocks);
	vaddr = dma_pool_alloc(p, GFP_KERNEL, &handle);
	cr_expect_eq(stats(p).nr_pages, 2, "the chunk was full");
	dma_pool_free(p, vaddr, handle);
	for (size_t i = 0; i < expect_blocks; i++)
		dma_pool_free(p, blocks[i], handles[i]);
	cr_expect_eq(tl_count('p', KDMA_POOL_DESTROY_BUSY), 0);
	dma_pool_destroy(p);
}

Test(dmapool, block_layout_across_sizes)
{
	check_layout(16, 0, 0, PAGE_SIZE / 16);
	check_layout(64, 64, 0, PAGE_SIZE / 64);
	check_layout(100, 4, 0, PAGE_SIZE / 100); /* 40: the tail is wasted */
	check_layout(96, 32, 1024, 4 * (1024 / 96)); /* 10 per 1 KiB segment */
	check_layout(200, 8, 256, PAGE_SIZE / 256); /* one per segment */
	check_layout(512, 512, 2048, PAGE_SIZE / 512);
	check_layout(6000, 16, 0, 1);
}

Test(dmapool, lifo_reuse)
{
	struct dma_pool *p = dma_pool_create("lifo", dev, 64, 8, 0);
	dma_addr_t ha, hb, h;
	void *a = dma_pool_alloc(p, GFP_KERNEL, &ha);
	void *b = dma_pool_alloc(p, GFP_KERNEL, &hb);

	dma_pool_free(p, a, ha);
	dma_pool_free(p, b, hb);
	cr_expect_eq(dma_pool_alloc(p, GFP_KERNEL, &h), b, "last freed comes back first");
	cr_expect_eq(h, hb);
	cr_expect_eq(dma_pool_alloc(p, GFP_KERNEL, &h), a);
	cr_expect_eq(h, ha);
	cr_expect_eq(stats(p).nr_active, 2);
	dma_pool_free(p, a, ha);
	dma_pool_free(p, b, hb);
	cr_expect_eq(stats(p).nr_active, 0);
	dma_pool_destroy(p);
}

Test(dmapool, poison_values_and_zalloc)
{
	struct dma_pool *p = dma_pool_create("poison", dev, 64, 8, 0);
	dma_addr_t h, h2;
	unsigned char *a = dma_pool_alloc(p, GFP_KERNEL, &h);

	cr_expect(tl_all_bytes(a, 0xa9, 64), "allocated blocks are filled with 0xa9");
	cr_expect(tl_all_bytes(a + 64 + 16, 0xa7, 48), "free blocks of a fresh chunk hold 0xa7 after "
						     "their 16-byte header");
	memset(a, 0x55, 64);
	dma_pool_free(p, a, h);
	cr_expect(tl_all_bytes(a + 16, 0xa7, 48), "freed blocks are refilled with 0xa7");
	cr_expect_eq(dma_pool_zalloc(p, GFP_KERNEL, &h2), a);
	cr_expect(tl_all_bytes(a, 0, 64), "dma_pool_zalloc zeroes");
	cr_expect_eq(tl_count('p', KDMA_POOL_CORRUPTED), 0);
	dma_pool_free(p, a, h2);
	dma_pool_destroy(p);
}

Test(dmapool, hooks_for_lifecycle)
{
	struct dma_pool *p = dma_pool_create("hooks", dev, 48, 16, 0);
	dma_addr_t h;
	void *a = dma_pool_alloc(p, GFP_KERNEL, &h);
	const struct tl_event *e = tl_last('p', KDMA_POOL_ALLOC);

	cr_expect_eq(tl_count('p', KDMA_POOL_CREATE), 1);
	cr_assert_not_null(e);
	cr_expect_eq(e->pool, p);
	cr_expect_eq(e->dev, dev);
	cr_expect_eq(e->vaddr, a);
	cr_expect_eq(e->handle, h);
	cr_expect_eq(e->size, 48);
	dma_pool_free(p, a, h);
	cr_expect_eq(tl_count('p', KDMA_POOL_FREE), 1);
	dma_pool_destroy(p);
	cr_expect_eq(tl_count('p', KDMA_POOL_DESTROY), 1);
	cr_expect_eq(tl_count('a', 0) + tl_count('f', 0), 0, "chunks are not coherent allocations");
}

Test(dmapool, write_after_free_is_found_at_alloc)
{
	struct dma_pool *p = dma_pool_create("uaf", dev, 64, 8, 0);
	struct tl_capture cap;
	dma_addr_t h, h2;
	unsigned char *a = dma_pool_alloc(p, GFP_KERNEL, &h);
	char *out;

	dma_pool_free(p, a, h);
	a[40] = 0; /* past the 16-byte free-list header */
	tl_capture_begin(&cap);
	cr_expect_eq(dma_pool_alloc(p, GFP_KERNEL, &h2), a, "the block is still handed out");
	out = tl_capture_end(&cap);
	cr_expect(strstr(out, "dma_pool_alloc uaf, ") && strstr(out, "(corrupted)"), "%s", out);
	cr_expect_eq(tl_count('p', KDMA_POOL_CORRUPTED), 1);
	cr_expect_eq(tl_last('p', KDMA_POOL_CORRUPTED)->vaddr, a);
	free(out);
	dma_pool_free(p, a, h2);
	dma_pool_destroy(p);
}

Test(dmapool, overwritten_free_list_header_does_not_crash)
{
	struct dma_pool *p = dma_pool_create("hdr", dev, 64, 8, 0);
	dma_addr_t ha, hb, h;
	char *a = dma_pool_alloc(p, GFP_KERNEL, &ha);
	char *b = dma_pool_alloc(p, GFP_KERNEL, &hb);
	struct tl_capture cap;
	char *out;

	dma_pool_free(p, b, hb);
	dma_pool_free(p, a, ha); /* a is the head, its header links to b */
	memset(a, 0x41, 16);     /* write after free over the link and the dma */
	tl_capture_begin(&cap);
	cr_expect_eq(dma_pool_alloc(p, GFP_KERNEL, &h), a);
	out = tl_capture_end(&cap);
	cr_expect_eq(h, ha, "the handle is recomputed, not read from the broken header");
	cr_expect(strstr(out, "(corrupted)"), "%s", out);
	cr_expect_eq(tl_count('p', KDMA_POOL_CORRUPTED), 1);
	cr_expect_not_null(dma_pool_alloc(p, GFP_KERNEL, &h), "the pool keeps working");
	free(out);
}

/* A bad free is reported with its event and changes nothing. */
static void expect_bad_free(struct dma_pool *p, void *vaddr, dma_addr_t dma,
			    enum kdma_pool_event ev, const char *msg)
{
	size_t active = stats(p).nr_active, before = tl_count('p', ev);
	struct tl_capture cap;
	char *out;

	tl_capture_begin(&cap);
	dma_pool_free(p, vaddr, dma);
	out = tl_capture_end(&cap);
	cr_expect(strstr(out, msg), "expected \"%s\" in: %s", msg, out);
	cr_expect_eq(tl_count('p', ev), before + 1);
	cr_expect_eq(stats(p).nr_active, active, "the block is not freed");
	free(out);
}

Test(dmapool, bad_frees)
{
	struct dma_pool *p = dma_pool_create("bad", dev, 64, 8, 0);
	dma_addr_t ha, hb, h;
	char *a = dma_pool_alloc(p, GFP_KERNEL, &ha);
	char *b = dma_pool_alloc(p, GFP_KERNEL, &hb);

	expect_bad_free(p, a, ha + (1 << 20), KDMA_POOL_BAD_DMA, "dma_pool_free bad, ");
	expect_bad_free(p, a, ha + 8, KDMA_POOL_BAD_DMA, "(bad dma)");
	expect_bad_free(p, b, ha, KDMA_POOL_BAD_VADDR, "(bad vaddr)");
	dma_pool_free(p, a, ha);
	expect_bad_free(p, a, ha, KDMA_POOL_ALREADY_FREE, "already free");
	cr_expect_eq(tl_count('p', KDMA_POOL_FREE), 1);
	/* The free list is intact: one block back, then fresh ones. */
	cr_expect_eq(dma_pool_alloc(p, GFP_KERNEL, &h), a);
	dma_pool_free(p, a, ha);
	dma_pool_free(p, b, hb);
	cr_expect_eq(stats(p).nr_active, 0);
	dma_pool_destroy(p);
}

/* Many chunks: every block is found by its chunk (whatever the chunks' address order), a
 * second free of any of them is "already free", and a dma between two chunks is "bad dma". */
Test(dmapool, frees_across_many_chunks)
{
	enum { N = 40 }; /* 4 blocks of 1 KiB per chunk: 10 chunks */
	struct dma_pool *p = dma_pool_create("many", dev, 1024, 8, 0);
	dma_addr_t h[N];
	void *v[N];

	for (int i = 0; i < N; i++)
		cr_assert_not_null(v[i] = dma_pool_alloc(p, GFP_KERNEL, &h[i]));
	cr_expect_eq(stats(p).nr_pages, N / 4);
	expect_bad_free(p, v[17], h[17] + 4096 * 64, KDMA_POOL_BAD_DMA, "(bad dma)");
	expect_bad_free(p, v[21], h[22], KDMA_POOL_BAD_VADDR, "(bad vaddr)");
	for (int i = 0; i < N; i += 2) /* every other block, so each chunk stays in use */
		dma_pool_free(p, v[i], h[i]);
	for (int i = N - 2; i >= 0; i -= 2)
		expect_bad_free(p, v[i], h[i], KDMA_POOL_ALREADY_FREE, "already free");
	for (int i = 1; i < N; i += 2)
		dma_pool_free(p, v[i], h[i]);
	cr_expect_eq(stats(p).nr_active, 0);
	cr_expect_eq(tl_count('p', KDMA_POOL_FREE), N);
	dma_pool_destroy(p);
}

/* A free block's link rewritten to point at a block in use: the allocator must not hand that
 * block out a second time. */
Test(dmapool, free_list_link_to_a_block_in_use_is_corrupted)
{
	struct dma_pool *p = dma_pool_create("link", dev, 64, 8, 0);
	dma_addr_t ha, hb, hc, h;
	char *a = dma_pool_alloc(p, GFP_KERNEL, &ha);
	char *b = dma_pool_alloc(p, GFP_KERNEL, &hb);
	char *c = dma_pool_alloc(p, GFP_KERNEL, &hc);
	struct tl_capture cap;
	char *out;

	dma_pool_free(p, a, ha); /* a heads the free list */
	memcpy(a, &b, sizeof(b)); /* write after free: a's link now names b, still in use */
	tl_capture_begin(&cap);
	cr_expect_eq(dma_pool_alloc(p, GFP_KERNEL, &h), a);
	out = tl_capture_end(&cap);
	cr_expect(strstr(out, "(corrupted)"), "%s", out);
	cr_expect_neq(dma_pool_alloc(p, GFP_KERNEL, &h), b, "b is not handed out twice");
	free(out);
	(void)c;
	(void)hc;
}

Test(dmapool, destroy_busy_leaks_chunks)
{
	struct dma_pool *p = dma_pool_create("busy", dev, 64, 8, 0);
	struct tl_capture cap;
	dma_addr_t h;
	char *out, *a = dma_pool_alloc(p, GFP_KERNEL, &h);

	tl_capture_begin(&cap);
	dma_pool_destroy(p);
	out = tl_capture_end(&cap);
	cr_expect(strstr(out, "dma_pool_destroy busy busy"), "%s", out);
	cr_expect_eq(tl_count('p', KDMA_POOL_DESTROY_BUSY), 1);
	cr_expect_eq(tl_count('p', KDMA_POOL_DESTROY), 0);
	a[0] = 1; /* the chunk was leaked, not freed: still writable */
	free(out);
	dma_pool_destroy(NULL);
}

Test(dmapool, pools_are_listed_on_the_device)
{
	struct dma_pool *p = dma_pool_create("listed", dev, 64, 8, 0);

	cr_expect(dev->dma_pools.next && dev->dma_pools.next != &dev->dma_pools);
	dma_pool_destroy(p);
	cr_expect(!dev->dma_pools.next || dev->dma_pools.next == &dev->dma_pools);

	p = dma_pool_create("leaked", dev, 64, 8, 0);
	kdma_dev_unlink_pools(dev);
	cr_expect_eq(dev->dma_pools.next, &dev->dma_pools, "unlinked");
	dma_pool_destroy(p); /* still works, touches no device list */
}

Test(dmapool, pools_file)
{
	struct dma_pool *p = dma_pool_create("ring", dev, 64, 8, 0);
	dma_addr_t h;
	void *a = dma_pool_alloc(p, GFP_KERNEL, &h);
	char buf[256];

	size_t n = kdma_dma_pools_show(dev, buf, sizeof(buf));

	cr_expect_str_eq(buf, "poolinfo - 0.1\nring                1   64   64  1\n");
	cr_expect_eq(n, strlen(buf));
	cr_expect_eq(kdma_dma_pools_show(dev, buf, 4), n, "the length needed");
	cr_expect_str_eq(buf, "poo", "truncated, terminated");
	dma_pool_free(p, a, h);
	dma_pool_destroy(p);
}

struct worker_arg {
	struct dma_pool *pool;
	unsigned char id;
	int errors;
};

static void *worker(void *argp)
{
	struct worker_arg *arg = argp;
	unsigned char *blocks[32];
	dma_addr_t handles[32];

	for (int round = 0; round < 2000; round++) {
		int n = 1 + round % 32;

		for (int i = 0; i < n; i++) {
			blocks[i] = dma_pool_alloc(arg->pool, GFP_KERNEL, &handles[i]);
			if (!blocks[i])
				return (arg->errors++, NULL);
			memset(blocks[i], arg->id, 32);
		}
		for (int i = 0; i < n; i++) {
			arg->errors += !tl_all_bytes(blocks[i], arg->id, 32); /* nobody else has it */
			dma_pool_free(arg->pool, blocks[i], handles[i]);
		}
	}
	return NULL;
}

Test(dmapool, two_threads)
{
	struct dma_pool *p = dma_pool_create("mt", dev, 32, 8, 0);
	struct worker_arg args[2] = { { p, 1, 0 }, { p, 2, 0 } };
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, &args[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	cr_expect_eq(args[0].errors + args[1].errors, 0);
	cr_expect_eq(stats(p).nr_active, 0);
	cr_expect_eq(tl_count('p', KDMA_POOL_CORRUPTED) + tl_count('p', KDMA_POOL_ALREADY_FREE) +
			     tl_count('p', KDMA_POOL_BAD_DMA) + tl_count('p', KDMA_POOL_BAD_VADDR),
		     0);
	cr_expect_leq(stats(p).nr_pages, 2, "64 blocks at most in use: a chunk per thread at most");
	dma_pool_destroy(p);
}
