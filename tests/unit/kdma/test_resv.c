// SPDX-License-Identifier: MIT
/*
 * dma_resv's unlocked walk (src/kdma/fence/dma_resv.c): it takes no lock, so a caller holding
 * the resv lock may use it; it hands out referenced, live fences while writers change the list;
 * it starts again when the list was replaced; what writers drop outlives the readers' steps.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>

#include <criterion/criterion.h>

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/slab.h>

static DEFINE_SPINLOCK(test_lock);

/* A fence whose release marks it dead and keeps the memory until the test frees it. */
struct test_fence {
	struct dma_fence base;
	int alive;
	struct test_fence *next_dead;
};

static struct test_fence *dead_list;
static pthread_mutex_t dead_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *name(struct dma_fence *f)
{
	return "resv-test";
}

static void mark_dead(struct dma_fence *f)
{
	struct test_fence *t = container_of(f, struct test_fence, base);

	__atomic_store_n(&t->alive, 0, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&dead_lock);
	t->next_dead = dead_list;
	dead_list = t;
	pthread_mutex_unlock(&dead_lock);
}

static void free_dead(void)
{
	pthread_mutex_lock(&dead_lock);
	while (dead_list) {
		struct test_fence *t = dead_list;

		dead_list = t->next_dead;
		kfree(t);
	}
	pthread_mutex_unlock(&dead_lock);
}

static const struct dma_fence_ops ops = {
	.get_driver_name = name,
	.get_timeline_name = name,
	.release = mark_dead,
};

static struct dma_fence *new_fence(const struct dma_fence_ops *o, u64 ctx, u64 seqno)
{
	struct test_fence *t = kzalloc(sizeof(*t), GFP_KERNEL);

	cr_assert_not_null(t);
	t->alive = 1;
	dma_fence_init(&t->base, o, &test_lock, ctx, seqno);
	return &t->base;
}

static bool fence_alive(struct dma_fence *f)
{
	return __atomic_load_n(&container_of(f, struct test_fence, base)->alive, __ATOMIC_SEQ_CST);
}

static void add_locked(struct dma_resv *obj, struct dma_fence *f, enum dma_resv_usage usage)
{
	cr_assert_eq(dma_resv_reserve_fences(obj, 1), 0);
	dma_resv_add_fence(obj, f, usage);
}

/* The end of a test: the object, the test's references to its fences, the released fences. */
static void teardown(struct dma_resv *obj, struct dma_fence *a, struct dma_fence *b,
		     struct dma_fence *c)
{
	dma_resv_fini(obj);
	dma_fence_put(a);
	dma_fence_put(b);
	dma_fence_put(c);
	free_dead();
}

/* The kernel lets a lock holder use the unlocked helpers; they must not take the lock again. */
Test(resv_unlocked, usable_while_holding_the_lock, .timeout = 20)
{
	struct dma_fence *k = new_fence(&ops, dma_fence_context_alloc(1), 1), *f;
	struct dma_resv_iter cursor;
	struct dma_resv obj;
	int n = 0;

	dma_resv_init(&obj);
	dma_resv_lock(&obj, NULL);
	add_locked(&obj, k, DMA_RESV_USAGE_KERNEL);
	cr_assert_not(dma_resv_test_signaled(&obj, DMA_RESV_USAGE_KERNEL));
	cr_assert_eq(dma_resv_wait_timeout(&obj, DMA_RESV_USAGE_KERNEL, true, 0), 0);
	dma_resv_iter_begin(&cursor, &obj, DMA_RESV_USAGE_KERNEL);
	dma_resv_for_each_fence_unlocked(&cursor, f) {
		cr_assert_eq(f, k);
		n++;
	}
	dma_resv_iter_end(&cursor);
	cr_assert_eq(n, 1);
	dma_fence_signal(k);
	cr_assert_gt(dma_resv_wait_timeout(&obj, DMA_RESV_USAGE_KERNEL, true,
					   MAX_SCHEDULE_TIMEOUT), 0);
	cr_assert(dma_resv_test_signaled(&obj, DMA_RESV_USAGE_BOOKKEEP));
	cr_assert(dma_resv_is_locked(&obj), "still the caller's lock");
	dma_resv_unlock(&obj);
	teardown(&obj, k, NULL, NULL);
}

