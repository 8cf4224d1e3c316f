// SPDX-License-Identifier: MIT
/* dma_fence_array and dma_fence_chain (src/kdma/fence/): the kernel's semantics. */
#include <errno.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <linux/dma-fence-array.h>
#include <linux/dma-fence-chain.h>
#include <linux/slab.h>

static DEFINE_SPINLOCK(test_lock);
static int releases;

static const char *name(struct dma_fence *f)
{
	return "test";
}

static void counting_release(struct dma_fence *f)
{
	__atomic_add_fetch(&releases, 1, __ATOMIC_SEQ_CST);
	dma_fence_free(f);
}

static const struct dma_fence_ops ops = {
	.get_driver_name = name,
	.get_timeline_name = name,
	.release = counting_release,
};

static struct dma_fence *new_fence(u64 ctx, u64 seqno)
{
	struct dma_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	cr_assert_not_null(f);
	dma_fence_init(f, &ops, &test_lock, ctx, seqno);
	return f;
}

/* n fences on one new context, in a kmalloc'd array as dma_fence_array_create wants it. */
static struct dma_fence **new_fences(unsigned int n, u64 *ctx)
{
	struct dma_fence **fences = kcalloc(n, sizeof(*fences), GFP_KERNEL);

	cr_assert_not_null(fences);
	*ctx = dma_fence_context_alloc(1);
	for (unsigned int i = 0; i < n; i++)
		fences[i] = new_fence(*ctx, i + 1);
	return fences;
}

static void reset(void)
{
	releases = 0;
}

TestSuite(fence_array, .init = reset);

Test(fence_array, signals_when_all_have)
{
	u64 ctx;
	struct dma_fence **f = new_fences(3, &ctx);
	struct dma_fence_array *a = dma_fence_array_create(3, f, dma_fence_context_alloc(1), 7,
							   false);

	cr_assert_not_null(a);
	cr_assert(dma_fence_is_array(&a->base));
	cr_assert(dma_fence_is_container(&a->base));
	cr_assert_eq(to_dma_fence_array(&a->base), a);
	cr_assert_eq(a->base.seqno, 7);
	dma_fence_enable_sw_signaling(&a->base);
	dma_fence_signal(f[0]);
	dma_fence_signal(f[2]);
	cr_assert_not(dma_fence_is_signaled(&a->base));
	cr_assert_eq(dma_fence_get_status(&a->base), 0);
	dma_fence_signal(f[1]);
	cr_assert_eq(dma_fence_wait(&a->base, false), 0);
	cr_assert_eq(dma_fence_get_status(&a->base), 1);
	dma_fence_put(&a->base);
}

Test(fence_array, signal_on_any)
{
	u64 ctx;
	struct dma_fence **f = new_fences(3, &ctx);
	struct dma_fence_array *a = dma_fence_array_create(3, f, dma_fence_context_alloc(1), 1,
							   true);

	dma_fence_enable_sw_signaling(&a->base);
	cr_assert_not(dma_fence_is_signaled(&a->base));
	dma_fence_signal(f[1]);
	cr_assert_eq(dma_fence_wait(&a->base, false), 0);
	cr_assert_not(dma_fence_is_signaled(f[0]));
	dma_fence_signal(f[0]);
	dma_fence_signal(f[2]);
	dma_fence_put(&a->base);
}

Test(fence_array, lazy_until_asked)
{
	u64 ctx;
	struct dma_fence **f = new_fences(2, &ctx);
	struct dma_fence_array *a = dma_fence_array_create(2, f, dma_fence_context_alloc(1), 1,
							   false);

	dma_fence_signal(f[0]);
	dma_fence_signal(f[1]);
	cr_assert_not(test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &a->base.flags),
		      "nobody asked: the array did not watch its fences");
	cr_assert(dma_fence_is_signaled(&a->base), "asking looks at the fences");
	cr_assert(test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &a->base.flags));
	cr_assert_eq(dma_fence_get_status(&a->base), 1);
	dma_fence_put(&a->base);
}

Test(fence_array, enabled_after_all_signalled_signals_at_once)
{
	u64 ctx;
	struct dma_fence **f = new_fences(2, &ctx);
	struct dma_fence_array *a = dma_fence_array_create(2, f, dma_fence_context_alloc(1), 1,
							   false);

	dma_fence_signal(f[0]);
	dma_fence_signal(f[1]);
	dma_fence_enable_sw_signaling(&a->base);
	cr_assert(test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &a->base.flags));
	cr_assert_eq(kref_read(&a->base.refcount), 1, "no callback holds the array");
	dma_fence_put(&a->base);
	cr_assert_eq(releases, 2);
}

