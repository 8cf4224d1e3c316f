// SPDX-License-Identifier: MIT
/* IOVA allocator (src/kdma/iommu/iova.c): placement, alignment, limits, caches, exhaustion, and a
 * randomised comparison of the tree allocator against a bitmap reference. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kdma/iommu/iova.h"

#define PFN_4G ((1UL << 20) - 1) /* last granule below 4 GiB */

static unsigned long pow2_up(unsigned long n)
{
	return 1UL << iova_order_base_2(n);
}

Test(iova, top_down_below_the_limit)
{
	struct iova_domain *d = iova_domain_create(1);

	cr_assert_eq(alloc_iova_fast(d, 1, PFN_4G, true), PFN_4G);
	cr_assert_eq(alloc_iova_fast(d, 1, PFN_4G, true), PFN_4G - 1);
	/* 3 granules are rounded up to 4 and aligned to 4, below what is taken */
	cr_assert_eq(alloc_iova_fast(d, 3, PFN_4G, true), PFN_4G - 7);
	cr_assert_eq(alloc_iova_fast(d, 1, 1000, true), 1000);
	cr_assert(iova_domain_check(d));
	iova_domain_destroy(d);
}

Test(iova, naturally_aligned_to_the_rounded_power_of_two)
{
	struct iova_domain *d = iova_domain_create(1);

	for (unsigned long size = 1; size <= 300; size++) {
		unsigned long pfn = alloc_iova_fast(d, size, PFN_4G, true);

		cr_assert_neq(pfn, 0, "size %lu", size);
		cr_assert_eq(pfn % pow2_up(size), 0, "size %lu at %#lx", size, pfn);
		cr_assert_leq(pfn + size - 1, PFN_4G);
	}
	cr_assert(iova_domain_check(d));
	iova_domain_destroy(d);
}

Test(iova, never_hands_out_zero_and_fails_when_exhausted)
{
	struct iova_domain *d = iova_domain_create(1);
	unsigned long seen = 0, pfn;

	/* pfns 1..7 exist below limit 7: seven single granules, then nothing */
	while ((pfn = alloc_iova_fast(d, 1, 7, true))) {
		cr_assert_geq(pfn, 1);
		cr_assert_leq(pfn, 7);
		cr_assert_eq(seen & (1UL << pfn), 0, "pfn %lu handed out twice", pfn);
		seen |= 1UL << pfn;
	}
	cr_assert_eq(seen, 0xfe);
	iova_domain_destroy(d);

	/* size-aligned 4 granules below 15: 12 and 8 and 4; 0..3 would include IOVA 0 */
	d = iova_domain_create(1);
	cr_assert_eq(alloc_iova(d, 4, 15, true), 12);
	cr_assert_eq(alloc_iova(d, 4, 15, true), 8);
	cr_assert_eq(alloc_iova(d, 4, 15, true), 4);
	cr_assert_eq(alloc_iova(d, 4, 15, true), 0);
	cr_assert(iova_domain_check(d));
	iova_domain_destroy(d);
}

Test(iova, empty_and_oversized_requests_fail)
{
	struct iova_domain *d = iova_domain_create(1);

	cr_assert_eq(alloc_iova_fast(d, 0, PFN_4G, true), 0);
	cr_assert_eq(alloc_iova(d, 0, PFN_4G, true), 0);
	cr_assert_eq(alloc_iova_fast(d, ~0UL, ~0UL, true), 0);
	cr_assert_eq(alloc_iova(d, 16, 15, false), 0, "pfn 0 is not available");
	cr_assert_eq(alloc_iova(d, 15, 15, false), 1);
	cr_assert(iova_domain_check(d));
	iova_domain_destroy(d);
}

Test(iova, a_miss_below_4g_fails_larger_requests_fast_until_a_free)
{
	struct iova_domain *d = iova_domain_create(1);
	unsigned long a = alloc_iova(d, 8, 15, true);

	cr_assert_eq(a, 8);
	cr_assert_eq(alloc_iova(d, 8, 15, true), 0);
	/* max32_alloc_size: 8 granules failed below 4 GiB, so 8+ fail at once, whatever the limit */
	cr_assert_eq(alloc_iova(d, 8, 1000, true), 0);
	cr_assert_neq(alloc_iova(d, 4, 1000, true), 0, "smaller sizes still try");
	cr_assert_neq(alloc_iova(d, 8, PFN_4G + 100, true), 0, "limits above 4 GiB are unaffected");
	cr_assert(free_iova(d, a));
	cr_assert_neq(alloc_iova(d, 8, 1000, true), 0, "a free below 4 GiB resets the hint");
	iova_domain_destroy(d);
}

