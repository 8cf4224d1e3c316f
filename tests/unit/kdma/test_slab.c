// SPDX-License-Identifier: MIT
/* kmalloc size classes and alignment, object lookup, bad frees, vmalloc, kvmalloc, the
 * mem_free hook, and concurrent use. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "kdma/base/base.h"
#include "kdma/mm/mm.h"

static void read_stderr(char *out, size_t size)
{
	FILE *f = cr_get_redirected_stderr();
	size_t n;

	fflush(stderr);
	n = fread(out, 1, size - 1, f);
	out[n] = '\0';
}

Test(slab, size_classes_and_alignment)
{
	static const struct { size_t req, cls; } cases[] = {
		{ 1, 128 }, { 8, 128 }, { 128, 128 }, { 129, 256 }, { 200, 256 }, { 1000, 1024 },
		{ 4096, 4096 }, { 4097, 8192 }, { 8192, 8192 }, { 8193, 16384 }, { 40000, 65536 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *p = kmalloc(cases[i].req, GFP_KERNEL);

		cr_assert_not_null(p);
		cr_assert_eq((uintptr_t)p % ARCH_DMA_MINALIGN, 0, "kmalloc(%zu) aligned", cases[i].req);
		cr_assert_eq(ksize(p), cases[i].cls, "ksize(kmalloc(%zu))", cases[i].req);
		cr_assert_eq(kmalloc_size_roundup(cases[i].req), cases[i].cls);
		memset(p, 0x5a, ksize(p));
		kfree(p);
	}
}

Test(slab, power_of_two_objects_are_naturally_aligned)
{
	void *p = kmalloc(2048, GFP_KERNEL);

	cr_assert_eq((uintptr_t)p % 2048, 0);
	kfree(p);
}

Test(slab, zero_size_and_null)
{
	cr_assert_eq(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	cr_assert_eq(ksize(NULL), 0);
	cr_assert_null(kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL), "overflow is refused");
	cr_assert_null(kmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL));
	cr_assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN));
}

Test(slab, zeroing_and_realloc)
{
	unsigned char *p = kmalloc(300, GFP_KERNEL), *q;
	size_t i;

	memset(p, 0xff, 300);
	kfree(p);
	p = kzalloc(300, GFP_KERNEL);
	for (i = 0; i < 300; i++)
		cr_assert_eq(p[i], 0);
	memset(p, 7, 300);
	q = krealloc(p, 400, GFP_KERNEL);
	cr_assert_eq(q, p, "400 still fits the 512 class: in place");
	q = krealloc(p, 5000, GFP_KERNEL);
	cr_assert_neq(q, p);
	for (i = 0; i < 300; i++)
		cr_assert_eq(q[i], 7);
	cr_assert_eq(krealloc(q, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	p = kmemdup("hello", 6, GFP_KERNEL);
	cr_assert_str_eq((char *)p, "hello");
	kfree(p);
	p = (unsigned char *)kstrndup("abcdef", 3, GFP_KERNEL);
	cr_assert_str_eq((char *)p, "abc");
	kfree_sensitive(p);
	p = (unsigned char *)kasprintf(GFP_KERNEL, "%s-%d", "ring", 3);
	cr_assert_str_eq((char *)p, "ring-3");
	kfree(p);
}

Test(slab, object_lookup_from_interior_pointers)
{
	char *small = kmalloc(100, GFP_KERNEL), *large = kmalloc(20000, GFP_KERNEL);
	const void *start;
	size_t size;
	int on_stack;

	cr_assert(kdma_kmalloc_object(small + 77, &start, &size));
	cr_assert_eq(start, small);
	cr_assert_eq(size, 128);
	cr_assert(kdma_kmalloc_object(large + 12345, &start, &size));
	cr_assert_eq(start, large);
	cr_assert_eq(size, 32768);
	cr_assert_not(kdma_kmalloc_object(&on_stack, &start, &size));
	kfree(small);
	kfree(large);
	cr_assert_not(kdma_kmalloc_object(small, &start, &size), "freed objects are not found");
	cr_assert_not(kdma_kmalloc_object(large, &start, &size));
}

/* Every object of a full slab, in every class, found from its first, middle and last byte: the
 * object index comes from a multiplication, not a division (96 and 192 only exist with a small
 * minimum alignment, hence dma_minalign=8). */
static void minalign_8(void)
{
	setenv("KDMA_OPTIONS", "dma_minalign=8", 1);
	kdma_options_reload();
}

Test(slab, object_index_of_every_object_in_every_class, .init = minalign_8)
{
	static const size_t sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096,
					8192 };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = 2 * 32768 / sizes[k] + 1; /* more than one slab's worth */
		char **objs = calloc(n, sizeof(*objs));

		for (size_t i = 0; i < n; i++) {
			const size_t offs[] = { 0, sizes[k] / 2, sizes[k] - 1 };
			const void *start;
			size_t size;

			objs[i] = kmalloc(sizes[k], GFP_KERNEL);
			cr_assert_not_null(objs[i]);
			for (unsigned int j = 0; j < 3; j++) {
				cr_assert(kdma_kmalloc_object(objs[i] + offs[j], &start, &size),
					  "size %zu object %zu +%zu", sizes[k], i, offs[j]);
				cr_assert_eq(start, objs[i], "size %zu object %zu +%zu", sizes[k], i,
					     offs[j]);
				cr_assert_eq(size, sizes[k]);
			}
		}
		for (size_t i = 0; i < n; i++)
			kfree(objs[i]);
		free(objs);
	}
}

