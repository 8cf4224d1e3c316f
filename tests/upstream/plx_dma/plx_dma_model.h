/* SPDX-License-Identifier: MIT */
/* A model of a PLX ExpressLane DMA channel (plx_dma_model.c). */
#ifndef DMASAN_UPSTREAM_PLX_DMA_MODEL_H
#define DMASAN_UPSTREAM_PLX_DMA_MODEL_H


#include <linux/types.h>

#include "harness_model.h"

#define PLX_REGS_SIZE 4096

struct plx_dma_model {
	struct device *dev;
	unsigned int irq;
	u8 *regs; /* BAR0, which the driver ioremaps */
	struct harness_model hw; /* registers claimed, lock, thread */
	bool running;
	bool held; /* busy elsewhere: descriptors wait (plx_dma_model_hold) */
	unsigned long idles; /* times the thread went idle */
	pthread_cond_t idle;
	u8 bounce[65536]; /* the channel's data FIFO */
	unsigned long descs, copied, faults;
};

/* Sets up the model for dev raising irq, with its registers at regs (PLX_REGS_SIZE bytes), and
 * starts its thread. 0 or a negative errno. */
int plx_dma_model_start(struct plx_dma_model *m, struct device *dev, unsigned int irq, u8 *regs);
void plx_dma_model_stop(struct plx_dma_model *m);

/* Holds the channel: it fetches no descriptor until plx_dma_model_resume(), so what is submitted
 * meanwhile is in flight for as long as the harness wants, deterministically. */
void plx_dma_model_hold(struct plx_dma_model *m);
/* Lets the channel go on and returns once it is idle again: whatever it still does (with a
 * ring it was never told to leave) has been done. */
void plx_dma_model_resume(struct plx_dma_model *m);

#endif