Test(resv_unlocked, get_fences_and_singleton)
{
	u64 ctx = dma_fence_context_alloc(3);
	struct dma_fence *w = new_fence(&ops, ctx, 1), *r = new_fence(&ops, ctx + 1, 1);
	struct dma_fence *b = new_fence(&ops, ctx + 2, 1), *one, **fences;
	struct dma_resv obj;
	unsigned int n;

	dma_resv_init(&obj);
	cr_assert_eq(dma_resv_get_singleton(&obj, DMA_RESV_USAGE_BOOKKEEP, &one), 0);
	cr_assert_null(one, "no fences: no fence");
	dma_resv_lock(&obj, NULL);
	add_locked(&obj, w, DMA_RESV_USAGE_WRITE);
	add_locked(&obj, r, DMA_RESV_USAGE_READ);
	add_locked(&obj, b, DMA_RESV_USAGE_BOOKKEEP);
	cr_assert_eq(dma_resv_get_fences(&obj, DMA_RESV_USAGE_READ, &n, &fences), 0);
	dma_resv_unlock(&obj);
	cr_assert_eq(n, 2, "READ: the WRITE and READ fences");
	cr_assert(fences[0] != b && fences[1] != b);
	cr_assert_eq(kref_read(&fences[0]->refcount), 3, "creator, resv and the array");
	dma_fence_put(fences[0]);
	dma_fence_put(fences[1]);
	kfree(fences);

	cr_assert_eq(dma_resv_get_singleton(&obj, DMA_RESV_USAGE_WRITE, &one), 0);
	cr_assert_eq(one, w, "a single fence is itself");
	dma_fence_put(one);
	cr_assert_eq(dma_resv_get_singleton(&obj, DMA_RESV_USAGE_BOOKKEEP, &one), 0);
	cr_assert(dma_fence_is_array(one), "several fences: an array of them");
	dma_fence_signal(w);
	dma_fence_signal(r);
	cr_assert_not(dma_fence_is_signaled(one));
	dma_fence_signal(b);
	dma_fence_wait(one, false);
	dma_fence_put(one);
	cr_assert_eq(dma_resv_get_fences(&obj, DMA_RESV_USAGE_BOOKKEEP, &n, &fences), 0);
	cr_assert_eq(n, 0, "signalled fences are not returned");
	cr_assert_null(fences);
	teardown(&obj, w, r, b);
}

Test(resv_unlocked, replace_fences_of_a_context)
{
	u64 ctx = dma_fence_context_alloc(2);
	struct dma_fence *a = new_fence(&ops, ctx, 1), *c = new_fence(&ops, ctx + 1, 1);
	struct dma_fence *pt = new_fence(&ops, ctx + 1, 7), *f;
	struct dma_resv_iter cursor;
	struct dma_resv obj;
	int n = 0;

	dma_resv_init(&obj);
	dma_resv_lock(&obj, NULL);
	add_locked(&obj, a, DMA_RESV_USAGE_READ);
	add_locked(&obj, c, DMA_RESV_USAGE_BOOKKEEP);
	dma_resv_replace_fences(&obj, ctx + 1, pt, DMA_RESV_USAGE_KERNEL);
	cr_assert_eq(kref_read(&c->refcount), 1, "the replaced fence lost the resv's reference");
	dma_resv_for_each_fence(&cursor, &obj, DMA_RESV_USAGE_KERNEL, f) {
		cr_assert_eq(f, pt);
		n++;
	}
	cr_assert_eq(n, 1);
	dma_resv_unlock(&obj);
	teardown(&obj, a, c, pt);
}

