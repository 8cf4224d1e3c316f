// SPDX-License-Identifier: MIT
/*
 * The worker thread of the fence containers (the kernel's irq_work): one ordered workqueue,
 * made on first use. At exit it is drained, so a container's last signal and the reference its
 * work held are done before the sanitizer counts live fences. A child of fork() has no worker:
 * there the drain is skipped.
 */
#include <unistd.h>

#include <linux/workqueue.h>

#include "fence/fence_hooks.h"

static struct workqueue_struct *irq_wq;
static pid_t irq_wq_pid;
static pthread_once_t irq_wq_once = PTHREAD_ONCE_INIT;

static void irq_wq_create(void)
{
	irq_wq = kdma_alloc_workqueue("dma_fence_irq_work");
	irq_wq_pid = getpid();
}

void kdma_fence_irq_work_queue(struct work_struct *work)
{
	pthread_once(&irq_wq_once, irq_wq_create);
	queue_work(irq_wq, work);
}

__attribute__((destructor)) static void irq_wq_drain(void)
{
	if (irq_wq && irq_wq_pid == getpid())
		flush_workqueue(irq_wq);
}
