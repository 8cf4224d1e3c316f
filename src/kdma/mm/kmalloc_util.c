// SPDX-License-Identifier: MIT
/* The kmalloc family built on kmalloc/kfree/ksize (mm/slab_common.c, mm/util.c). */
#include <string.h>

#include <linux/slab.h>
#include <linux/string.h>

#include "mm/memmodel.h"

void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, flags);
}

void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	size_t old = ZERO_OR_NULL_PTR(p) ? 0 : ksize(p);
	void *q;

	if (new_size == 0) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (!ZERO_OR_NULL_PTR(p) && old == 0)
		return NULL; /* not a kmalloc pointer: ksize said why */
	if (new_size <= old) {
		/* shrinking in place: like mm/slab_common.c, __GFP_ZERO clears the cut-off tail
		 * so that a later grow sees zeroes */
		if (flags & __GFP_ZERO)
			memset((char *)p + new_size, 0, old - new_size);
		return (void *)p;
	}
	q = kmalloc(new_size, flags);
	if (!q)
		return NULL;
	if (old) {
		memcpy(q, p, old);
		kfree(p);
	}
	return q;
}

void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t flags)
{
	size_t bytes;

	if (__builtin_mul_overflow(new_n, new_size, &bytes))
		return NULL;
	return krealloc(p, bytes, flags);
}

void kfree_sensitive(const void *p)
{
	size_t size = ZERO_OR_NULL_PTR(p) ? 0 : ksize(p);

	if (size)
		memzero_explicit((void *)p, size);
	kfree(p);
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p && len)
		memcpy(p, src, len);
	return p;
}

void *kmemdup_nul(const char *s, size_t len, gfp_t gfp)
{
	char *p;

	if (!s)
		return NULL;
	p = kmalloc(len + 1, gfp);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	return s ? kmemdup(s, strlen(s) + 1, gfp) : NULL;
}

const char *kstrdup_const(const char *s, gfp_t gfp)
{
	return kstrdup(s, gfp);
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	return s ? kmemdup_nul(s, strnlen(s, max), gfp) : NULL;
}
