// SPDX-License-Identifier: MIT
/*
 * dma_resv: a list of (fence, usage) entries that writers change under the lock and readers walk
 * without it, as the kernel's do under RCU. Adding a fence drops the ones it makes redundant
 * (same context and not later, or signalled), so the list stays as small as the number of live
 * timelines.
 *
 * The stand-in for RCU: a writer appends in place (the entry first, then the count) and replaces
 * an entry with one atomic store, but a list that must grow is copied and the copy published.
 * An unlocked reader counts itself in obj->readers for each step; the lists and fence references
 * a writer drops go to obj->retired while a reader is counted, and are released by whoever
 * brings the count back to zero. So every fence a reader can find in a list still holds the
 * list's reference: the reader's dma_fence_get_rcu() never touches freed memory, and skips only
 * a fence some caller put once too often.
 */
#include <errno.h>
#include <sched.h>

#include <linux/dma-fence-array.h>
#include <linux/dma-resv.h>
#include <linux/slab.h>

#include "fence/fence_hooks.h"

/* An entry is a fence pointer with the usage in its low bits, so one store replaces both. */
#define ENTRY_USAGE_MASK 3UL

struct dma_resv_list {
	unsigned int num_fences; /* written after the entry it counts */
	unsigned int max_fences;
	unsigned long generation;
	unsigned long table[];
};

/* What a writer dropped while unlocked readers ran: a list to free, fences to put. */
struct dma_resv_retired {
	struct dma_resv_retired *next;
	struct dma_resv_list *list;
	unsigned int num_fences;
	struct dma_fence *fences[];
};

static struct dma_fence *entry_fence(unsigned long e)
{
	return (struct dma_fence *)(e & ~ENTRY_USAGE_MASK);
}

static enum dma_resv_usage entry_usage(unsigned long e)
{
	return (enum dma_resv_usage)(e & ENTRY_USAGE_MASK);
}

static unsigned long list_get(struct dma_resv_list *l, unsigned int i)
{
	return __atomic_load_n(&l->table[i], __ATOMIC_SEQ_CST);
}

static void list_set(struct dma_resv_list *l, unsigned int i, struct dma_fence *fence,
		     enum dma_resv_usage usage)
{
	__atomic_store_n(&l->table[i], (unsigned long)fence | usage, __ATOMIC_SEQ_CST);
}

static struct dma_resv_list *fences_list(struct dma_resv *obj)
{
	return __atomic_load_n(&obj->fences, __ATOMIC_SEQ_CST);
}

static unsigned int list_count(struct dma_resv_list *l)
{
	return l ? __atomic_load_n(&l->num_fences, __ATOMIC_ACQUIRE) : 0;
}

static unsigned long list_generation(struct dma_resv_list *l)
{
	return l ? l->generation : 0;
}

/* ---- release after the readers ---- */

static void retired_release(struct dma_resv_retired *r)
{
	while (r) {
		struct dma_resv_retired *next = r->next;

		for (unsigned int i = 0; i < r->num_fences; i++)
			dma_fence_put(r->fences[i]);
		kdma_free(r->list);
		kdma_free(r);
		r = next;
	}
}

/*
 * Releases what was retired if no reader is counted. The readers are read after the retired
 * items were unpublished and queued: a reader that saw one counted itself before that, so a zero
 * here means it is gone.
 */
static void resv_reclaim(struct dma_resv *obj)
{
	struct dma_resv_retired *r = NULL;

	if (!__atomic_load_n(&obj->retired, __ATOMIC_SEQ_CST))
		return;
	spin_lock(&obj->retire_lock);
	if (!__atomic_load_n(&obj->readers, __ATOMIC_SEQ_CST)) {
		r = obj->retired;
		__atomic_store_n(&obj->retired, NULL, __ATOMIC_SEQ_CST);
	}
	spin_unlock(&obj->retire_lock);
	retired_release(r);
}

/* Releases r now if no reader is counted, else when the last one leaves. r is out of every
 * list a reader that starts now can find. */
static void resv_retire(struct dma_resv *obj, struct dma_resv_retired *r)
{
	if (!__atomic_load_n(&obj->readers, __ATOMIC_SEQ_CST)) {
		retired_release(r);
		return;
	}
	spin_lock(&obj->retire_lock);
	r->next = obj->retired;
	__atomic_store_n(&obj->retired, r, __ATOMIC_SEQ_CST);
	spin_unlock(&obj->retire_lock);
	resv_reclaim(obj);
}

