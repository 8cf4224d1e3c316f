/* SPDX-License-Identifier: MIT */
#ifndef CAMPIPE_MODEL_H
#define CAMPIPE_MODEL_H

#include "campipe_hw.h"

struct device;
struct campipe_model;

/* The camera's frame-done interrupt line: called from the model's thread. */
typedef void (*campipe_irq_fn)(void *arg);

/* Start the SoC model: a thread playing both engines, the camera through cam, the display
 * through disp. */
struct campipe_model *campipe_model_start(struct device *cam, struct device *disp);
/* Wire the camera's interrupt to its handler (request_irq); no interrupt is raised before. */
void campipe_model_set_irq(struct campipe_model *hw, campipe_irq_fn irq, void *arg);
struct campipe_cam_regs *campipe_model_cam_regs(struct campipe_model *hw);
struct campipe_disp_regs *campipe_model_disp_regs(struct campipe_model *hw);
void campipe_model_stop(struct campipe_model *hw);

#endif
