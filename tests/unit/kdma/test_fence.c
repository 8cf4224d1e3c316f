// SPDX-License-Identifier: MIT
/* dma_fence and dma_resv (src/kdma/fence/): the kernel's semantics, without the sanitizer. */
#include <errno.h>
#include <pthread.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/slab.h>

static DEFINE_SPINLOCK(test_lock);
static int releases, enables;
static bool hw_done;

static const char *name(struct dma_fence *f)
{
	return "test";
}

static void counting_release(struct dma_fence *f)
{
	releases++;
	dma_fence_free(f);
}

static bool counting_enable(struct dma_fence *f)
{
	enables++;
	return true;
}

static bool hw_signaled(struct dma_fence *f)
{
	return hw_done;
}

static const struct dma_fence_ops ops = {
	.get_driver_name = name,
	.get_timeline_name = name,
	.release = counting_release,
	.enable_signaling = counting_enable,
};

static const struct dma_fence_ops polled_ops = {
	.get_driver_name = name,
	.get_timeline_name = name,
	.signaled = hw_signaled,
};

static struct dma_fence *new_fence(const struct dma_fence_ops *o, u64 ctx, u64 seqno)
{
	struct dma_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	cr_assert_not_null(f);
	dma_fence_init(f, o, &test_lock, ctx, seqno);
	return f;
}

static void reset(void)
{
	releases = enables = 0;
	hw_done = false;
}

TestSuite(fence, .init = reset);

Test(fence, last_put_releases_once)
{
	struct dma_fence *f = new_fence(&ops, dma_fence_context_alloc(1), 1);

	cr_assert_eq(kref_read(&f->refcount), 1);
	cr_assert_eq(dma_fence_get(f), f);
	dma_fence_put(f);
	cr_assert_eq(releases, 0);
	dma_fence_put(f);
	cr_assert_eq(releases, 1);
	dma_fence_put(NULL);
	cr_assert_null(dma_fence_get(NULL));
}

Test(fence, signal_once_then_einval)
{
	struct dma_fence *f = new_fence(&ops, dma_fence_context_alloc(1), 1);

	cr_assert_not(dma_fence_is_signaled(f));
	cr_assert_eq(dma_fence_get_status(f), 0);
	cr_assert_eq(dma_fence_signal(f), 0);
	cr_assert(dma_fence_is_signaled(f));
	cr_assert(test_bit(DMA_FENCE_FLAG_TIMESTAMP_BIT, &f->flags));
	cr_assert_eq(dma_fence_signal(f), -EINVAL);
	cr_assert_eq(dma_fence_get_status(f), 1);
	cr_assert_eq(dma_fence_signal(NULL), -EINVAL);
	dma_fence_put(f);
}

Test(fence, signal_timestamp_is_kept)
{
	struct dma_fence *f = new_fence(&ops, dma_fence_context_alloc(1), 1);

	cr_assert_eq(dma_fence_signal_timestamp(f, 12345), 0);
	cr_assert_eq(dma_fence_timestamp(f), 12345);
	dma_fence_put(f);
}

Test(fence, error_is_the_status)
{
	struct dma_fence *f = new_fence(&ops, dma_fence_context_alloc(1), 1);

	dma_fence_set_error(f, -EIO);
	cr_assert_eq(dma_fence_get_status(f), 0);
	spin_lock(&test_lock);
	cr_assert_eq(dma_fence_signal_locked(f), 0);
	spin_unlock(&test_lock);
	cr_assert_eq(dma_fence_get_status(f), -EIO);
	dma_fence_put(f);
}

static int order[4], norder;


static void cb_three(struct dma_fence *f, struct dma_fence_cb *cb)
{
	order[norder++] = 3;
}

static void cb_one(struct dma_fence *f, struct dma_fence_cb *cb)
{
	order[norder++] = 1;
}

static void cb_two(struct dma_fence *f, struct dma_fence_cb *cb)
{
	order[norder++] = 2;
}

