// SPDX-License-Identifier: MIT
/*
 * The campipe SoC, played by a thread: the camera engine writes the sensor's pattern into the
 * frame it was given (dmasim_dma_write on the camera's device) and raises its interrupt when
 * enabled; the display engine reads the frame it was given (dmasim_dma_read on the display's
 * device) and latches a checksum of it.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include <dmasan/sim.h>

#include "campipe_model.h"

struct campipe_model {
	struct device *cam, *disp;
	struct campipe_cam_regs cam_regs;
	struct campipe_disp_regs disp_regs;
	campipe_irq_fn _Atomic irq;
	void *irq_arg;
	pthread_t thread;
	atomic_bool stop;
};

#define FRAME_MAX (1u << 20)

static u32 reg(const u32 *r)
{
	return __atomic_load_n(r, __ATOMIC_ACQUIRE);
}

static void set_reg(u32 *r, u32 v)
{
	__atomic_store_n(r, v, __ATOMIC_RELEASE);
}

static u32 camera_capture(struct campipe_model *hw, u8 *frame)
{
	u32 len = reg(&hw->cam_regs.len), seq = reg(&hw->cam_regs.seq);

	if (!len || len > FRAME_MAX)
		return CAMPIPE_STATUS_ERR;
	for (u32 i = 0; i < len; i++)
		frame[i] = campipe_pattern(seq, i);
	if (dmasim_dma_write(hw->cam, hw->cam_regs.addr, frame, len))
		return CAMPIPE_STATUS_ERR;
	return CAMPIPE_STATUS_DONE;
}

static u32 display_scanout(struct campipe_model *hw, u8 *frame)
{
	u32 len = reg(&hw->disp_regs.len);

	if (!len || len > FRAME_MAX || dmasim_dma_read(hw->disp, hw->disp_regs.addr, frame, len))
		return CAMPIPE_STATUS_ERR;
	set_reg(&hw->disp_regs.crc, campipe_crc(frame, len));
	return CAMPIPE_STATUS_DONE;
}

static void *model_thread(void *arg)
{
	const struct timespec idle = { 0, 50 * 1000 };
	struct campipe_model *hw = arg;
	u8 *frame = malloc(FRAME_MAX);

	while (frame && !atomic_load(&hw->stop)) {
		bool busy = false;

		if (reg(&hw->cam_regs.start)) {
			u32 status = camera_capture(hw, frame);

			set_reg(&hw->cam_regs.start, 0);
			set_reg(&hw->cam_regs.status, status);
			busy = true;
		}
		if (reg(&hw->cam_regs.status) && reg(&hw->cam_regs.irq_enable) &&
		    atomic_load(&hw->irq)) {
			set_reg(&hw->cam_regs.status, 0);
			atomic_load(&hw->irq)(hw->irq_arg);
			busy = true;
		}
		if (reg(&hw->disp_regs.start)) {
			u32 status = display_scanout(hw, frame);

			set_reg(&hw->disp_regs.start, 0);
			set_reg(&hw->disp_regs.status, status);
			busy = true;
		}
		if (!busy)
			nanosleep(&idle, NULL);
	}
	free(frame);
	return NULL;
}

struct campipe_model *campipe_model_start(struct device *cam, struct device *disp)
{
	struct campipe_model *hw = calloc(1, sizeof(*hw));

	if (!hw)
		return NULL;
	hw->cam = cam;
	hw->disp = disp;
	if (pthread_create(&hw->thread, NULL, model_thread, hw)) {
		free(hw);
		return NULL;
	}
	return hw;
}

void campipe_model_set_irq(struct campipe_model *hw, campipe_irq_fn irq, void *arg)
{
	hw->irq_arg = arg;
	atomic_store(&hw->irq, irq);
}

struct campipe_cam_regs *campipe_model_cam_regs(struct campipe_model *hw)
{
	return &hw->cam_regs;
}

struct campipe_disp_regs *campipe_model_disp_regs(struct campipe_model *hw)
{
	return &hw->disp_regs;
}

void campipe_model_stop(struct campipe_model *hw)
{
	atomic_store(&hw->stop, true);
	pthread_join(hw->thread, NULL);
	free(hw);
}