Test(iova, reuse_through_the_per_cpu_cache)
{
	struct iova_domain *d = iova_domain_create(1);
	unsigned long a = alloc_iova_fast(d, 8, PFN_4G, true);

	free_iova_fast(d, a, 8);
	cr_assert_eq(iova_cached_ranges(d), 1);
	cr_assert_eq(iova_live_ranges(d), 1, "a cached range stays allocated in the tree");
	/* 5..8 granules share the size class: the cached range comes back */
	cr_assert_eq(alloc_iova_fast(d, 5, PFN_4G, true), a);
	cr_assert_eq(iova_cached_ranges(d), 0);
	/* sizes above 32 granules are never cached */
	a = alloc_iova_fast(d, 33, PFN_4G, true);
	free_iova_fast(d, a, 33);
	cr_assert_eq(iova_cached_ranges(d), 0);
	cr_assert_eq(iova_live_ranges(d), 1);
	iova_domain_destroy(d);
}

Test(iova, cached_range_above_the_limit_is_not_used)
{
	struct iova_domain *d = iova_domain_create(1);
	unsigned long hi = alloc_iova_fast(d, 1, PFN_4G, true);

	free_iova_fast(d, hi, 1);
	cr_assert_lt(alloc_iova_fast(d, 1, 100, true), 101);
	cr_assert_eq(iova_cached_ranges(d), 1);
	iova_domain_destroy(d);
}

Test(iova, exhaustion_flushes_the_caches_only_when_asked)
{
	struct iova_domain *d = iova_domain_create(1);
	unsigned long pfns[4];

	/* limit 31: 31 usable granules; fill with 8 + 8 + 8 + 4, cache them all */
	pfns[0] = alloc_iova_fast(d, 8, 31, true);
	pfns[1] = alloc_iova_fast(d, 8, 31, true);
	pfns[2] = alloc_iova_fast(d, 8, 31, true);
	pfns[3] = alloc_iova_fast(d, 4, 31, true);
	for (int i = 0; i < 4; i++)
		cr_assert_neq(pfns[i], 0);
	for (int i = 0; i < 4; i++)
		free_iova_fast(d, pfns[i], i < 3 ? 8 : 4);
	cr_assert_eq(iova_cached_ranges(d), 4);
	/* 16 granules fit only once the cached ranges go back to the tree */
	cr_assert_eq(alloc_iova_fast(d, 16, 31, false), 0);
	cr_assert_eq(alloc_iova_fast(d, 16, 31, true), 16);
	cr_assert_eq(iova_cached_ranges(d), 0);
	cr_assert(iova_domain_check(d));
	iova_domain_destroy(d);
}

Test(iova, free_of_an_unknown_pfn_is_refused)
{
	struct iova_domain *d = iova_domain_create(1);
	unsigned long a = alloc_iova(d, 4, 1000, true);

	cr_assert_not(free_iova(d, a + 100));
	cr_assert(free_iova(d, a + 2), "a pfn inside the range frees the range");
	cr_assert_not(free_iova(d, a));
	cr_assert_eq(iova_live_ranges(d), 0);
	iova_domain_destroy(d);
}

Test(iova, depot_keeps_many_magazines)
{
	struct iova_domain *d = iova_domain_create(1);
	enum { N = IOVA_MAG_SIZE * 6 };
	static unsigned long pfns[N];

	for (int i = 0; i < N; i++)
		pfns[i] = alloc_iova_fast(d, 1, PFN_4G, true);
	for (int i = 0; i < N; i++)
		free_iova_fast(d, pfns[i], 1);
	cr_assert_eq(iova_cached_ranges(d), N, "loaded + prev + depot hold every freed range");
	iova_flush_rcaches(d);
	cr_assert_eq(iova_cached_ranges(d), 0);
	cr_assert_eq(iova_live_ranges(d), 0);
	cr_assert(iova_domain_check(d));
	iova_domain_destroy(d);
}