/* A writer dropped the list's reference to fence. */
static void resv_retire_fence(struct dma_resv *obj, struct dma_fence *fence)
{
	struct dma_resv_retired *r;

	if (!__atomic_load_n(&obj->readers, __ATOMIC_SEQ_CST)) {
		dma_fence_put(fence);
		return;
	}
	r = kdma_zalloc(sizeof(*r) + sizeof(r->fences[0]));
	if (!r) {
		/* No memory to defer it: wait out the readers' steps, which never wait for us. */
		while (__atomic_load_n(&obj->readers, __ATOMIC_SEQ_CST))
			sched_yield();
		dma_fence_put(fence);
		return;
	}
	r->fences[r->num_fences++] = fence;
	resv_retire(obj, r);
}

static void reader_enter(struct dma_resv *obj)
{
	__atomic_fetch_add(&obj->readers, 1, __ATOMIC_SEQ_CST);
}

static void reader_exit(struct dma_resv *obj)
{
	if (__atomic_sub_fetch(&obj->readers, 1, __ATOMIC_SEQ_CST) == 0)
		resv_reclaim(obj);
}

/* ---- the object and its lock ---- */

void dma_resv_init(struct dma_resv *obj)
{
	mutex_init(&obj->lock);
	obj->holder = NULL;
	obj->fences = NULL;
	obj->generation = 0;
	obj->readers = 0;
	spin_lock_init(&obj->retire_lock);
	obj->retired = NULL;
}

void dma_resv_fini(struct dma_resv *obj)
{
	struct dma_resv_list *l = obj->fences;

	WARN_ON(__atomic_load_n(&obj->readers, __ATOMIC_SEQ_CST));
	for (unsigned int i = 0; i < list_count(l); i++)
		dma_fence_put(entry_fence(list_get(l, i)));
	kdma_free(l);
	obj->fences = NULL;
	retired_release(obj->retired);
	obj->retired = NULL;
	mutex_destroy(&obj->lock);
}

/* A token of the calling thread: the address of a thread-local. */
static const void *this_thread(void)
{
	static __thread char token;

	return &token;
}

static void set_holder(struct dma_resv *obj, const void *t)
{
	__atomic_store_n(&obj->holder, t, __ATOMIC_RELAXED);
}

int dma_resv_lock(struct dma_resv *obj, struct ww_acquire_ctx *ctx)
{
	mutex_lock(&obj->lock);
	set_holder(obj, this_thread());
	return 0;
}

int dma_resv_lock_interruptible(struct dma_resv *obj, struct ww_acquire_ctx *ctx)
{
	return dma_resv_lock(obj, ctx);
}

bool dma_resv_trylock(struct dma_resv *obj)
{
	if (!mutex_trylock(&obj->lock))
		return false;
	set_holder(obj, this_thread());
	return true;
}

void dma_resv_unlock(struct dma_resv *obj)
{
	set_holder(obj, NULL);
	mutex_unlock(&obj->lock);
}

bool dma_resv_is_locked(struct dma_resv *obj)
{
	return __atomic_load_n(&obj->holder, __ATOMIC_RELAXED) != NULL;
}

bool dma_resv_held(struct dma_resv *obj)
{
	return __atomic_load_n(&obj->holder, __ATOMIC_RELAXED) == this_thread();
}

/* ---- writers (the lock held) ---- */

/*
 * A bigger list with the unsignalled fences of the old one; the signalled ones lose the list's
 * reference. Readers of the old list keep walking it until they notice the new one.
 */
int dma_resv_reserve_fences(struct dma_resv *obj, unsigned int num)
{
	struct dma_resv_list *old = obj->fences, *l;
	unsigned int n = list_count(old), max;
	struct dma_resv_retired *r = NULL;

	dma_resv_assert_held(obj);
	if (old && n + num <= old->max_fences)
		return 0;
	max = old ? max(n + num, 2 * old->max_fences) : max(4U, num);
	l = kdma_zalloc(sizeof(*l) + max * sizeof(l->table[0]));
	if (old)
		r = kdma_zalloc(sizeof(*r) + n * sizeof(r->fences[0]));
	if (!l || (old && !r)) {
		kdma_free(l);
		kdma_free(r);
		return -ENOMEM;
	}
	l->max_fences = max;
	l->generation = ++obj->generation;
	for (unsigned int i = 0; i < n; i++) {
		unsigned long e = list_get(old, i);

		if (dma_fence_is_signaled(entry_fence(e)))
			r->fences[r->num_fences++] = entry_fence(e);
		else
			l->table[l->num_fences++] = e;
	}
	__atomic_store_n(&obj->fences, l, __ATOMIC_SEQ_CST);
	if (old) {
		r->list = old;
		resv_retire(obj, r);
	}
	return 0;
}

