// SPDX-License-Identifier: MIT
/*
 * The dmablk controller, played by a thread: it fetches each submitted command and its SGL with
 * dmasim_dma_read(), moves the data between its RAM disk and host memory segment by segment
 * (device writes for READ, device reads for WRITE), and posts a completion with the phase bit.
 * A segment that does not translate (IOMMU fault) fails the command with DMA_ERROR, as hardware
 * reports a PCIe completer abort.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmasan/sim.h>

#include "dmablk_hw.h"
#include "dmablk_model.h"

struct dmablk_model {
	struct device *dev;
	struct dmablk_regs regs;
	pthread_t thread;
	atomic_bool stop;
	atomic_ulong faults;
	u16 sq_head, cq_tail, phase;
	u8 disk[DMABLK_DISK_BYTES];
};

static u32 reg(const u32 *r)
{
	return __atomic_load_n(r, __ATOMIC_ACQUIRE);
}

static u64 reg64(const u32 *lo, const u32 *hi)
{
	return ((u64)reg(hi) << 32) | reg(lo);
}

static u16 model_transfer(struct dmablk_model *hw, const struct dmablk_cmd *cmd)
{
	struct dmablk_sgl_entry sgl[DMABLK_MAX_SEGS];
	u64 off = cmd->lba * DMABLK_SECTOR;
	unsigned int i;

	if (cmd->nsegs > DMABLK_MAX_SEGS ||
	    dmasim_dma_read(hw->dev, cmd->sgl_addr, sgl, cmd->nsegs * sizeof(sgl[0])))
		return DMABLK_STATUS_INVALID;
	for (i = 0; i < cmd->nsegs; i++) {
		u32 len = sgl[i].len;
		int err;

		if (!len)
			continue;
		if (off + len > DMABLK_DISK_BYTES)
			return DMABLK_STATUS_INVALID;
		if (cmd->opcode == DMABLK_OP_READ)
			err = dmasim_dma_write(hw->dev, sgl[i].addr, hw->disk + off, len);
		else
			err = dmasim_dma_read(hw->dev, sgl[i].addr, hw->disk + off, len);
		if (err) {
			atomic_fetch_add(&hw->faults, 1);
			return DMABLK_STATUS_DMA_ERROR;
		}
		off += len;
	}
	return 0;
}

static void model_complete(struct dmablk_model *hw, u16 cid, u16 status)
{
	u64 cq = reg64(&hw->regs.cq_lo, &hw->regs.cq_hi);
	struct dmablk_cqe cqe = { .cid = cid, .status = status, .phase = hw->phase };

	dmasim_dma_write(hw->dev, cq + hw->cq_tail * sizeof(cqe), &cqe, sizeof(cqe));
	if (++hw->cq_tail == DMABLK_QUEUE_DEPTH) {
		hw->cq_tail = 0;
		hw->phase ^= 1;
	}
}

static void *model_thread(void *arg)
{
	struct dmablk_model *hw = arg;
	const struct timespec idle = { 0, 100 * 1000 };

	while (!atomic_load(&hw->stop)) {
		u64 sq = reg64(&hw->regs.sq_lo, &hw->regs.sq_hi);
		struct dmablk_cmd cmd;

		if (!(reg(&hw->regs.ctrl) & 1) || hw->sq_head == reg(&hw->regs.sq_tail)) {
			nanosleep(&idle, NULL); /* doorbells are plain stores: poll them */
			continue;
		}
		if (dmasim_dma_read(hw->dev, sq + hw->sq_head * sizeof(cmd), &cmd, sizeof(cmd)))
			memset(&cmd, 0, sizeof(cmd));
		hw->sq_head = (hw->sq_head + 1) % DMABLK_QUEUE_DEPTH;
		model_complete(hw, cmd.cid, model_transfer(hw, &cmd));
	}
	return NULL;
}

struct dmablk_model *dmablk_model_start(struct device *dev)
{
	struct dmablk_model *hw = calloc(1, sizeof(*hw));

	if (!hw)
		return NULL;
	hw->dev = dev;
	hw->phase = 1;
	if (pthread_create(&hw->thread, NULL, model_thread, hw)) {
		free(hw);
		return NULL;
	}
	return hw;
}

struct dmablk_regs *dmablk_model_regs(struct dmablk_model *hw)
{
	return &hw->regs;
}

unsigned long dmablk_model_faults(struct dmablk_model *hw)
{
	return atomic_load(&hw->faults);
}

void dmablk_model_stop(struct dmablk_model *hw)
{
	atomic_store(&hw->stop, true);
	pthread_join(hw->thread, NULL);
	free(hw);
}