/* ----------------------------------------------------------------- property test ---- */

#define REF_PFNS 4096 /* reference space: pfns 0..4095 */

struct ref {
	unsigned char used[REF_PFNS];
	unsigned long max32; /* the kernel's max32_alloc_size hint */
};

/* What the kernel's policy gives: the highest aligned free range at or below the limit, unless
 * a request at least as large already failed below 4 GiB since the last free. */
static unsigned long ref_alloc(struct ref *r, unsigned long size, unsigned long limit)
{
	unsigned long align = pow2_up(size);

	if (size >= r->max32) {
		r->max32 = size; /* the kernel records the size on the fast-fail path too */
		return 0;
	}
	for (long pfn = (long)((limit + 1 - size) & ~(align - 1)); pfn >= 1; pfn -= (long)align) {
		bool free_run = true;

		for (unsigned long i = 0; i < size && free_run; i++)
			free_run = !r->used[pfn + i];
		if (free_run) {
			memset(&r->used[pfn], 1, size);
			return (unsigned long)pfn;
		}
	}
	r->max32 = size;
	return 0;
}

static unsigned int xorshift(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

Test(iova, random_sequences_match_the_reference)
{
	struct iova_domain *d = iova_domain_create(1);
	static struct ref r;
	struct {
		unsigned long pfn, size;
	} live[2048];
	int nlive = 0;
	unsigned int seed = 0x1234567u;

	memset(&r, 0, sizeof(r));
	r.max32 = 1UL << 20;
	for (int step = 0; step < 20000; step++) {
		if (nlive && (xorshift(&seed) % 100 < 45 || nlive == 2048)) {
			int k = (int)(xorshift(&seed) % (unsigned int)nlive);

			cr_assert(free_iova(d, live[k].pfn));
			memset(&r.used[live[k].pfn], 0, live[k].size);
			r.max32 = 1UL << 20;
			live[k] = live[--nlive];
		} else {
			unsigned long size = 1 + xorshift(&seed) % (xorshift(&seed) % 4 ? 8 : 70);
			unsigned long limit = 64 + xorshift(&seed) % (REF_PFNS - 64);
			unsigned long got = alloc_iova(d, size, limit, true);
			unsigned long want = ref_alloc(&r, size, limit);

			cr_assert_eq(got, want, "step %d: size %lu limit %lu: got %#lx want %#lx", step,
				     size, limit, got, want);
			if (got) {
				live[nlive].pfn = got;
				live[nlive++].size = size;
			}
		}
		if (step % 1000 == 0)
			cr_assert(iova_domain_check(d), "tree invariants at step %d", step);
	}
	cr_assert(iova_domain_check(d));
	iova_domain_destroy(d);
}

/* ------------------------------------------------------------------ concurrency ---- */

struct worker {
	struct iova_domain *d;
	unsigned long pfns[4000];
	int n;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;

	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 200; i++)
			w->pfns[i] = alloc_iova_fast(w->d, 1 + i % 5, PFN_4G, true);
		for (int i = 0; i < 200; i++)
			free_iova_fast(w->d, w->pfns[i], 1 + i % 5);
	}
	w->n = 0;
	for (int i = 0; i < 4000; i++)
		w->pfns[w->n++] = alloc_iova_fast(w->d, 2, PFN_4G, true);
	return NULL;
}

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

Test(iova, two_threads_never_share_a_range)
{
	struct iova_domain *d = iova_domain_create(1);
	static struct worker w[2];
	static unsigned long all[8000];
	pthread_t t[2];

	for (int i = 0; i < 2; i++) {
		w[i].d = d;
		pthread_create(&t[i], NULL, worker_run, &w[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	memcpy(all, w[0].pfns, sizeof(w[0].pfns));
	memcpy(all + 4000, w[1].pfns, sizeof(w[1].pfns));
	qsort(all, 8000, sizeof(all[0]), cmp_ul);
	cr_assert_neq(all[0], 0);
	for (int i = 1; i < 8000; i++)
		cr_assert_geq(all[i], all[i - 1] + 2, "ranges at %#lx and %#lx overlap", all[i - 1],
			      all[i]);
	cr_assert(iova_domain_check(d));
	iova_domain_destroy(d);
}