void dma_resv_add_fence(struct dma_resv *obj, struct dma_fence *fence, enum dma_resv_usage usage)
{
	struct kdma_fence_info info = { .resv = obj, .usage = usage };
	struct dma_resv_list *l = obj->fences;
	unsigned int n = list_count(l);

	dma_resv_assert_held(obj);
	kdma_fence_event(fence, KDMA_FENCE_RESV_ADD, &info);
	dma_fence_get(fence);
	for (unsigned int i = 0; i < n; i++) {
		unsigned long e = list_get(l, i);
		struct dma_fence *old = entry_fence(e);

		if ((old->context == fence->context && entry_usage(e) >= usage &&
		     dma_fence_is_later_or_same(fence, old)) ||
		    dma_fence_is_signaled(old)) {
			list_set(l, i, fence, usage);
			resv_retire_fence(obj, old);
			return;
		}
	}
	/* The kernel BUGs here; growing keeps the program alive after the warning. */
	if (WARN(!l || n >= l->max_fences, "dma_resv_add_fence without a reserved slot")) {
		if (dma_resv_reserve_fences(obj, 1)) {
			dma_fence_put(fence);
			return;
		}
		l = obj->fences;
		n = l->num_fences;
	}
	list_set(l, n, fence, usage);
	__atomic_store_n(&l->num_fences, n + 1, __ATOMIC_RELEASE);
}

void dma_resv_replace_fences(struct dma_resv *obj, u64 context, struct dma_fence *replacement,
			     enum dma_resv_usage usage)
{
	struct dma_resv_list *l = obj->fences;

	dma_resv_assert_held(obj);
	for (unsigned int i = 0; i < list_count(l); i++) {
		struct dma_fence *old = entry_fence(list_get(l, i));

		if (old->context != context)
			continue;
		list_set(l, i, dma_fence_get(replacement), usage);
		resv_retire_fence(obj, old);
	}
}

/* ---- locked iteration ---- */

/* The next entry from cursor->index on that the cursor's usage covers. */
static struct dma_fence *iter_walk(struct dma_resv_iter *cursor)
{
	struct dma_resv_list *l = cursor->obj->fences;

	while (cursor->index < list_count(l)) {
		unsigned long e = list_get(l, cursor->index++);

		if (entry_usage(e) <= cursor->usage) {
			cursor->fence_usage = entry_usage(e);
			return entry_fence(e);
		}
	}
	return NULL;
}

struct dma_fence *dma_resv_iter_first(struct dma_resv_iter *cursor)
{
	dma_resv_assert_held(cursor->obj);
	cursor->index = 0;
	cursor->is_restarted = true;
	return cursor->fence = iter_walk(cursor);
}

struct dma_fence *dma_resv_iter_next(struct dma_resv_iter *cursor)
{
	dma_resv_assert_held(cursor->obj);
	cursor->is_restarted = false;
	return cursor->fence = iter_walk(cursor);
}

/* ---- unlocked iteration (counted as a reader) ---- */

static void iter_restart_unlocked(struct dma_resv_iter *cursor, struct dma_resv_list *l)
{
	cursor->index = 0;
	cursor->num_fences = list_count(l);
	cursor->generation = list_generation(l);
	cursor->is_restarted = true;
}

/* The next unsignalled fence of l that the usage covers, with a reference. */
static struct dma_fence *iter_walk_unlocked(struct dma_resv_iter *cursor, struct dma_resv_list *l)
{
	while (cursor->index < cursor->num_fences) {
		unsigned long e = list_get(l, cursor->index++);
		struct dma_fence *f;

		if (entry_usage(e) > cursor->usage)
			continue;
		f = dma_fence_get_rcu(entry_fence(e));
		if (!f)
			continue;
		if (!dma_fence_is_signaled(f)) {
			cursor->fence_usage = entry_usage(e);
			return f;
		}
		dma_fence_put(f);
	}
	return NULL;
}

/* Walks on (from the start if restart), and again from the start while the list was replaced
 * under the walk, so the fence returned comes from obj's list as it is now. */
static struct dma_fence *iter_step_unlocked(struct dma_resv_iter *cursor, bool restart)
{
	struct dma_resv *obj = cursor->obj;
	struct dma_resv_list *l, *now;
	struct dma_fence *f;

