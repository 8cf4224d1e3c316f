/* SPDX-License-Identifier: MIT */
/*
 * <linux/interrupt.h> — interrupt lines. Nothing raises interrupts by itself: the test (or its
 * device-model thread) calls kdma_irq_raise() where the hardware would interrupt, or calls the
 * driver's handler directly.
 */
#ifndef _DMASAN_SHIM_LINUX_INTERRUPT_H
#define _DMASAN_SHIM_LINUX_INTERRUPT_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

struct device;

enum irqreturn {
	IRQ_NONE = (0 << 0),
	IRQ_HANDLED = (1 << 0),
	IRQ_WAKE_THREAD = (1 << 1),
};
typedef enum irqreturn irqreturn_t;
#define IRQ_RETVAL(x) ((x) ? IRQ_HANDLED : IRQ_NONE)

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED 0x00000080
#define IRQF_ONESHOT 0x00002000
#define IRQF_NO_SUSPEND 0x00004000
#define IRQF_TRIGGER_NONE 0x00000000
#define IRQF_TRIGGER_HIGH 0x00000004

/* Handlers are recorded per line; kdma_irq_raise() (the simulated hardware) runs them. A line's
 * handlers never run concurrently with each other, as on one CPU; IRQ_WAKE_THREAD runs the
 * threaded part right after. */
int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long flags, const char *name, void *dev);
static inline int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
			      const char *name, void *dev)
{
	return request_threaded_irq(irq, handler, NULL, flags, name, dev);
}
int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
			      irq_handler_t thread_fn, unsigned long flags, const char *name,
			      void *dev_id);
static inline int devm_request_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
				   unsigned long flags, const char *name, void *dev_id)
{
	return devm_request_threaded_irq(dev, irq, handler, NULL, flags, name, dev_id);
}
/* Waits for a running handler of the line; returns the name given at request. */
const void *free_irq(unsigned int irq, void *dev_id);
void devm_free_irq(struct device *dev, unsigned int irq, void *dev_id);
/* Nested: a raise while disabled is delivered by the enable_irq that re-enables the line. */
void disable_irq(unsigned int irq);
void disable_irq_nosync(unsigned int irq);
void enable_irq(unsigned int irq);
void synchronize_irq(unsigned int irq);

/* dmasan: the hardware raises line irq. IRQ_HANDLED or IRQ_NONE as the handlers answered, 0 if
 * the line is disabled (delivered later), -ENOENT (with a message) when no handler is
 * registered. */
int kdma_irq_raise(unsigned int irq);

/*
 * Tasklets run on the system workqueue's thread: never concurrently with themselves, again when
 * scheduled while running; tasklet_kill() waits for a scheduled or running one to finish.
 */
struct tasklet_struct {
	struct work_struct work;
	bool use_callback;
	void (*func)(unsigned long data);
	void (*callback)(struct tasklet_struct *t);
	unsigned long data;
};

static inline void __kdma_tasklet_work(struct work_struct *work)
{
	struct tasklet_struct *t = container_of(work, struct tasklet_struct, work);

	if (t->use_callback)
		t->callback(t);
	else
		t->func(t->data);
}

static inline void tasklet_setup(struct tasklet_struct *t,
				 void (*callback)(struct tasklet_struct *t))
{
	INIT_WORK(&t->work, __kdma_tasklet_work);
	t->use_callback = true;
	t->callback = callback;
}

static inline void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long data),
				unsigned long data)
{
	INIT_WORK(&t->work, __kdma_tasklet_work);
	t->use_callback = false;
	t->func = func;
	t->data = data;
}

#define from_tasklet(var, callback_tasklet, tasklet_fieldname)                                \
	container_of(callback_tasklet, __typeof__(*var), tasklet_fieldname)

static inline void tasklet_schedule(struct tasklet_struct *t)
{
	schedule_work(&t->work);
}

#define tasklet_hi_schedule tasklet_schedule

static inline void tasklet_kill(struct tasklet_struct *t)
{
	flush_work(&t->work);
}

#endif
