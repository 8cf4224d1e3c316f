// SPDX-License-Identifier: MIT
/*
 * Interrupt lines (<linux/interrupt.h>): the handlers a driver requests, run by kdma_irq_raise()
 * when the simulated hardware interrupts. One lock is held while handlers run, so they never
 * overlap (as on one CPU) and free_irq/disable_irq/synchronize_irq wait for them; it is
 * recursive, so a handler may raise, disable or free another line. A disabled line keeps a raise
 * pending until it is enabled again.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include <linux/device.h>
#include <linux/interrupt.h>

#include "base/base.h"
#include "mm/mm.h"

#define IRQ_MAX_ACTIONS 64

struct irq_action {
	unsigned int irq;
	irq_handler_t handler, thread_fn;
	unsigned long flags;
	const char *name;
	void *dev_id;
	bool used;
};

static struct irq_action actions[IRQ_MAX_ACTIONS];
static int depth[IRQ_MAX_ACTIONS];      /* per line, by the slot of its first action */
static bool pending[IRQ_MAX_ACTIONS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t run_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP; /* while handlers run */

/* Line state lives with the lowest-numbered slot holding an action of that line. */
static int line_slot(unsigned int irq)
{
	for (int i = 0; i < IRQ_MAX_ACTIONS; i++)
		if (actions[i].used && actions[i].irq == irq)
			return i;
	return -1;
}

int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long flags, const char *name, void *dev)
{
	int free_slot = -1, first;

	if (!handler && !thread_fn) {
		kdma_warn(NULL, "request_irq(%u, %s): no handler", irq, name ? name : "?");
		return -EINVAL;
	}
	pthread_mutex_lock(&table_lock);
	first = line_slot(irq);
	if (first >= 0 && !(flags & actions[first].flags & IRQF_SHARED)) {
		pthread_mutex_unlock(&table_lock);
		kdma_warn(NULL, "request_irq(%u, %s): line taken by %s and not shared by both", irq,
			  name ? name : "?", actions[first].name ? actions[first].name : "?");
		return -EBUSY;
	}
	for (int i = 0; i < IRQ_MAX_ACTIONS && free_slot < 0; i++)
		if (!actions[i].used)
			free_slot = i;
	if (free_slot >= 0) {
		actions[free_slot] = (struct irq_action){ irq, handler, thread_fn, flags, name, dev,
							  true };
		if (first < 0 || free_slot < first) { /* the line's state moves to this slot */
			depth[free_slot] = first < 0 ? 0 : depth[first];
			pending[free_slot] = first < 0 ? false : pending[first];
		}
	}
	pthread_mutex_unlock(&table_lock);
	if (free_slot < 0) {
		kdma_warn(NULL, "request_irq(%u): more than %d handlers", irq, IRQ_MAX_ACTIONS);
		return -ENOSPC;
	}
	return 0;
}

const void *free_irq(unsigned int irq, void *dev_id)
{
	const char *name = NULL;
	int first, next;

	pthread_mutex_lock(&run_lock); /* a running handler finishes first */
	pthread_mutex_lock(&table_lock);
	first = line_slot(irq);
	for (int i = 0; i < IRQ_MAX_ACTIONS && !name; i++) {
		if (actions[i].used && actions[i].irq == irq && actions[i].dev_id == dev_id) {
			name = actions[i].name ? actions[i].name : "";
			actions[i].used = false;
		}
	}
	next = line_slot(irq);
	if (first >= 0 && next >= 0 && next != first) {
		depth[next] = depth[first];
		pending[next] = pending[first];
	}
	pthread_mutex_unlock(&table_lock);
	pthread_mutex_unlock(&run_lock);
	if (!name)
		kdma_warn(NULL, "free_irq(%u): no handler with that dev_id (freeing a free IRQ)", irq);
	return name;
}

struct irq_devres {
	unsigned int irq;
	void *dev_id;
};

static void devm_irq_release(struct device *dev, void *res)
{
	struct irq_devres *r = res;

	(void)dev;
	free_irq(r->irq, r->dev_id);
}

static int devm_irq_match(struct device *dev, void *res, void *data)
{
	struct irq_devres *r = res, *want = data;

	(void)dev;
	return r->irq == want->irq && r->dev_id == want->dev_id;
}

int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
			      irq_handler_t thread_fn, unsigned long flags, const char *name,
			      void *dev_id)
{
	struct irq_devres *r = devres_alloc(devm_irq_release, sizeof(*r), GFP_KERNEL);
	int ret;

	if (!r)
		return -ENOMEM;
	ret = request_threaded_irq(irq, handler, thread_fn, flags, name, dev_id);
	if (ret) {
		devres_free(r);
		return ret;
	}
	r->irq = irq;
	r->dev_id = dev_id;
	devres_add(dev, r);
	return 0;
}

void devm_free_irq(struct device *dev, unsigned int irq, void *dev_id)
{
	struct irq_devres want = { irq, dev_id };

	if (devres_release(dev, devm_irq_release, devm_irq_match, &want))
		kdma_warn(dev, "devm_free_irq(%u): not requested with devm_request_irq", irq);
}

/* Runs the line's handlers; run_lock held. */
static int irq_run(unsigned int irq)
{
	int ret = IRQ_NONE;

	for (int i = 0; i < IRQ_MAX_ACTIONS; i++) {
		struct irq_action *a = &actions[i];
		irqreturn_t r;

		if (!a->used || a->irq != irq)
			continue;
		r = a->handler ? a->handler((int)irq, a->dev_id) : IRQ_WAKE_THREAD;
		if ((r & IRQ_WAKE_THREAD) && a->thread_fn)
			r = a->thread_fn((int)irq, a->dev_id);
		ret |= r & IRQ_HANDLED;
	}
	return ret;
}

int kdma_irq_raise(unsigned int irq)
{
	bool disabled = false;
	int slot, ret;

	pthread_mutex_lock(&run_lock);
	pthread_mutex_lock(&table_lock);
	slot = line_slot(irq);
	if (slot >= 0 && depth[slot] > 0)
		disabled = pending[slot] = true;
	pthread_mutex_unlock(&table_lock);
	if (slot < 0) {
		pthread_mutex_unlock(&run_lock);
		kdma_warn(NULL, "kdma_irq_raise(%u): no handler requested on that line", irq);
		return -ENOENT;
	}
	ret = disabled ? 0 : irq_run(irq);
	pthread_mutex_unlock(&run_lock);
	return ret;
}

void disable_irq_nosync(unsigned int irq)
{
	int slot;

	pthread_mutex_lock(&table_lock);
	slot = line_slot(irq);
	if (slot >= 0)
		depth[slot]++;
	pthread_mutex_unlock(&table_lock);
}

void synchronize_irq(unsigned int irq)
{
	(void)irq;
	pthread_mutex_lock(&run_lock);
	pthread_mutex_unlock(&run_lock);
}

void disable_irq(unsigned int irq)
{
	disable_irq_nosync(irq);
	synchronize_irq(irq);
}

void enable_irq(unsigned int irq)
{
	bool deliver = false;
	int slot;

	pthread_mutex_lock(&table_lock);
	slot = line_slot(irq);
	if (slot >= 0 && depth[slot] == 0)
		kdma_warn(NULL, "enable_irq(%u): unbalanced (the line is not disabled)", irq);
	else if (slot >= 0 && --depth[slot] == 0 && pending[slot]) {
		pending[slot] = false;
		deliver = true;
	}
	pthread_mutex_unlock(&table_lock);
	if (deliver)
		kdma_irq_raise(irq);
}
