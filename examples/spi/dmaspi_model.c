// SPDX-License-Identifier: MIT
/*
 * The dmaspi controller and its sensor, played by a thread: on `start` it reads the TX bytes
 * from memory (dmasim_dma_read), interprets them as a sensor command, and writes the answer into
 * the RX buffer (dmasim_dma_write). A receive-only transfer streams the sensor's FIFO.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include <dmasan/sim.h>

#include "dmaspi_hw.h"
#include "dmaspi_model.h"

struct dmaspi_model {
	struct device *dev;
	struct dmaspi_regs regs;
	pthread_t thread;
	atomic_bool stop;
	u8 sensor[DMASPI_NREGS];
	u8 fifo_seq;
};

static u32 reg(const u32 *r)
{
	return __atomic_load_n(r, __ATOMIC_ACQUIRE);
}

static u32 model_transfer(struct dmaspi_model *hw)
{
	u8 tx[8] = { 0 }, rx[256];
	u32 tx_len = reg(&hw->regs.tx_len), rx_len = reg(&hw->regs.rx_len), i;

	if (tx_len > sizeof(tx) || rx_len > sizeof(rx))
		return DMASPI_STATUS_ERR;
	if (tx_len && dmasim_dma_read(hw->dev, reg(&hw->regs.tx_addr), tx, tx_len))
		return DMASPI_STATUS_ERR;

	if (!tx_len) { /* receive-only: the sensor's FIFO */
		for (i = 0; i < rx_len; i++)
			rx[i] = hw->fifo_seq++;
	} else if (tx[0] & DMASPI_READ) {
		for (i = 0; i < rx_len; i++)
			rx[i] = hw->sensor[((tx[0] & ~DMASPI_READ) + i) % DMASPI_NREGS];
	} else if (tx_len >= 2) {
		hw->sensor[tx[0] % DMASPI_NREGS] = tx[1];
	}
	if (rx_len && dmasim_dma_write(hw->dev, reg(&hw->regs.rx_addr), rx, rx_len))
		return DMASPI_STATUS_ERR;
	return DMASPI_STATUS_DONE;
}

static void *model_thread(void *arg)
{
	struct dmaspi_model *hw = arg;
	const struct timespec idle = { 0, 50 * 1000 };

	while (!atomic_load(&hw->stop)) {
		if (!reg(&hw->regs.start)) {
			nanosleep(&idle, NULL);
			continue;
		}
		u32 status = model_transfer(hw);

		__atomic_store_n(&hw->regs.start, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&hw->regs.status, status, __ATOMIC_RELEASE);
	}
	return NULL;
}

struct dmaspi_model *dmaspi_model_start(struct device *dev)
{
	struct dmaspi_model *hw = calloc(1, sizeof(*hw));
	unsigned int i;

	if (!hw)
		return NULL;
	hw->dev = dev;
	for (i = 0; i < DMASPI_NREGS; i++)
		hw->sensor[i] = (u8)(0x10 + i);
	hw->sensor[DMASPI_REG_ID] = DMASPI_ID_VALUE;
	if (pthread_create(&hw->thread, NULL, model_thread, hw)) {
		free(hw);
		return NULL;
	}
	return hw;
}

struct dmaspi_regs *dmaspi_model_regs(struct dmaspi_model *hw)
{
	return &hw->regs;
}

void dmaspi_model_stop(struct dmaspi_model *hw)
{
	atomic_store(&hw->stop, true);
	pthread_join(hw->thread, NULL);
	free(hw);
}