Test(fence_array, first_error_propagates)
{
	u64 ctx;
	struct dma_fence **f = new_fences(3, &ctx);
	struct dma_fence_array *a = dma_fence_array_create(3, f, dma_fence_context_alloc(1), 1,
							   false);

	dma_fence_enable_sw_signaling(&a->base);
	dma_fence_signal(f[0]);
	dma_fence_set_error(f[2], -EIO);
	dma_fence_signal(f[2]);
	dma_fence_set_error(f[1], -ENODEV);
	dma_fence_signal(f[1]);
	cr_assert_eq(dma_fence_wait(&a->base, false), 0);
	cr_assert_eq(dma_fence_get_status(&a->base), -EIO);
	cr_assert_eq(a->base.error, -EIO);
	dma_fence_put(&a->base);
}

Test(fence_array, error_of_a_fence_signalled_before_enabling)
{
	u64 ctx;
	struct dma_fence **f = new_fences(2, &ctx);
	struct dma_fence_array *a = dma_fence_array_create(2, f, dma_fence_context_alloc(1), 1,
							   false);

	dma_fence_set_error(f[1], -ETIMEDOUT);
	dma_fence_signal(f[1]);
	dma_fence_enable_sw_signaling(&a->base);
	dma_fence_signal(f[0]);
	cr_assert_eq(dma_fence_wait(&a->base, false), 0);
	cr_assert_eq(dma_fence_get_status(&a->base), -ETIMEDOUT);
	dma_fence_put(&a->base);
}

Test(fence_array, release_puts_every_fence_once)
{
	u64 ctx;
	struct dma_fence **f = new_fences(3, &ctx);
	struct dma_fence_array *a = dma_fence_array_create(3, f, dma_fence_context_alloc(1), 1,
							   false);

	dma_fence_get(f[1]); /* ours, beyond the one the array took over */
	for (int i = 0; i < 3; i++)
		dma_fence_signal(f[i]);
	dma_fence_put(&a->base);
	cr_assert_eq(releases, 2);
	cr_assert_eq(kref_read(&f[1]->refcount), 1);
	dma_fence_put(f[1]);
	cr_assert_eq(releases, 3);
}

Test(fence_array, pending_callbacks_hold_the_array)
{
	u64 ctx;
	struct dma_fence **f = new_fences(3, &ctx);
	struct dma_fence_array *a = dma_fence_array_create(3, f, dma_fence_context_alloc(1), 1,
							   false);

	dma_fence_enable_sw_signaling(&a->base);
	cr_assert_eq(kref_read(&a->base.refcount), 4, "one per callback on a fence");
	dma_fence_signal(f[0]);
	cr_assert_eq(kref_read(&a->base.refcount), 3);
	dma_fence_signal(f[1]);
	cr_assert_eq(kref_read(&a->base.refcount), 2);
	dma_fence_get(&a->base);
	dma_fence_put(&a->base);
	cr_assert_eq(releases, 0);
	dma_fence_signal(f[2]);
	cr_assert_eq(dma_fence_wait(&a->base, false), 0);
	dma_fence_put(&a->base);
}

Test(fence_array, for_each_first_next)
{
	u64 ctx;
	struct dma_fence **f = new_fences(3, &ctx);
	struct dma_fence_array *a = dma_fence_array_create(3, f, ctx + 100, 1, false);
	struct dma_fence *plain = new_fence(ctx, 9), *it;
	unsigned int i, n = 0;

	dma_fence_array_for_each(it, i, &a->base) {
		cr_assert_eq(it, f[i]);
		n++;
	}
	cr_assert_eq(n, 3);
	cr_assert_eq(dma_fence_array_first(plain), plain, "a plain fence is its own first");
	cr_assert_null(dma_fence_array_next(plain, 1));
	cr_assert_null(dma_fence_array_first(NULL));
	cr_assert_null(to_dma_fence_array(plain));
	cr_assert_null(to_dma_fence_array(NULL));
	cr_assert(dma_fence_match_context(&a->base, ctx), "every fence is on ctx");
	cr_assert(dma_fence_match_context(plain, ctx));
	cr_assert_not(dma_fence_match_context(plain, ctx + 1));
	dma_fence_signal(plain);
	dma_fence_put(plain);
	for (i = 0; i < 3; i++)
		dma_fence_signal(f[i]);
	dma_fence_put(&a->base);
}

