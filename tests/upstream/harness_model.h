/* SPDX-License-Identifier: MIT */
/*
 * What every device model of the upstream harnesses has: its register window claimed from the
 * MMIO accessors (dmasim_mmio_claim), a lock over its state, a condition its thread waits on
 * (signalled by register writes) and the thread itself.
 */
#ifndef DMASAN_UPSTREAM_HARNESS_MODEL_H
#define DMASAN_UPSTREAM_HARNESS_MODEL_H

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <dmasan/sim.h>

struct harness_model {
	u8 *regs;
	size_t size;
	pthread_mutex_t lock;
	pthread_cond_t kick;
	pthread_t thread;
	bool stop;
};

/* Zeroes the registers, claims them for ops(ctx) and starts thread(ctx). 0 or a negative errno. */
static int harness_model_start(struct harness_model *hm, u8 *regs, size_t size,
			       const struct dmasim_mmio_ops *ops, void *(*thread)(void *),
			       void *ctx)
{
	int ret;

	hm->regs = regs;
	hm->size = size;
	hm->stop = false;
	memset(regs, 0, size);
	pthread_mutex_init(&hm->lock, NULL);
	pthread_cond_init(&hm->kick, NULL);
	ret = dmasim_mmio_claim(regs, size, ops, ctx);
	if (ret)
		return ret;
	if (pthread_create(&hm->thread, NULL, thread, ctx)) {
		dmasim_mmio_release(regs);
		return -EAGAIN;
	}
	return 0;
}

static void harness_model_stop(struct harness_model *hm)
{
	pthread_mutex_lock(&hm->lock);
	hm->stop = true;
	pthread_cond_signal(&hm->kick);
	pthread_mutex_unlock(&hm->lock);
	pthread_join(hm->thread, NULL);
	dmasim_mmio_release(hm->regs);
}

#endif