/* A walk that finds its list replaced starts over, and says so. */
Test(resv_unlocked, restarts_when_the_list_was_replaced)
{
	u64 ctx = dma_fence_context_alloc(3);
	struct dma_fence *a = new_fence(&ops, ctx, 1), *b = new_fence(&ops, ctx + 1, 1);
	struct dma_fence *c = new_fence(&ops, ctx + 2, 1), *f;
	struct dma_resv_iter cursor;
	struct dma_resv obj;

	dma_resv_init(&obj);
	dma_resv_lock(&obj, NULL);
	add_locked(&obj, a, DMA_RESV_USAGE_READ);
	add_locked(&obj, b, DMA_RESV_USAGE_READ);
	dma_resv_unlock(&obj);

	dma_resv_iter_begin(&cursor, &obj, DMA_RESV_USAGE_READ);
	f = dma_resv_iter_first_unlocked(&cursor);
	cr_assert_eq(f, a);
	cr_assert(dma_resv_iter_is_restarted(&cursor));
	cr_assert_eq(dma_resv_iter_next_unlocked(&cursor), b);
	cr_assert_not(dma_resv_iter_is_restarted(&cursor));
	/* a writer grows the list: the cursor's list is replaced (and may be freed) */
	dma_resv_lock(&obj, NULL);
	cr_assert_eq(dma_resv_reserve_fences(&obj, 64), 0);
	dma_resv_add_fence(&obj, c, DMA_RESV_USAGE_READ);
	dma_resv_unlock(&obj);
	f = dma_resv_iter_next_unlocked(&cursor);
	cr_assert(dma_resv_iter_is_restarted(&cursor), "the list changed: start again");
	cr_assert_eq(f, a);
	cr_assert_eq(dma_resv_iter_next_unlocked(&cursor), b);
	cr_assert_eq(dma_resv_iter_next_unlocked(&cursor), c);
	cr_assert_null(dma_resv_iter_next_unlocked(&cursor));
	dma_resv_iter_end(&cursor);
	teardown(&obj, a, b, c);
}

/*
 * A reader paused inside its step (in ops->signaled, which the walk polls): what a writer drops
 * meanwhile, the replaced fence's reference and the outgrown list, waits for the step to end.
 */
static sem_t in_step, go_on;
static struct dma_resv step_obj;

static bool pause_in_step(struct dma_fence *f)
{
	sem_post(&in_step);
	sem_wait(&go_on);
	return false;
}

static const struct dma_fence_ops pausing_ops = {
	.get_driver_name = name,
	.get_timeline_name = name,
	.release = mark_dead,
	.signaled = pause_in_step,
};

static void *walk_once(void *arg)
{
	struct dma_resv_iter cursor;
	struct dma_fence *f;

	dma_resv_iter_begin(&cursor, &step_obj, DMA_RESV_USAGE_BOOKKEEP);
	f = dma_resv_iter_first_unlocked(&cursor);
	dma_resv_iter_end(&cursor);
	return f;
}

Test(resv_unlocked, writers_release_after_the_readers_step)
{
	u64 ctx = dma_fence_context_alloc(2);
	struct dma_fence *old = new_fence(&pausing_ops, ctx, 1);
	struct dma_fence *newer = new_fence(&ops, ctx, 2), *other = new_fence(&ops, ctx + 1, 1);
	void *seen;
	pthread_t t;

	sem_init(&in_step, 0, 0);
	sem_init(&go_on, 0, 0);
	dma_resv_init(&step_obj);
	dma_resv_lock(&step_obj, NULL);
	add_locked(&step_obj, old, DMA_RESV_USAGE_WRITE);
	dma_resv_unlock(&step_obj);
	dma_fence_put(old); /* the resv's reference is the last */

	pthread_create(&t, NULL, walk_once, NULL);
	sem_wait(&in_step);
	/* the reader holds its own reference to old and is inside the step */
	cr_assert_eq(kref_read(&old->refcount), 2);
	dma_resv_lock(&step_obj, NULL);
	add_locked(&step_obj, newer, DMA_RESV_USAGE_WRITE); /* replaces old in place */
	cr_assert_eq(dma_resv_reserve_fences(&step_obj, 16), 0); /* a new list */
	dma_resv_add_fence(&step_obj, other, DMA_RESV_USAGE_READ);
	dma_resv_unlock(&step_obj);
	cr_assert_eq(kref_read(&old->refcount), 2, "the resv's reference outlives the step");
	cr_assert(fence_alive(old));
	sem_post(&go_on);
	pthread_join(t, &seen);
	/* the walk found its list replaced and started over, on the new list */
	cr_assert_eq(seen, newer);
	cr_assert_not(fence_alive(old), "released when the reader left");
	teardown(&step_obj, newer, other, NULL);
}

/*
 * Readers walk without the lock while a writer adds, replaces and outgrows: every fence handed
 * out is alive and holds the cursor's reference until the next step.
 */
