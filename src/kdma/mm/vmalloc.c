// SPDX-License-Identifier: MIT
/*
 * vmalloc: one anonymous mapping per area. Its struct pages carry PG_kdma_vmalloc (the first
 * also PG_kdma_vmhead and the page count in page->private), which makes is_vmalloc_addr() an
 * O(1) lookup that never creates sections. kvmalloc picks kmalloc or vmalloc by size.
 */
#include <string.h>
#include <sys/mman.h>

#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "mm/memmodel.h"

/* Beyond this kvmalloc uses vmalloc: the kernel's kmalloc attempt is __GFP_NORETRY for costly
 * orders (> PAGE_ALLOC_COSTLY_ORDER, 32 KiB) and fails readily on a fragmented machine, so
 * drivers must cope with either kind there. */
#define KVMALLOC_KMALLOC_MAX (PAGE_SIZE << 3)

#define VMALLOC_START 0x300000000000UL /* 48 TiB */

static atomic_ulong vmalloc_hint = VMALLOC_START;

void *vmalloc(unsigned long size)
{
	unsigned long npages = PAGE_ALIGN(size) >> PAGE_SHIFT, i;
	struct page *head;
	void *p;

	if (size == 0 || size > (1UL << 40))
		return NULL;
	/* A hint keeps vmalloc space apart from the heap, far above 4 GiB like the kernel's
	 * (mmap may place it elsewhere; the page marks are what identify it). */
	p = mmap((void *)atomic_fetch_add(&vmalloc_hint, (npages + 1) << PAGE_SHIFT),
		 npages << PAGE_SHIFT, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	head = virt_to_page(p);
	for (i = 0; i < npages; i++)
		kdma_page_set_flag(nth_page(head, i), PG_kdma_vmalloc);
	/* atomic: the address may have been another thread's area a moment ago (munmap/mmap
	 * order the accesses, but not visibly to race detectors) */
	__atomic_store_n(&head->private, npages, __ATOMIC_RELAXED);
	kdma_page_set_flag(head, PG_kdma_vmhead);
	return p;
}

void *vzalloc(unsigned long size)
{
	return vmalloc(size); /* fresh anonymous mappings are zero-filled */
}

void *vmalloc_array(size_t n, size_t size)
{
	size_t bytes;

	return __builtin_mul_overflow(n, size, &bytes) ? NULL : vmalloc(bytes);
}

void *vcalloc(size_t n, size_t size)
{
	return vmalloc_array(n, size);
}

bool kdma_is_vmalloc_addr(const void *p)
{
	struct page *page = kdma_virt_to_page_existing(p);

	return page && kdma_page_test_flag(page, PG_kdma_vmalloc);
}

bool is_vmalloc_addr(const void *x)
{
	return kdma_is_vmalloc_addr(x);
}

static void vfree_kind(const void *addr, enum kdma_free_kind kind, const char *fn)
{
	struct page *head;
	unsigned long npages, i;

	if (!addr)
		return;
	kdma_hooks_ensure();
	head = kdma_virt_to_page_existing(addr);
	if (!head || offset_in_page(addr) || !kdma_page_test_flag(head, PG_kdma_vmhead)) {
		KDMA_HOOK(mem_free, addr, 0, kind); /* see kfree: the sanitizer may know it */
		kdma_warn(NULL, "%s: %p is not the start of a live vmalloc area; not freed", fn,
			  addr);
		return;
	}
	npages = __atomic_load_n(&head->private, __ATOMIC_RELAXED);
	KDMA_HOOK(mem_free, addr, npages << PAGE_SHIFT, kind);
	kdma_page_clear_flag(head, PG_kdma_vmhead);
	__atomic_store_n(&head->private, 0, __ATOMIC_RELAXED);
	for (i = 0; i < npages; i++)
		kdma_page_clear_flag(nth_page(head, i), PG_kdma_vmalloc);
	munmap((void *)addr, npages << PAGE_SHIFT);
}

void vfree(const void *addr)
{
	vfree_kind(addr, KDMA_FREE_VFREE, "vfree");
}

struct page *vmalloc_to_page(const void *addr)
{
	if (!kdma_is_vmalloc_addr(addr)) {
		kdma_warn(NULL, "vmalloc_to_page: %p is not a vmalloc address", addr);
		return NULL;
	}
	return virt_to_page(addr);
}

unsigned long vmalloc_to_pfn(const void *addr)
{
	struct page *page = vmalloc_to_page(addr);

	return page ? page_to_pfn(page) : 0;
}

void *kvmalloc(size_t size, gfp_t flags)
{
	void *p;

	if (size <= KVMALLOC_KMALLOC_MAX || (flags & (__GFP_DMA | __GFP_DMA32)))
		return kmalloc(size, flags);
	p = vmalloc(size);
	return p; /* anonymous mappings are zero-filled: __GFP_ZERO holds */
}

void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | __GFP_ZERO);
}

void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	return __builtin_mul_overflow(n, size, &bytes) ? NULL : kvmalloc(bytes, flags);
}

void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return kvmalloc_array(n, size, flags | __GFP_ZERO);
}

void kvfree(const void *addr)
{
	if (kdma_is_vmalloc_addr(addr))
		vfree_kind(addr, KDMA_FREE_KVFREE, "kvfree");
	else
		kdma_kfree_kind(addr, KDMA_FREE_KVFREE);
}

void kvfree_sensitive(const void *addr, size_t len)
{
	if (!ZERO_OR_NULL_PTR(addr))
		memzero_explicit((void *)addr, len);
	kvfree(addr);
}

void *kvrealloc(const void *p, size_t size, gfp_t flags)
{
	size_t old = 0;
	const void *start;
	void *q;

	if (ZERO_OR_NULL_PTR(p))
		return kvmalloc(size, flags);
	if (kdma_is_vmalloc_addr(p))
		old = kdma_virt_to_page_existing(p)->private << PAGE_SHIFT;
	else if (!kdma_kmalloc_object(p, &start, &old))
		old = 0;
	if (!old) {
		kdma_warn(NULL, "kvrealloc: %p was not returned by kvmalloc(); not reallocated", p);
		return NULL;
	}
	q = kvmalloc(size, flags);
	if (!q)
		return NULL;
	memcpy(q, p, old < size ? old : size);
	kvfree(p);
	return q;
}
