// SPDX-License-Identifier: MIT
/*
 * kmalloc: size classes like the kernel's kmalloc caches, each a list of slabs (32 KiB blocks
 * from the page allocator) carved into equal objects. The struct pages of a slab point to it
 * (PG_slab, page->private), so any pointer finds its object in O(1): that gives ksize(), the
 * "object containing p" query the DMA checks need, and safe rejection of foreign pointers.
 * Requests above the largest class take whole pages (kmalloc_large). libkdma's own
 * bookkeeping uses kdma_zalloc/kdma_free (the C heap, never hooked).
 */
#include <stdlib.h>
#include <string.h>

#include <linux/slab.h>

#include "base/fork.h"
#include "base/vg.h"
#include "mm/memmodel.h"

#define SLAB_ORDER 3 /* 32 KiB slabs */
#define SLAB_BYTES (PAGE_SIZE << SLAB_ORDER)
#define NR_KMALLOC_CLASSES (KMALLOC_SHIFT_HIGH + 1) /* index as kmalloc_index(): 1=96, 2=192 */
#define NR_KMALLOC_ZONES 3

struct kslab {
	struct kcache *cache;
	struct kslab *next, *prev; /* in cache->partial while it has free objects */
	char *base;
	unsigned int nr_objs, nr_free, hint;
	unsigned long used[]; /* allocated-object bitmap */
};

struct kcache {
	pthread_mutex_t lock;
	unsigned int size;
	u32 size_recip; /* offset / size is (offset * size_recip) >> 32 (kobj_find) */
	enum kdma_zone zone;
	struct kslab *partial;
};

static struct kcache kcaches[NR_KMALLOC_ZONES][NR_KMALLOC_CLASSES];
static unsigned int kmalloc_min_shift;
static pthread_once_t kcaches_once = PTHREAD_ONCE_INIT;

#define BITS_PER_UL (8 * sizeof(unsigned long))

static void kcaches_init(void)
{
	u64 minalign = kdma_opts()->dma_minalign;
	unsigned int z, i;

	kmalloc_min_shift = 3;
	while (kmalloc_min_shift < 12 && (1ULL << kmalloc_min_shift) < minalign)
		kmalloc_min_shift++;
	for (z = 0; z < NR_KMALLOC_ZONES; z++) {
		for (i = 0; i < NR_KMALLOC_CLASSES; i++) {
			pthread_mutex_init(&kcaches[z][i].lock, NULL);
			kcaches[z][i].size = i == 1 ? 96 : i == 2 ? 192 : 1u << i;
			kcaches[z][i].size_recip = 0xffffffffu / kcaches[z][i].size + 1;
			kcaches[z][i].zone = (enum kdma_zone)z;
		}
	}
}

/* The class index of a slab-sized request, as the kernel's kmalloc_index() (96 and 192 exist
 * only when the minimum alignment allows them). */
static unsigned int kmalloc_index(size_t size)
{
	unsigned int shift = kmalloc_min_shift;

	if (size > 64 && size <= 96 && kmalloc_min_shift <= 5)
		return 1;
	if (size > 128 && size <= 192 && kmalloc_min_shift <= 6)
		return 2;
	while ((1UL << shift) < size)
		shift++;
	return shift;
}

static enum kdma_zone kmalloc_zone(gfp_t flags)
{
	return flags & __GFP_DMA ? KDMA_ZONE_DMA :
	       flags & __GFP_DMA32 ? KDMA_ZONE_DMA32 : KDMA_ZONE_NORMAL;
}

static gfp_t zone_gfp(enum kdma_zone zone)
{
	return zone == KDMA_ZONE_DMA ? GFP_DMA : zone == KDMA_ZONE_DMA32 ? GFP_DMA32 : 0;
}

static void slab_list_add(struct kcache *c, struct kslab *s)
{
	s->prev = NULL;
	s->next = c->partial;
	if (c->partial)
		c->partial->prev = s;
	c->partial = s;
}

