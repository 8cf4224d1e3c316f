/* SPDX-License-Identifier: MIT */
/* The dmanic hardware: a device-model thread that plays the NIC through <dmasan/sim.h>. */
#ifndef DMANIC_MODEL_H
#define DMANIC_MODEL_H

#include <linux/types.h>

struct device;
struct dmanic_regs;
struct dmanic_model;

/* Start the hardware for dev. It loops every transmitted frame back into the RX ring. */
struct dmanic_model *dmanic_model_start(struct device *dev);
struct dmanic_regs *dmanic_model_regs(struct dmanic_model *hw);
/* Block until the device has consumed every TX descriptor handed to it. */
void dmanic_model_wait_idle(struct dmanic_model *hw);
/* Frames the device failed to move (DMA faults), for the test's checks. */
unsigned long dmanic_model_faults(struct dmanic_model *hw);
void dmanic_model_stop(struct dmanic_model *hw);

#endif