Test(fence, callbacks_run_in_order_once)
{
	struct dma_fence *f = new_fence(&ops, dma_fence_context_alloc(1), 1);
	struct dma_fence_cb a, b, c;

	norder = 0;
	cr_assert_eq(dma_fence_add_callback(f, &a, cb_one), 0);
	cr_assert_eq(enables, 1, "enable_signaling is asked once, on the first callback");
	cr_assert_eq(dma_fence_add_callback(f, &b, cb_two), 0);
	cr_assert_eq(dma_fence_add_callback(f, &c, cb_three), 0);
	cr_assert_eq(enables, 1);
	cr_assert(dma_fence_remove_callback(f, &c));
	cr_assert_not(dma_fence_remove_callback(f, &c));
	dma_fence_signal(f);
	cr_assert_eq(norder, 2);
	cr_assert_eq(order[0], 1);
	cr_assert_eq(order[1], 2);
	cr_assert(list_empty(&a.node));
	cr_assert_not(dma_fence_remove_callback(f, &a), "a run callback is no longer queued");
	cr_assert_eq(dma_fence_add_callback(f, &a, cb_one), -ENOENT);
	cr_assert(list_empty(&a.node));
	cr_assert_eq(norder, 2, "a rejected callback never runs");
	dma_fence_put(f);
}

Test(fence, polled_signaled_op)
{
	struct dma_fence *f = new_fence(&polled_ops, dma_fence_context_alloc(1), 1);

	cr_assert_not(dma_fence_is_signaled(f));
	hw_done = true;
	cr_assert(dma_fence_is_signaled(f));
	cr_assert(test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &f->flags));
	dma_fence_put(f);
}

Test(fence, wait_timeout_results)
{
	struct dma_fence *f = new_fence(&ops, dma_fence_context_alloc(1), 1);

	cr_assert_eq(dma_fence_wait_timeout(f, false, 0), 0);
	cr_assert_eq(dma_fence_wait_timeout(f, false, 1), 0);
	cr_assert_eq(dma_fence_wait_timeout(f, false, -1), -EINVAL);
	dma_fence_signal(f);
	cr_assert_eq(dma_fence_wait_timeout(f, false, 0), 1);
	cr_assert_gt(dma_fence_wait_timeout(f, false, 100), 0);
	cr_assert_eq(dma_fence_wait(f, true), 0);
	dma_fence_put(f);
}

static void *signaller(void *arg)
{
	dma_fence_signal(arg);
	return NULL;
}

Test(fence, wait_sleeps_until_another_thread_signals)
{
	struct dma_fence *f = new_fence(&ops, dma_fence_context_alloc(1), 1);
	pthread_t t;

	cr_assert_eq(pthread_create(&t, NULL, signaller, f), 0);
	cr_assert_eq(dma_fence_wait(f, false), 0);
	cr_assert(dma_fence_is_signaled(f));
	pthread_join(t, NULL);
	cr_assert(list_empty(&f->cb_list), "the waiter's callback is gone");
	dma_fence_put(f);
}

Test(fence, contexts_and_seqno_order)
{
	u64 a = dma_fence_context_alloc(2), b = dma_fence_context_alloc(1);
	struct dma_fence *f1 = new_fence(&ops, a, 0xfffffffe), *f2 = new_fence(&ops, a, 3);

	cr_assert_eq(b, a + 2);
	cr_assert_neq(a, 0);
	cr_assert(dma_fence_is_later(f2, f1), "32-bit seqnos wrap");
	cr_assert_not(dma_fence_is_later(f1, f2));
	cr_assert(dma_fence_is_later_or_same(f1, f1));
	cr_assert_eq(dma_fence_later(f1, f2), f2);
	dma_fence_signal(f2);
	cr_assert_null(dma_fence_later(f1, f2), "the later one already signalled");
	dma_fence_signal(f1);
	dma_fence_put(f1);
	dma_fence_put(f2);
}

Test(fence, stubs_are_signalled)
{
	struct dma_fence *s = dma_fence_get_stub(), *p = dma_fence_allocate_private_stub(77);

	cr_assert(dma_fence_is_signaled(s));
	cr_assert_eq(dma_fence_get_stub(), s);
	dma_fence_put(s);
	dma_fence_put(s);
	cr_assert(dma_fence_is_signaled(p));
	cr_assert_eq(dma_fence_timestamp(p), 77);
	cr_assert_neq(p->context, s->context);
	dma_fence_put(p);
}

Test(fence, signalling_cookie_nests)
{
	bool outer = dma_fence_begin_signalling();
	bool inner = dma_fence_begin_signalling();

	cr_assert_not(outer);
	cr_assert(inner);
	dma_fence_end_signalling(inner);
	dma_fence_end_signalling(outer);
	cr_assert_not(dma_fence_begin_signalling());
	dma_fence_end_signalling(false);
}

