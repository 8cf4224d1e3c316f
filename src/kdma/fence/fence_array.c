// SPDX-License-Identifier: MIT
/*
 * dma_fence_array with the kernel's rules (drivers/dma-buf/dma-fence-array.c is the model,
 * written anew). num_pending counts the fences still to signal (1 with signal_on_any). Once
 * signalling is enabled, each component carries a callback that holds a reference to the array;
 * the callback that brings num_pending to zero hands that reference to the worker, which
 * signals the array outside the component's lock. base.error is PENDING_ERROR until the first
 * component error replaces it or the array signals clean.
 */
#include <linux/dma-fence-array.h>
#include <linux/slab.h>

#include "fence/fence_hooks.h"

#define PENDING_ERROR 1

static const char *array_driver_name(struct dma_fence *fence)
{
	return "dma_fence_array";
}

static const char *array_timeline_name(struct dma_fence *fence)
{
	return "unbound";
}

/* Only the first error counts, and only before the array signals. */
static void array_set_pending_error(struct dma_fence_array *array, int error)
{
	if (error)
		cmpxchg(&array->base.error, PENDING_ERROR, error);
}

static void array_clear_pending_error(struct dma_fence_array *array)
{
	cmpxchg(&array->base.error, PENDING_ERROR, 0);
}

static void array_signal_work(struct work_struct *work)
{
	struct dma_fence_array *array = container_of(work, struct dma_fence_array, work);

	array_clear_pending_error(array);
	dma_fence_signal(&array->base);
	dma_fence_put(&array->base);
}

static void array_cb_func(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct dma_fence_array_cb *array_cb = container_of(cb, struct dma_fence_array_cb, cb);
	struct dma_fence_array *array = array_cb->array;

	array_set_pending_error(array, f->error);
	if (atomic_dec_and_test(&array->num_pending))
		kdma_fence_irq_work_queue(&array->work);
	else
		dma_fence_put(&array->base);
}

static bool array_enable_signaling(struct dma_fence *fence)
{
	struct dma_fence_array *array = to_dma_fence_array(fence);
	struct dma_fence_array_cb *cb = (void *)&array[1];

	for (unsigned int i = 0; i < array->num_fences; i++) {
		cb[i].array = array;
		/* The array may be reported signalled (and its last reference dropped) before every
		 * callback has run: each callback keeps the array alive until it has. */
		dma_fence_get(&array->base);
		if (kdma_fence_add_callback_handled(array->fences[i], &cb[i].cb, array_cb_func)) {
			array_set_pending_error(array, array->fences[i]->error);
			dma_fence_put(&array->base);
			if (atomic_dec_and_test(&array->num_pending)) {
				array_clear_pending_error(array);
				return false;
			}
		}
	}
	return true;
}

static bool array_signaled(struct dma_fence *fence)
{
	struct dma_fence_array *array = to_dma_fence_array(fence);
	/* Read before the enable bit: enable_signaling may be counting down concurrently. */
	int num_pending = atomic_read_acquire(&array->num_pending);

	if (test_bit(DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT, &array->base.flags)) {
		if (num_pending > 0)
			return false;
	} else {
		unsigned int i;

		for (i = 0; i < array->num_fences; i++)
			if (dma_fence_is_signaled(array->fences[i]) && !--num_pending)
				break;
		if (i == array->num_fences)
			return false;
	}
	array_clear_pending_error(array);
	return true;
}

static void array_release(struct dma_fence *fence)
{
	struct dma_fence_array *array = to_dma_fence_array(fence);

	for (unsigned int i = 0; i < array->num_fences; i++)
		dma_fence_put(array->fences[i]);
	kfree(array->fences);
	dma_fence_free(fence);
}

const struct dma_fence_ops dma_fence_array_ops = {
	.get_driver_name = array_driver_name,
	.get_timeline_name = array_timeline_name,
	.enable_signaling = array_enable_signaling,
	.signaled = array_signaled,
	.release = array_release,
};

struct dma_fence_array *dma_fence_array_create(int num_fences, struct dma_fence **fences,
					       u64 context, unsigned int seqno, bool signal_on_any)
{
	struct dma_fence_array *array;

	if (WARN_ON(num_fences <= 0 || !fences))
		return NULL;
	for (int i = 0; i < num_fences; i++)
		if (WARN(!fences[i], "dma_fence_array_create: fences[%d] is NULL", i))
			return NULL;
	array = kzalloc(sizeof(*array) + num_fences * sizeof(struct dma_fence_array_cb),
			GFP_KERNEL);
	if (!array)
		return NULL;
	spin_lock_init(&array->lock);
	array->num_fences = num_fences;
	atomic_set(&array->num_pending, signal_on_any ? 1 : num_fences);
	array->fences = fences;
	INIT_WORK(&array->work, array_signal_work);
	dma_fence_init(&array->base, &dma_fence_array_ops, &array->lock, context, seqno);
	array->base.error = PENDING_ERROR;
	/* Operations on an array would recurse through nested containers: flatten them first. */
	while (num_fences--)
		WARN_ON(dma_fence_is_container(fences[num_fences]));
	return array;
}

bool dma_fence_match_context(struct dma_fence *fence, u64 context)
{
	struct dma_fence_array *array = to_dma_fence_array(fence);

	if (!array)
		return fence->context == context;
	for (unsigned int i = 0; i < array->num_fences; i++)
		if (array->fences[i]->context != context)
			return false;
	return true;
}

struct dma_fence *dma_fence_array_first(struct dma_fence *head)
{
	struct dma_fence_array *array = to_dma_fence_array(head);

	if (!head)
		return NULL;
	if (!array)
		return head;
	return array->num_fences ? array->fences[0] : NULL;
}

struct dma_fence *dma_fence_array_next(struct dma_fence *head, unsigned int index)
{
	struct dma_fence_array *array = to_dma_fence_array(head);

	if (!array || index >= array->num_fences)
		return NULL;
	return array->fences[index];
}
