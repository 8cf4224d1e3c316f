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
	u8 bounce[65536]; /* the channel's data FIFO */
	unsigned long descs, copied, faults;
};

/* Sets up the model for dev raising irq, with its registers at regs (PLX_REGS_SIZE bytes), and
 * starts its thread. 0 or a negative errno. */
int plx_dma_model_start(struct plx_dma_model *m, struct device *dev, unsigned int irq, u8 *regs);
void plx_dma_model_stop(struct plx_dma_model *m);

#endif