static void *signaller(void *fence)
{
	dma_fence_signal(fence);
	return NULL;
}

Test(fence_array, bad_input_is_refused)
{
	struct dma_fence *holes[2] = { NULL, NULL };

	cr_assert_null(dma_fence_array_create(0, holes, 1, 1, false));
	cr_assert_null(dma_fence_array_create(2, NULL, 1, 1, false));
	cr_assert_null(dma_fence_array_create(2, holes, 1, 1, false));
}

Test(fence_array, waits_across_threads)
{
	u64 ctx;
	struct dma_fence **f = new_fences(2, &ctx);
	struct dma_fence_array *a = dma_fence_array_create(2, f, dma_fence_context_alloc(1), 1,
							   false);
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, signaller, f[i]), 0);
	cr_assert_eq(dma_fence_wait(&a->base, false), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	dma_fence_put(&a->base);
}

/* ---- chains ---- */

TestSuite(fence_chain, .init = reset);

/* links[i] holds fences[i] at seqno i + 1, each after the one before. */
static void build_chain(struct dma_fence_chain **links, struct dma_fence **fences, int n)
{
	u64 ctx = dma_fence_context_alloc(1);

	for (int i = 0; i < n; i++) {
		links[i] = dma_fence_chain_alloc();
		cr_assert_not_null(links[i]);
		fences[i] = new_fence(ctx, i + 1);
		dma_fence_chain_init(links[i], i ? dma_fence_get(&links[i - 1]->base) : NULL,
				     fences[i], i + 1);
	}
}

static void put_links(struct dma_fence_chain **links, int n)
{
	for (int i = 0; i < n; i++)
		dma_fence_put(&links[i]->base);
}

Test(fence_chain, contexts_and_seqnos)
{
	struct dma_fence_chain *l[3], *back;
	struct dma_fence *f[3];

	build_chain(l, f, 3);
	cr_assert(dma_fence_is_chain(&l[0]->base));
	cr_assert(dma_fence_is_container(&l[0]->base));
	cr_assert_eq(to_dma_fence_chain(&l[1]->base), l[1]);
	cr_assert_null(to_dma_fence_chain(f[1]));
	cr_assert_eq(l[1]->base.context, l[0]->base.context, "a later point continues it");
	cr_assert_eq(l[2]->base.context, l[0]->base.context);
	cr_assert_eq(l[2]->base.seqno, 3);
	cr_assert_eq(l[2]->prev_seqno, 2);
	cr_assert_eq(l[0]->prev_seqno, 0);
	cr_assert_eq(dma_fence_chain_contained(&l[1]->base), f[1]);
	cr_assert_eq(dma_fence_chain_contained(f[1]), f[1]);

	/* Going back in seqno starts a new context at the later seqno. */
	back = dma_fence_chain_alloc();
	dma_fence_chain_init(back, dma_fence_get(&l[2]->base), new_fence(99, 1), 2);
	cr_assert_neq(back->base.context, l[2]->base.context);
	cr_assert_eq(back->base.seqno, 3);
	cr_assert_eq(back->prev_seqno, 0);
	for (int i = 0; i < 3; i++)
		dma_fence_signal(f[i]);
	dma_fence_signal(back->fence);
	dma_fence_put(&back->base);
	put_links(l, 3);
}

Test(fence_chain, signalled_when_fence_and_all_before_are)
{
	struct dma_fence_chain *l[3];
	struct dma_fence *f[3];

	build_chain(l, f, 3);
	dma_fence_signal(f[2]);
	cr_assert_not(dma_fence_is_signaled(&l[2]->base), "earlier points are pending");
	dma_fence_signal(f[0]);
	cr_assert(dma_fence_is_signaled(&l[0]->base));
	cr_assert_not(dma_fence_is_signaled(&l[2]->base));
	dma_fence_signal(f[1]);
	cr_assert(dma_fence_is_signaled(&l[2]->base));
	put_links(l, 3);
}

Test(fence_chain, wait_follows_the_chain)
{
	struct dma_fence_chain *l[3];
	struct dma_fence *f[3];

	build_chain(l, f, 3);
	dma_fence_enable_sw_signaling(&l[2]->base);
	dma_fence_signal(f[2]);
	dma_fence_signal(f[0]);
	cr_assert_not(dma_fence_is_signaled(&l[2]->base));
	dma_fence_signal(f[1]);
	cr_assert_eq(dma_fence_wait(&l[2]->base, false), 0);
	cr_assert(test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &l[2]->base.flags));
	put_links(l, 3);
}

