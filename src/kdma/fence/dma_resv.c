// SPDX-License-Identifier: MIT
/*
 * dma_resv: a locked array of (fence, usage) slots. Adding a fence drops the ones it makes
 * redundant (same context and not later, or signalled), as the kernel does, so the array stays as
 * small as the number of live timelines. Unlocked iteration takes the lock for each step and
 * hands out a reference, where the kernel uses RCU.
 */
#include <errno.h>

#include <linux/dma-resv.h>
#include <linux/slab.h>

#include "fence/fence_hooks.h"

struct dma_resv_slot {
	struct dma_fence *fence;
	enum dma_resv_usage usage;
};

void dma_resv_init(struct dma_resv *obj)
{
	mutex_init(&obj->lock);
	obj->locked = false;
	obj->slots = NULL;
	obj->num_fences = obj->max_fences = 0;
}

void dma_resv_fini(struct dma_resv *obj)
{
	for (unsigned int i = 0; i < obj->num_fences; i++)
		dma_fence_put(obj->slots[i].fence);
	kfree(obj->slots);
	obj->slots = NULL;
	obj->num_fences = obj->max_fences = 0;
	mutex_destroy(&obj->lock);
}

int dma_resv_lock(struct dma_resv *obj, struct ww_acquire_ctx *ctx)
{
	mutex_lock(&obj->lock);
	obj->locked = true;
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
	obj->locked = true;
	return true;
}

void dma_resv_unlock(struct dma_resv *obj)
{
	obj->locked = false;
	mutex_unlock(&obj->lock);
}

bool dma_resv_is_locked(struct dma_resv *obj)
{
	return obj->locked;
}

int dma_resv_reserve_fences(struct dma_resv *obj, unsigned int num)
{
	unsigned int want = obj->num_fences + num;
	struct dma_resv_slot *s;

	dma_resv_assert_held(obj);
	if (want <= obj->max_fences)
		return 0;
	want = max(want, 2 * obj->max_fences);
	s = krealloc(obj->slots, want * sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	obj->slots = s;
	obj->max_fences = want;
	return 0;
}

void dma_resv_add_fence(struct dma_resv *obj, struct dma_fence *fence, enum dma_resv_usage usage)
{
	struct kdma_fence_info info = { .resv = obj, .usage = usage };

	dma_resv_assert_held(obj);
	kdma_fence_event(fence, KDMA_FENCE_RESV_ADD, &info);
	dma_fence_get(fence);
	for (unsigned int i = 0; i < obj->num_fences; i++) {
		struct dma_resv_slot *s = &obj->slots[i];

		if ((s->fence->context == fence->context && s->usage >= usage &&
		     dma_fence_is_later_or_same(fence, s->fence)) ||
		    dma_fence_is_signaled(s->fence)) {
			dma_fence_put(s->fence);
			s->fence = fence;
			s->usage = usage;
			return;
		}
	}
	/* The kernel BUGs here; growing keeps the program alive after the warning. */
	if (WARN(obj->num_fences >= obj->max_fences, "dma_resv_add_fence without a reserved slot") &&
	    dma_resv_reserve_fences(obj, 1)) {
		dma_fence_put(fence);
		return;
	}
	obj->slots[obj->num_fences++] = (struct dma_resv_slot){ fence, usage };
}

/* The first slot at or after cursor->index that the cursor's usage covers. */
static struct dma_fence *iter_walk(struct dma_resv_iter *cursor)
{
	struct dma_resv *obj = cursor->obj;

	for (; cursor->index < obj->num_fences; cursor->index++) {
		struct dma_resv_slot *s = &obj->slots[cursor->index];

		if (s->usage <= cursor->usage) {
			cursor->fence_usage = s->usage;
			return obj->slots[cursor->index++].fence;
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

/* Unlocked: skip signalled fences, hold a reference on the one returned. */
static struct dma_fence *iter_walk_unlocked(struct dma_resv_iter *cursor)
{
	struct dma_fence *f;

	dma_fence_put(cursor->fence);
	mutex_lock(&cursor->obj->lock);
	do {
		f = iter_walk(cursor);
	} while (f && dma_fence_is_signaled(f));
	cursor->fence = dma_fence_get(f);
	mutex_unlock(&cursor->obj->lock);
	return f;
}

struct dma_fence *dma_resv_iter_first_unlocked(struct dma_resv_iter *cursor)
{
	cursor->index = 0;
	cursor->is_restarted = true;
	return iter_walk_unlocked(cursor);
}

struct dma_fence *dma_resv_iter_next_unlocked(struct dma_resv_iter *cursor)
{
	cursor->is_restarted = false;
	return iter_walk_unlocked(cursor);
}

void dma_resv_iter_end(struct dma_resv_iter *cursor)
{
	dma_fence_put(cursor->fence);
	cursor->fence = NULL;
}

long dma_resv_wait_timeout(struct dma_resv *obj, enum dma_resv_usage usage, bool intr,
			   unsigned long timeout)
{
	long ret = timeout ? (long)timeout : 1;
	struct dma_resv_iter cursor;
	struct dma_fence *fence;

	dma_resv_iter_begin(&cursor, obj, usage);
	dma_resv_for_each_fence_unlocked(&cursor, fence) {
		ret = dma_fence_wait_timeout(fence, intr, ret);
		if (ret <= 0)
			break;
		if (!timeout)
			ret = 1;
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