Test(fence, release_with_pending_callbacks_fails_the_fence)
{
	struct dma_fence *f = new_fence(&ops, dma_fence_context_alloc(1), 1);
	struct dma_fence_cb cb;

	norder = 0;
	dma_fence_add_callback(f, &cb, cb_one);
	dma_fence_put(f);
	cr_assert_eq(norder, 1, "the pending callback ran at release");
	cr_assert_eq(releases, 1);
}

Test(resv, add_fence_replaces_and_filters_by_usage)
{
	u64 ctx = dma_fence_context_alloc(2);
	struct dma_fence *w1 = new_fence(&ops, ctx, 1), *w2 = new_fence(&ops, ctx, 2);
	struct dma_fence *r = new_fence(&ops, ctx + 1, 1), *f;
	struct dma_resv_iter cursor;
	struct dma_resv obj;
	int n = 0;

	dma_resv_init(&obj);
	dma_resv_lock(&obj, NULL);
	cr_assert_eq(dma_resv_reserve_fences(&obj, 2), 0);
	dma_resv_add_fence(&obj, w1, DMA_RESV_USAGE_WRITE);
	dma_resv_add_fence(&obj, r, DMA_RESV_USAGE_READ);
	cr_assert_eq(dma_resv_reserve_fences(&obj, 1), 0);
	dma_resv_add_fence(&obj, w2, DMA_RESV_USAGE_WRITE);
	dma_resv_for_each_fence(&cursor, &obj, DMA_RESV_USAGE_BOOKKEEP, f)
		n++;
	cr_assert_eq(n, 2, "w2 replaced w1 of the same context");
	cr_assert_eq(kref_read(&w1->refcount), 1, "the replaced fence's reference was dropped");
	n = 0;
	dma_resv_for_each_fence(&cursor, &obj, DMA_RESV_USAGE_WRITE, f) {
		cr_assert_eq(f, w2);
		cr_assert_eq(dma_resv_iter_usage(&cursor), DMA_RESV_USAGE_WRITE);
		n++;
	}
	cr_assert_eq(n, 1, "WRITE does not return READ fences");
	n = 0;
	dma_resv_for_each_fence(&cursor, &obj, DMA_RESV_USAGE_READ, f)
		n++;
	cr_assert_eq(n, 2, "READ returns the WRITE fences too");
	dma_resv_unlock(&obj);

	cr_assert_not(dma_resv_test_signaled(&obj, DMA_RESV_USAGE_READ));
	cr_assert_eq(dma_resv_wait_timeout(&obj, DMA_RESV_USAGE_READ, false, 0), 0);
	dma_fence_signal(w2);
	cr_assert(dma_resv_test_signaled(&obj, DMA_RESV_USAGE_WRITE));
	cr_assert_not(dma_resv_test_signaled(&obj, DMA_RESV_USAGE_READ));
	dma_fence_signal(r);
	cr_assert_gt(dma_resv_wait_timeout(&obj, DMA_RESV_USAGE_BOOKKEEP, false, 10), 0);
	n = 0;
	dma_resv_iter_begin(&cursor, &obj, DMA_RESV_USAGE_BOOKKEEP);
	dma_resv_for_each_fence_unlocked(&cursor, f)
		n++;
	dma_resv_iter_end(&cursor);
	cr_assert_eq(n, 0, "the unlocked walk skips signalled fences");
	dma_resv_fini(&obj);
	cr_assert_eq(kref_read(&w2->refcount), 1);
	dma_fence_put(w1);
	dma_fence_put(w2);
	dma_fence_put(r);
	cr_assert_eq(releases, 3);
}

Test(fence, null_fence_warns_instead_of_crashing, .init = cr_redirect_stderr)
{
	struct dma_fence_cb cb;

	cr_assert_eq(dma_fence_wait_timeout(NULL, false, 1), -EINVAL);
	cr_assert(dma_fence_is_signaled(NULL));
	cr_assert_eq(dma_fence_get_status(NULL), -EINVAL);
	cr_assert_eq(dma_fence_add_callback(NULL, &cb, cb_one), -EINVAL);
	cr_assert_not(dma_fence_remove_callback(NULL, &cb));
	dma_fence_enable_sw_signaling(NULL);
	fflush(stderr);
	cr_assert_stderr_neq_str("", "each misuse is reported");
}
