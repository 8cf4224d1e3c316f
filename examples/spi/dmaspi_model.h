/* SPDX-License-Identifier: MIT */
/* The dmaspi hardware: the controller's DMA engine plus a register-file sensor, as a thread. */
#ifndef DMASPI_MODEL_H
#define DMASPI_MODEL_H

struct device;
struct dmaspi_regs;
struct dmaspi_model;

struct dmaspi_model *dmaspi_model_start(struct device *dev);
struct dmaspi_regs *dmaspi_model_regs(struct dmaspi_model *hw);
void dmaspi_model_stop(struct dmaspi_model *hw);

#endif