static void slab_list_del(struct kcache *c, struct kslab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static struct kslab *slab_create(struct kcache *c)
{
	unsigned int nr = SLAB_BYTES / c->size, i;
	struct kslab *s = kdma_zalloc(sizeof(*s) + (nr + BITS_PER_UL - 1) / BITS_PER_UL *
						   sizeof(unsigned long));
	struct page *page;

	if (!s)
		return NULL;
	page = kdma_alloc_pages(zone_gfp(c->zone), SLAB_ORDER);
	if (!page) {
		kdma_free(s);
		return NULL;
	}
	s->cache = c;
	s->base = page_address(page);
	s->nr_objs = s->nr_free = nr;
	for (i = 0; i < (1u << SLAB_ORDER); i++) {
		struct page *p = nth_page(page, i);

		p->private = (unsigned long)s;
		kdma_page_set_flag(p, PG_slab);
	}
	return s;
}

static void slab_destroy(struct kslab *s)
{
	struct page *page = virt_to_page(s->base);
	unsigned int i;

	for (i = 0; i < (1u << SLAB_ORDER); i++) {
		struct page *p = nth_page(page, i);

		kdma_page_clear_flag(p, PG_slab);
		p->private = 0;
	}
	kdma_free_pages(page, SLAB_ORDER);
	kdma_free(s);
}

static void *slab_alloc(struct kcache *c)
{
	struct kslab *s, *fresh = NULL;
	unsigned int i, n;

	pthread_mutex_lock(&c->lock);
	if (!c->partial) {
		/* allocate outside the lock; another thread may refill meanwhile (then keep both) */
		pthread_mutex_unlock(&c->lock);
		fresh = slab_create(c);
		if (!fresh)
			return NULL;
		pthread_mutex_lock(&c->lock);
		slab_list_add(c, fresh);
	}
	s = c->partial;
	for (n = 0, i = s->hint; n < s->nr_objs; n++, i = (i + 1) % s->nr_objs) {
		if (!(__atomic_load_n(&s->used[i / BITS_PER_UL], __ATOMIC_RELAXED) &
		      (1UL << (i % BITS_PER_UL))))
			break;
	}
	/* atomic: kdma_kmalloc_object() reads the bitmap without the lock */
	__atomic_fetch_or(&s->used[i / BITS_PER_UL], 1UL << (i % BITS_PER_UL), __ATOMIC_RELAXED);
	s->hint = (i + 1) % s->nr_objs;
	if (--s->nr_free == 0)
		slab_list_del(c, s);
	pthread_mutex_unlock(&c->lock);
	return s->base + (size_t)i * c->size;
}

static bool slab_obj_live(const struct kslab *s, unsigned int i)
{
	return __atomic_load_n(&s->used[i / BITS_PER_UL], __ATOMIC_RELAXED) & (1UL << (i % BITS_PER_UL));
}

static void *kmalloc_large(size_t size, gfp_t flags)
{
	unsigned int order = get_order(size), i;
	struct page *page;

	if (size > KMALLOC_MAX_SIZE) {
		if (!(flags & __GFP_NOWARN))
			kdma_warn(NULL, "kmalloc: %zu bytes exceeds KMALLOC_MAX_SIZE (%lu)", size,
				  KMALLOC_MAX_SIZE);
		return NULL;
	}
	page = kdma_alloc_pages(flags & (__GFP_DMA | __GFP_DMA32 | __GFP_ZERO), order);
	if (!page)
		return NULL;
	for (i = 0; i < (1u << order); i++) {
		struct page *p = nth_page(page, i);

		p->private = page_to_pfn(page);
		kdma_page_set_flag(p, PG_kdma_large);
	}
	return page_address(page);
}

void *kmalloc(size_t size, gfp_t flags)
{
	void *p;

	if (size == 0)
		return ZERO_SIZE_PTR;
	kdma_hooks_ensure();
	if (size > KMALLOC_MAX_CACHE_SIZE || kdma_kmalloc_page_private) {
		p = kmalloc_large(size, flags);
		if (p)
			vg_heap_block_alloc(p, size, !!(flags & __GFP_ZERO));
		return p;
	}
	pthread_once(&kcaches_once, kcaches_init);
	p = slab_alloc(&kcaches[kmalloc_zone(flags)][kmalloc_index(size)]);
	/* under memcheck the object is a heap block: undefined unless zeroed, and freed at kfree
	 * (so uninitialised bytes handed to a device and use after kfree are visible to it) */
	if (p)
		vg_heap_block_alloc(p, size, !!(flags & __GFP_ZERO));
	if (p && (flags & __GFP_ZERO))
		memset(p, 0, size);
	return p;
}

/* What p is, for kfree/ksize: a slab object (its slab and index), a large allocation (its head
 * page) or nothing kmalloc returned. */
struct kobj {
	struct kslab *slab;
	struct page *head;
	unsigned int idx;
	size_t size;
	const char *start;
};

/*
 * The object at byte off of a slab, without a division (as the kernel's obj_to_index): with
 * r = floor((2^32 - 1) / size) + 1, r * size = 2^32 + e for some 0 <= e < size, so
 * off * r / 2^32 exceeds off / size by less than off / 2^32, which stays under 1 / size (the
 * least distance from off / size up to the next integer) while off * size < 2^32.
 */
_Static_assert((u64)SLAB_BYTES << KMALLOC_SHIFT_HIGH < (1ULL << 32),
	       "obj_index needs slab offset * object size < 2^32");

static inline unsigned int obj_index(const struct kcache *c, size_t off)
{
	return (unsigned int)(((u64)off * c->size_recip) >> 32);
}

static bool kobj_find(const void *p, struct kobj *o, bool exact)
{
	struct page *page = kdma_virt_to_page_existing(p);

	memset(o, 0, sizeof(*o));
	if (!page)
		return false;
	if (kdma_page_test_flag(page, PG_slab)) {
		struct kslab *s = (struct kslab *)page->private;
		size_t off = (const char *)p - s->base;

		o->slab = s;
		o->idx = obj_index(s->cache, off);
		o->size = s->cache->size;
		o->start = s->base + (size_t)o->idx * o->size;
		if (o->idx >= s->nr_objs || !slab_obj_live(s, o->idx))
			return false;
	} else if (kdma_page_test_flag(page, PG_kdma_large)) {
		o->head = kdma_pfn_to_page_existing(page->private);
		if (!o->head || !kdma_page_test_flag(o->head, PG_kdma_large))
			return false;
		o->size = PAGE_SIZE << o->head->kdma_order;
		o->start = page_address(o->head);
	} else {
		return false;
	}
	return !exact || o->start == (const char *)p;
}

bool kdma_kmalloc_object(const void *p, const void **start, size_t *size)
{
	struct kobj o;

	if (ZERO_OR_NULL_PTR(p) || !kobj_find(p, &o, false))
		return false;
	*start = o.start;
	*size = o.size;
	return true;
}

/* Release an object found by kobj_find (the mem_free hook has run). */
static void kobj_release(struct kobj *o)
{
	if (o->slab) {
		struct kslab *s = o->slab, *victim = NULL;
		struct kcache *c = s->cache;
		unsigned long bit = 1UL << (o->idx % BITS_PER_UL);

		pthread_mutex_lock(&c->lock);
		/* lost a race with another kfree */
		if (!(__atomic_load_n(&s->used[o->idx / BITS_PER_UL], __ATOMIC_RELAXED) & bit)) {
			pthread_mutex_unlock(&c->lock);
			kdma_warn(NULL, "kfree: double free of %p", (const void *)o->start);
			return;
		}
		__atomic_fetch_and(&s->used[o->idx / BITS_PER_UL], ~bit, __ATOMIC_RELAXED);
		if (s->nr_free++ == 0)
			slab_list_add(c, s);
		/* keep one empty slab per class; give the rest back */
		if (s->nr_free == s->nr_objs && (s->next || s->prev)) {
			slab_list_del(c, s);
			victim = s;
		}
		pthread_mutex_unlock(&c->lock);
		if (victim)
			slab_destroy(victim);
	} else {
		unsigned int order = o->head->kdma_order, i;

		for (i = 0; i < (1u << order); i++)
			kdma_page_clear_flag(nth_page(o->head, i), PG_kdma_large);
		kdma_free_pages(o->head, order);
	}
}

/* kfree and kvfree's kmalloc half: validates, calls the hook, releases. */
static void kfree_kind(const void *p, enum kdma_free_kind kind, const char *fn)
{
	struct kobj o;

	if (ZERO_OR_NULL_PTR(p))
		return;
	kdma_hooks_ensure();
	if (!kobj_find(p, &o, true)) {
		/* Not ours to free, but the sanitizer may know what it is (coherent memory
		 * released with kfree, ...): it hears of the attempt, with an unknown size. */
		KDMA_HOOK(mem_free, p, 0, kind);
		if (o.start && o.start != (const char *)p)
			kdma_warn(NULL, "%s: %p points inside the kmalloc object at %p (+%td), not "
				  "to its start; not freed", fn, p, (const void *)o.start,
				  (const char *)p - o.start);
		else if (o.slab || o.head)
			kdma_warn(NULL, "%s: %p is already free (double free); ignored", fn, p);
		else
			kdma_warn(NULL, "%s: %p was not returned by kmalloc(); not freed", fn, p);
		return;
	}
	KDMA_HOOK(mem_free, p, o.size, kind);
	vg_heap_block_free(p);
	kobj_release(&o);
}

void kfree(const void *p)
{
	kfree_kind(p, KDMA_FREE_KFREE, "kfree");
}

void kdma_kfree_kind(const void *p, enum kdma_free_kind kind)
{
	kfree_kind(p, kind, kind == KDMA_FREE_KVFREE ? "kvfree" : "kfree");
}

size_t ksize(const void *p)
{
	struct kobj o;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	if (!kobj_find(p, &o, false)) {
		kdma_warn(NULL, "ksize: %p was not returned by kmalloc()", p);
		return 0;
	}
	return o.size;
}

size_t kmalloc_size_roundup(size_t size)
{
	if (size == 0)
		return 0;
	if (size > KMALLOC_MAX_SIZE)
		return size;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return PAGE_SIZE << get_order(size);
	pthread_once(&kcaches_once, kcaches_init);
	return kcaches[0][kmalloc_index(size)].size;
}

void *kdma_zalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void *kdma_zalloc_aligned(size_t size, size_t align)
{
	void *p;

	if (posix_memalign(&p, align, size ? size : 1))
		return NULL;
	return memset(p, 0, size);
}

void kdma_free(void *p)
{
	free(p);
}

/* The live kmalloc object containing p, as start and usable size, or 0; silent. The sanitizer
 * asks through its service table to tell a mapping sharing cache lines with other data from one
 * whose lines only hold its own object's slack (kmalloc aligns objects to ARCH_DMA_MINALIGN). */
size_t kdma_kmalloc_span(const void *p, const void **start)
{
	size_t size;

	return kdma_kmalloc_object(p, start, &size) ? size : 0;
}

/* fork (base/fork.c). */
void kdma_slab_fork_lock(void)
{
	for (unsigned int z = 0; z < NR_KMALLOC_ZONES; z++)
		for (unsigned int i = 0; i < NR_KMALLOC_CLASSES; i++)
			pthread_mutex_lock(&kcaches[z][i].lock);
}

void kdma_slab_fork_unlock(bool child)
{
	for (unsigned int z = 0; z < NR_KMALLOC_ZONES; z++)
		for (unsigned int i = 0; i < NR_KMALLOC_CLASSES; i++)
			pthread_mutex_unlock(&kcaches[z][i].lock);
}