Test(slab, bad_kfree_warns_and_survives, .init = cr_redirect_stderr)
{
	char *p = kmalloc(64, GFP_KERNEL), *m = malloc(64);
	char out[4096];

	kfree(p + 8);
	kfree(m);
	kfree(p);
	kfree(p);
	cr_assert_eq(ksize(m), 0);
	read_stderr(out, sizeof(out));
	cr_assert(strstr(out, "points inside the kmalloc object"), "%s", out);
	cr_assert(strstr(out, "was not returned by kmalloc()"), "%s", out);
	cr_assert(strstr(out, "already free (double free)"), "%s", out);
	free(m);
}

Test(slab, low_zone_kmalloc)
{
	void *p = kmalloc(1000, GFP_KERNEL | GFP_DMA32), *q = kzalloc(64, GFP_DMA);
	void *big = kmalloc(100000, GFP_DMA32);

	cr_assert_leq(virt_to_phys(p) + 1000, 0x100000000ULL);
	cr_assert_leq(virt_to_phys(q) + 64, 0x100000000ULL);
	cr_assert_leq(virt_to_phys(big) + 100000, 0x100000000ULL);
	cr_assert_gt(virt_to_phys(kmalloc(10, GFP_KERNEL)), 0xffffffffULL);
	kfree(p);
	kfree(q);
	kfree(big);
}

Test(slab, vmalloc_areas)
{
	char *v = vmalloc(3 * PAGE_SIZE + 1), *k = kmalloc(64, GFP_KERNEL);

	cr_assert_not_null(v);
	cr_assert_eq(offset_in_page(v), 0);
	cr_assert(is_vmalloc_addr(v));
	cr_assert(is_vmalloc_addr(v + 4 * PAGE_SIZE - 1));
	cr_assert_not(is_vmalloc_addr(k));
	cr_assert_eq(vmalloc_to_page(v + PAGE_SIZE), virt_to_page(v + PAGE_SIZE));
	v[4 * PAGE_SIZE - 1] = 1;
	vfree(v);
	cr_assert_not(is_vmalloc_addr(v));
	v = vzalloc(100);
	cr_assert_eq(v[99], 0);
	vfree(v);
	kfree(k);
}

Test(slab, kvmalloc_picks_by_size)
{
	void *s = kvmalloc(1024, GFP_KERNEL), *l = kvzalloc(1 << 20, GFP_KERNEL);

	cr_assert_not(is_vmalloc_addr(s));
	cr_assert(is_vmalloc_addr(l));
	cr_assert_eq(((char *)l)[12345], 0);
	kvfree(s);
	kvfree(l);
	kvfree(NULL);
}

static const void *freed_ptr;
static size_t freed_size;
static enum kdma_free_kind freed_kind;
static int freed_calls;

static void on_mem_free(const void *ptr, size_t size, enum kdma_free_kind kind)
{
	freed_ptr = ptr;
	freed_size = size;
	freed_kind = kind;
	freed_calls++;
}

Test(slab, mem_free_hook_sees_every_release)
{
	static struct kdma_hooks hooks = { .size = sizeof(hooks), .mem_free = on_mem_free };
	void *p = kmalloc(200, GFP_KERNEL), *v = vmalloc(5000), *kv = kvmalloc(100, GFP_KERNEL);
	struct page *pg = alloc_pages(GFP_KERNEL, 1);

	kdma_hooks_init();
	kdma_hooks_table = &hooks;
	kfree(p);
	cr_assert_eq(freed_ptr, p);
	cr_assert_eq(freed_size, 256);
	cr_assert_eq(freed_kind, KDMA_FREE_KFREE);
	vfree(v);
	cr_assert_eq(freed_ptr, v);
	cr_assert_eq(freed_size, 2 * PAGE_SIZE);
	cr_assert_eq(freed_kind, KDMA_FREE_VFREE);
	kvfree(kv);
	cr_assert_eq(freed_kind, KDMA_FREE_KVFREE);
	__free_pages(pg, 1);
	cr_assert_eq(freed_ptr, page_address(pg));
	cr_assert_eq(freed_size, 2 * PAGE_SIZE);
	cr_assert_eq(freed_kind, KDMA_FREE_PAGES);
	cr_assert_eq(freed_calls, 4);
	kfree(p); /* double free: the hook hears of it with an unknown size, nothing is released */
	cr_assert_eq(freed_calls, 5);
	cr_assert_eq(freed_ptr, p);
	cr_assert_eq(freed_size, 0);
	kdma_hooks_table = NULL;
}

static void *hammer(void *arg)
{
	uintptr_t id = (uintptr_t)arg;
	unsigned char *objs[256];
	int round, i;

	for (round = 0; round < 50; round++) {
		for (i = 0; i < 256; i++) {
			size_t sz = 1 + (size_t)((i * 37 + round) % 3000);

			objs[i] = kmalloc(sz, (i & 7) == 0 ? GFP_DMA32 : GFP_KERNEL);
			if (!objs[i])
				return (void *)1;
			memset(objs[i], (int)id, sz);
		}
		for (i = 0; i < 256; i++) {
			size_t sz = 1 + (size_t)((i * 37 + round) % 3000);

			if (objs[i][0] != (unsigned char)id || objs[i][sz - 1] != (unsigned char)id)
				return (void *)2; /* another thread got an overlapping object */
			kfree(objs[i]);
		}
	}
	return NULL;
}

Test(slab, concurrent_kmalloc_kfree)
{
	pthread_t t[4];
	void *ret;
	uintptr_t i;

	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hammer, (void *)(i + 1));
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], &ret);
		cr_assert_null(ret, "thread %zu failed with %p", (size_t)i, ret);
	}
}
