/* SPDX-License-Identifier: MIT */
/*
 * <linux/slab.h> — kmalloc and friends (src/kdma/mm/slab.c).
 *
 * As in the kernel: objects come from power-of-two size classes (kmalloc-128 .. kmalloc-8k; the
 * smallest class is ARCH_DMA_MINALIGN, 128, as on arm64, so every kmalloc buffer is aligned to
 * it and never shares a cache line with another), ksize() returns the class size, larger
 * requests take whole pages (up to 4 MiB), kmalloc(0) returns ZERO_SIZE_PTR. GFP_DMA / GFP_DMA32
 * objects come from the low zones. kfree() of a pointer kmalloc did not return prints an error
 * and does nothing.
 */
#ifndef _DMASAN_SHIM_LINUX_SLAB_H
#define _DMASAN_SHIM_LINUX_SLAB_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/overflow.h>
#include <linux/cache.h>

#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define KMALLOC_SHIFT_HIGH 13 /* largest slab class: two pages */
#define KMALLOC_MAX_CACHE_SIZE (1UL << KMALLOC_SHIFT_HIGH)
#define KMALLOC_MAX_SIZE (4UL << 20) /* PAGE_SIZE << MAX_PAGE_ORDER */
#define KMALLOC_MIN_SIZE ARCH_DMA_MINALIGN
#define ARCH_KMALLOC_MINALIGN ARCH_DMA_MINALIGN

void *kmalloc(size_t size, gfp_t flags) __malloc;
void *kzalloc(size_t size, gfp_t flags) __malloc;
void *kcalloc(size_t n, size_t size, gfp_t flags) __malloc;
void *kmalloc_array(size_t n, size_t size, gfp_t flags) __malloc;
void *krealloc(const void *p, size_t new_size, gfp_t flags);
void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t flags);
void kfree(const void *p);
void kfree_sensitive(const void *p);
size_t ksize(const void *p);
size_t kmalloc_size_roundup(size_t size);
void *kmemdup(const void *src, size_t len, gfp_t gfp);
void *kmemdup_nul(const char *s, size_t len, gfp_t gfp);
char *kstrdup(const char *s, gfp_t gfp);
const char *kstrdup_const(const char *s, gfp_t gfp);
char *kstrndup(const char *s, size_t max, gfp_t gfp);

/* kmalloc, or vmalloc for sizes the page allocator would find costly (> 32 KiB). */
void *kvmalloc(size_t size, gfp_t flags);
void *kvzalloc(size_t size, gfp_t flags);
void *kvcalloc(size_t n, size_t size, gfp_t flags);
void *kvmalloc_array(size_t n, size_t size, gfp_t flags);
void *kvrealloc(const void *p, size_t size, gfp_t flags);
void kvfree(const void *addr);
void kvfree_sensitive(const void *addr, size_t len);

#define kfree_const(p) kfree(p)
#define kmalloc_node(size, flags, node) kmalloc(size, flags)
#define kzalloc_node(size, flags, node) kzalloc(size, flags)
#define kcalloc_node(n, size, flags, node) kcalloc(n, size, flags)
#define kmalloc_array_node(n, size, flags, node) kmalloc_array(n, size, flags)
#define kvmalloc_node(size, flags, node) kvmalloc(size, flags)
#define kvzalloc_node(size, flags, node) kvzalloc(size, flags)
#define kmalloc_track_caller kmalloc
#define kfree_rcu(ptr, rhf...) kfree(ptr) /* no RCU readers in userspace tests */
#define kvfree_rcu(ptr, rhf...) kvfree(ptr)
#define kfree_rcu_mightsleep(ptr) kfree(ptr)

static inline __printf(2, 0) char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap)
{
	va_list aq;
	int len;
	char *p;

	va_copy(aq, ap);
	len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (len < 0)
		return NULL;
	p = (char *)kmalloc((size_t)len + 1, gfp);
	if (p)
		vsnprintf(p, (size_t)len + 1, fmt, ap);
	return p;
}

static inline __printf(2, 3) char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = kvasprintf(gfp, fmt, ap);
	va_end(ap);
	return p;
}

/* Named object caches: a thin layer over kmalloc (objects of one size and alignment). */
#define SLAB_HWCACHE_ALIGN 0x00002000U
#define SLAB_CACHE_DMA 0x00004000U
#define SLAB_CACHE_DMA32 0x00008000U
#define SLAB_PANIC 0x00040000U
#define SLAB_ACCOUNT 0x04000000U
#define SLAB_RECLAIM_ACCOUNT 0x00020000U

struct kmem_cache {
	const char *name;
	unsigned int size;  /* object size rounded up to the alignment */
	unsigned int align;
	slab_flags_t flags;
	void (*ctor)(void *);
};

static inline struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
						   unsigned int align, slab_flags_t flags,
						   void (*ctor)(void *))
{
	struct kmem_cache *s = (struct kmem_cache *)kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	if (flags & SLAB_HWCACHE_ALIGN && align < L1_CACHE_BYTES)
		align = L1_CACHE_BYTES;
	if (align & (align - 1))
		align = 0; /* not a power of two: kmalloc's own alignment */
	s->name = name;
	s->align = align;
	/* kmalloc size classes are naturally aligned powers of two from 128 up: rounding the
	 * size to the alignment yields a class at least that aligned. */
	s->size = align ? (size + align - 1) & ~(align - 1) : size;
	s->flags = flags;
	s->ctor = ctor;
	return s;
}

#define kmem_cache_create_usercopy(name, size, align, flags, uo, us, ctor)                    \
	kmem_cache_create(name, size, align, flags, ctor)
#define KMEM_CACHE(__struct, __flags)                                                         \
	kmem_cache_create(#__struct, sizeof(struct __struct), __alignof__(struct __struct),      \
			  (__flags), NULL)

static inline void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	gfp_t zone = (s->flags & SLAB_CACHE_DMA ? GFP_DMA : 0) |
		     (s->flags & SLAB_CACHE_DMA32 ? GFP_DMA32 : 0);
	void *p = kmalloc(s->size, flags | zone);

	if (p && s->ctor)
		s->ctor(p);
	return p;
}

static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return kmem_cache_alloc(s, flags | __GFP_ZERO);
}

#define kmem_cache_alloc_node(s, flags, node) kmem_cache_alloc(s, flags)

static inline void kmem_cache_free(struct kmem_cache *s __maybe_unused, void *p)
{
	kfree(p);
}

static inline void kmem_cache_destroy(struct kmem_cache *s)
{
	kfree(s);
}

static inline unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->size;
}

#endif
