/* SPDX-License-Identifier: MIT */
/*
 * <linux/interrupt.h> — interrupt registration stubs. Nothing raises interrupts by itself: a
 * test calls the driver's handler directly (or from its device-model thread) when the simulated
 * hardware would interrupt.
 */
#ifndef _DMASAN_SHIM_LINUX_INTERRUPT_H
#define _DMASAN_SHIM_LINUX_INTERRUPT_H

#include <linux/types.h>
#include <linux/compiler.h>
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

static inline int request_irq(unsigned int irq __maybe_unused,
			      irq_handler_t handler __maybe_unused,
			      unsigned long flags __maybe_unused, const char *name __maybe_unused,
			      void *dev __maybe_unused)
{
	return 0;
}

static inline int request_threaded_irq(unsigned int irq __maybe_unused,
				       irq_handler_t handler __maybe_unused,
				       irq_handler_t thread_fn __maybe_unused,
				       unsigned long flags __maybe_unused,
				       const char *name __maybe_unused, void *dev __maybe_unused)
{
	return 0;
}

static inline int devm_request_irq(struct device *dev __maybe_unused,
				   unsigned int irq __maybe_unused,
				   irq_handler_t handler __maybe_unused,
				   unsigned long flags __maybe_unused,
				   const char *name __maybe_unused, void *dev_id __maybe_unused)
{
	return 0;
}

static inline int devm_request_threaded_irq(struct device *dev __maybe_unused,
					    unsigned int irq __maybe_unused,
					    irq_handler_t handler __maybe_unused,
					    irq_handler_t thread_fn __maybe_unused,
					    unsigned long flags __maybe_unused,
					    const char *name __maybe_unused,
					    void *dev_id __maybe_unused)
{
	return 0;
}

static inline const void *free_irq(unsigned int irq __maybe_unused, void *dev_id __maybe_unused)
{
	return NULL;
}

#define devm_free_irq(dev, irq, dev_id) ((void)(dev), (void)(irq), (void)(dev_id))
#define disable_irq(irq) ((void)(irq))
#define disable_irq_nosync(irq) ((void)(irq))
#define enable_irq(irq) ((void)(irq))
#define synchronize_irq(irq) ((void)(irq))

#endif