Test(fence_chain, walk_skips_and_unlinks_signalled_points)
{
	struct dma_fence_chain *l[4];
	struct dma_fence *f[4], *it, *seen[4];
	int n = 0;

	build_chain(l, f, 4);
	dma_fence_signal(f[1]);
	dma_fence_chain_for_each(it, &l[3]->base) {
		cr_assert_lt(n, 4);
		seen[n++] = it;
	}
	cr_assert_eq(n, 3);
	cr_assert_eq(seen[0], &l[3]->base);
	cr_assert_eq(seen[1], &l[2]->base);
	cr_assert_eq(seen[2], &l[0]->base, "the signalled point 2 was skipped");
	cr_assert_eq(l[2]->prev, &l[0]->base, "and unlinked");
	for (int i = 0; i < 4; i++)
		if (i != 1)
			dma_fence_signal(f[i]);
	put_links(l, 4);
}

Test(fence_chain, break_keeps_the_iterators_reference)
{
	struct dma_fence_chain *l[2];
	struct dma_fence *f[2], *it;
	unsigned int before;

	build_chain(l, f, 2);
	before = kref_read(&l[0]->base.refcount);
	dma_fence_chain_for_each(it, &l[1]->base) {
		if (it == &l[0]->base)
			break;
	}
	cr_assert_eq(kref_read(&l[0]->base.refcount), before + 1);
	dma_fence_put(it);
	dma_fence_signal(f[0]);
	dma_fence_signal(f[1]);
	put_links(l, 2);
}

Test(fence_chain, find_seqno)
{
	struct dma_fence_chain *l[3];
	struct dma_fence *f[3], *p;

	build_chain(l, f, 3);
	p = dma_fence_get(&l[2]->base);
	cr_assert_eq(dma_fence_chain_find_seqno(&p, 0), 0);
	cr_assert_eq(p, &l[2]->base, "seqno 0: no change");
	cr_assert_eq(dma_fence_chain_find_seqno(&p, 4), -EINVAL, "later than the chain");
	cr_assert_eq(dma_fence_chain_find_seqno(&p, 2), 0);
	cr_assert_eq(p, &l[1]->base);
	dma_fence_put(p);

	p = dma_fence_get(f[0]);
	cr_assert_eq(dma_fence_chain_find_seqno(&p, 1), -EINVAL, "not a chain");
	dma_fence_put(p);

	dma_fence_signal(f[0]);
	dma_fence_signal(f[1]);
	p = dma_fence_get(&l[2]->base);
	cr_assert_eq(dma_fence_chain_find_seqno(&p, 2), 0);
	cr_assert_null(p, "every point up to 2 signalled");
	dma_fence_signal(f[2]);
	put_links(l, 3);
}

Test(fence_chain, release_puts_links_and_fences)
{
	struct dma_fence_chain *l[3];
	struct dma_fence *f[3];

	build_chain(l, f, 3);
	for (int i = 0; i < 3; i++)
		dma_fence_signal(f[i]);
	dma_fence_put(&l[0]->base);
	dma_fence_put(&l[1]->base);
	cr_assert_eq(releases, 0, "the newest link holds the others");
	dma_fence_put(&l[2]->base);
	cr_assert_eq(releases, 3);
}

Test(fence_chain, alloc_and_free_unused)
{
	struct dma_fence_chain *c = dma_fence_chain_alloc();

	cr_assert_not_null(c);
	dma_fence_chain_free(c);
}

/* The containers' worker thread is the parent's: a child of fork() must get its own. */
Test(fence_array, signals_in_a_forked_child)
{
	int status;
	pid_t pid;

	for (int round = 0; round < 2; round++) {
		u64 ctx;
		struct dma_fence **f = new_fences(1, &ctx);
		struct dma_fence_array *a = dma_fence_array_create(1, f, dma_fence_context_alloc(1),
								   1, false);

		if (round == 1) {
			pid = fork();
			cr_assert_geq(pid, 0);
			if (pid) {
				dma_fence_signal(f[0]);
				dma_fence_put(&a->base);
				break;
			}
		}
		dma_fence_enable_sw_signaling(&a->base);
		dma_fence_signal(f[0]); /* the worker signals the array */
		dma_fence_wait(&a->base, false);
		dma_fence_put(&a->base);
		if (round == 1)
			_exit(0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