	dma_fence_put(cursor->fence);
	reader_enter(obj);
	l = fences_list(obj);
	/* the generation, not the address: the cursor's old list may be freed and reused */
	if (list_generation(l) != cursor->generation)
		restart = true;
	for (;;) {
		if (restart)
			iter_restart_unlocked(cursor, l);
		f = iter_walk_unlocked(cursor, l);
		now = fences_list(obj);
		if (now == l) /* l is still allocated: the address identifies it */
			break;
		dma_fence_put(f);
		l = now;
		restart = true;
	}
	reader_exit(obj);
	return cursor->fence = f;
}

struct dma_fence *dma_resv_iter_first_unlocked(struct dma_resv_iter *cursor)
{
	return iter_step_unlocked(cursor, true);
}

struct dma_fence *dma_resv_iter_next_unlocked(struct dma_resv_iter *cursor)
{
	cursor->is_restarted = false;
	return iter_step_unlocked(cursor, false);
}

void dma_resv_iter_end(struct dma_resv_iter *cursor)
{
	dma_fence_put(cursor->fence);
	cursor->fence = NULL;
}

/* ---- helpers on the unlocked walk (the caller may hold the lock) ---- */

long dma_resv_wait_timeout(struct dma_resv *obj, enum dma_resv_usage usage, bool intr,
			   unsigned long timeout)
{
	long ret = timeout ? (long)timeout : 1;
	struct dma_resv_iter cursor;
	struct dma_fence *fence;

	dma_resv_iter_begin(&cursor, obj, usage);
	dma_resv_for_each_fence_unlocked(&cursor, fence) {
		ret = dma_fence_wait_timeout(fence, intr, (long)timeout);
		if (ret <= 0)
			break;
		if (timeout) /* a zero timeout only tests; the answer stays 1 */
			timeout = (unsigned long)ret;
	}
	dma_resv_iter_end(&cursor);
	return ret;
}

bool dma_resv_test_signaled(struct dma_resv *obj, enum dma_resv_usage usage)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence;
	bool all = true;

	dma_resv_iter_begin(&cursor, obj, usage);
	dma_resv_for_each_fence_unlocked(&cursor, fence) {
		all = false; /* the unlocked walk returns only unsignalled fences */
		break;
	}
	dma_resv_iter_end(&cursor);
	return all;
}

static void put_all(struct dma_fence **fences, unsigned int *n)
{
	while (*n)
		dma_fence_put(fences[--*n]);
}

int dma_resv_get_fences(struct dma_resv *obj, enum dma_resv_usage usage, unsigned int *num_fences,
			struct dma_fence ***fences)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence;
	unsigned int room = 0;

	*num_fences = 0;
	*fences = NULL;
	dma_resv_iter_begin(&cursor, obj, usage);
	dma_resv_for_each_fence_unlocked(&cursor, fence) {
		if (dma_resv_iter_is_restarted(&cursor)) {
			/* a new list: what was gathered from the old one is stale */
			put_all(*fences, num_fences);
			room = 0;
		}
		if (*num_fences == room) {
			/* the walk's list has at most cursor.num_fences entries */
			struct dma_fence **a = krealloc_array(*fences, cursor.num_fences,
							      sizeof(*a), GFP_KERNEL);

			if (!a) {
				put_all(*fences, num_fences);
				kfree(*fences);
				*fences = NULL;
				dma_resv_iter_end(&cursor);
				return -ENOMEM;
			}
			*fences = a;
			room = cursor.num_fences;
		}
		(*fences)[(*num_fences)++] = dma_fence_get(fence);
	}
	dma_resv_iter_end(&cursor);
	return 0;
}

int dma_resv_get_singleton(struct dma_resv *obj, enum dma_resv_usage usage,
			   struct dma_fence **fence)
{
	struct dma_fence_array *array;
	struct dma_fence **fences;
	unsigned int count;
	int ret = dma_resv_get_fences(obj, usage, &count, &fences);

	*fence = NULL;
	if (ret || !count)
		return ret;
	if (count == 1) {
		*fence = fences[0];
		kfree(fences);
		return 0;
	}
	/* the array takes over the references and the array of pointers */
	array = dma_fence_array_create((int)count, fences, dma_fence_context_alloc(1), 1, false);
	if (!array) {
		put_all(fences, &count);
		kfree(fences);
		return -ENOMEM;
	}
	*fence = &array->base;
	return 0;
}
