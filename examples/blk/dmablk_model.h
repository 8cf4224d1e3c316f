/* SPDX-License-Identifier: MIT */
/* The dmablk hardware: a controller thread with a 1 MiB RAM disk, through <dmasan/sim.h>. */
#ifndef DMABLK_MODEL_H
#define DMABLK_MODEL_H

struct device;
struct dmablk_regs;
struct dmablk_model;

struct dmablk_model *dmablk_model_start(struct device *dev);
struct dmablk_regs *dmablk_model_regs(struct dmablk_model *hw);
unsigned long dmablk_model_faults(struct dmablk_model *hw);
void dmablk_model_stop(struct dmablk_model *hw);

#endif
