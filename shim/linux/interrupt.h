/* SPDX-License-Identifier: MIT */
/*
 * <linux/interrupt.h> — interrupt registration stubs. Nothing raises interrupts by itself: a
 * test calls the driver's handler directly (or from its device-model thread) when the simulated
 * hardware would interrupt.
 */
#ifndef _DMASAN_SHIM_LINUX_INTERRUPT_H
#define _DMASAN_SHIM_LINUX_INTERRUPT_H

#include <linux/types.h>
#include <linux/spinlock.h>

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

static inline int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
			      const char *name, void *dev)
{
	return 0;
}

static inline int request_threaded_irq(unsigned int irq, irq_handler_t handler,
				       irq_handler_t thread_fn, unsigned long flags,
				       const char *name, void *dev)
{
	return 0;
}

static inline int devm_request_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
				   unsigned long flags, const char *name, void *dev_id)
{
	return 0;
}

static inline int devm_request_threaded_irq(struct device *dev, unsigned int irq,
					    irq_handler_t handler, irq_handler_t thread_fn,
					    unsigned long flags, const char *name, void *dev_id)
{
	return 0;
}

static inline const void *free_irq(unsigned int irq, void *dev_id)
{
	return NULL;
}

#define devm_free_irq(dev, irq, dev_id) do {} while (0)
#define disable_irq(irq) do {} while (0)
#define disable_irq_nosync(irq) do {} while (0)
#define enable_irq(irq) do {} while (0)
#define synchronize_irq(irq) do {} while (0)

#endif