#define WRITER_ROUNDS 3000
#define READERS 3

static struct dma_resv race_obj;
static int race_done, bad_fences;
static sem_t race_seen; /* each reader was handed a fence */

static void *race_reader(void *arg)
{
	bool seen = false;

	while (!__atomic_load_n(&race_done, __ATOMIC_ACQUIRE)) {
		struct dma_resv_iter cursor;
		struct dma_fence *f;

		dma_resv_iter_begin(&cursor, &race_obj, DMA_RESV_USAGE_BOOKKEEP);
		dma_resv_for_each_fence_unlocked(&cursor, f) {
			if (!fence_alive(f) || kref_read(&f->refcount) < 1)
				__atomic_fetch_add(&bad_fences, 1, __ATOMIC_RELAXED);
			if (!seen)
				sem_post(&race_seen);
			seen = true;
		}
		dma_resv_iter_end(&cursor);
		dma_resv_test_signaled(&race_obj, DMA_RESV_USAGE_READ);
	}
	return NULL;
}

Test(resv_unlocked, readers_race_a_writer, .timeout = 120)
{
	u64 ctx = dma_fence_context_alloc(8);
	struct dma_fence *pending[8] = { 0 };
	pthread_t readers[READERS];

	sem_init(&race_seen, 0, 0);
	dma_resv_init(&race_obj);
	for (int i = 0; i < READERS; i++)
		pthread_create(&readers[i], NULL, race_reader, NULL);
	for (unsigned int round = 1; round <= WRITER_ROUNDS; round++) {
		unsigned int c = round % 8;
		struct dma_fence *f = new_fence(&ops, ctx + c, round);

		dma_resv_lock(&race_obj, NULL);
		/* now and then many slots at once: the list is copied and replaced */
		cr_assert_eq(dma_resv_reserve_fences(&race_obj, round % 97 ? 1 : round), 0);
		if (round % 13 == 0)
			dma_resv_replace_fences(&race_obj, ctx + c, f, DMA_RESV_USAGE_BOOKKEEP);
		else
			dma_resv_add_fence(&race_obj, f, (enum dma_resv_usage)(round % 4));
		dma_resv_unlock(&race_obj);
		/* the previous fence of the context completes; the writer drops its reference */
		if (pending[c]) {
			dma_fence_signal(pending[c]);
			dma_fence_put(pending[c]);
		}
		pending[c] = f;
	}
	/* the last fences are unsignalled: every reader gets to see one */
	for (int i = 0; i < READERS; i++)
		sem_wait(&race_seen);
	__atomic_store_n(&race_done, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < READERS; i++)
		pthread_join(readers[i], NULL);
	cr_assert_eq(bad_fences, 0, "a reader was handed a released fence");
	for (int c = 0; c < 8; c++) {
		dma_fence_signal(pending[c]);
		dma_fence_put(pending[c]);
	}
	dma_resv_fini(&race_obj);
	free_dead();
	cr_assert_null(dead_list);
}

/* Held means held by the calling thread (what the kernel's lockdep asserts); locked means held
 * by anyone. */
static void *held_elsewhere(void *arg)
{
	struct dma_resv *obj = arg;
	static bool res[2];

	res[0] = dma_resv_is_locked(obj);
	res[1] = dma_resv_held(obj);
	return res;
}

Test(resv, held_is_per_thread)
{
	struct dma_resv obj;
	pthread_t t;
	bool *res;

	dma_resv_init(&obj);
	cr_assert_not(dma_resv_is_locked(&obj));
	cr_assert_not(dma_resv_held(&obj));
	dma_resv_lock(&obj, NULL);
	cr_assert(dma_resv_is_locked(&obj));
	cr_assert(dma_resv_held(&obj));
	pthread_create(&t, NULL, held_elsewhere, &obj);
	pthread_join(t, (void **)&res);
	cr_assert(res[0], "another thread sees the lock taken");
	cr_assert_not(res[1], "but not held by itself");
	dma_resv_unlock(&obj);
	cr_assert_not(dma_resv_held(&obj));
	cr_assert(dma_resv_trylock(&obj));
	cr_assert(dma_resv_held(&obj));
	dma_resv_unlock(&obj);
	dma_resv_fini(&obj);
}
