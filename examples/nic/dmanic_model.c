// SPDX-License-Identifier: MIT
/*
 * The dmanic hardware, played by a thread. It watches the tail registers, fetches TX descriptors
 * and frames from memory with dmasim_dma_read(), loops each frame into the next posted RX buffer
 * with dmasim_dma_write(), writes back the descriptors (DD) and raises the interrupt. Every
 * memory access goes through the simulated device, so the mapping stack (IOMMU, SWIOTLB) and the
 * sanitizer see exactly what real hardware would do.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmasan/sim.h>

#include "dmanic_hw.h"
#include "dmanic_model.h"

struct dmanic_model {
	struct device *dev;
	struct dmanic_regs regs; /* the register block the driver maps */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	u32 tx_head, rx_head;
	atomic_ulong faults;
};

static u64 ring_addr(u32 lo, u32 hi)
{
	return ((u64)hi << 32) | lo;
}

static u32 reg(const u32 *r)
{
	return __atomic_load_n(r, __ATOMIC_ACQUIRE);
}

/* Move one frame: TX descriptor tx_head → RX descriptor rx_head (if one is posted). */
static void model_move_frame(struct dmanic_model *hw)
{
	struct device *dev = hw->dev;
	u64 tx_ring = ring_addr(reg(&hw->regs.tx_ring_lo), reg(&hw->regs.tx_ring_hi));
	u64 rx_ring = ring_addr(reg(&hw->regs.rx_ring_lo), reg(&hw->regs.rx_ring_hi));
	u64 txd_addr = tx_ring + hw->tx_head * sizeof(struct dmanic_desc);
	struct dmanic_desc txd, rxd;
	static __thread u8 frame[DMANIC_RX_BUF_SIZE];
	unsigned int len;

	if (dmasim_dma_read(dev, txd_addr, &txd, sizeof(txd))) {
		atomic_fetch_add(&hw->faults, 1);
		goto done;
	}
	len = txd.len > DMANIC_RX_BUF_SIZE ? DMANIC_RX_BUF_SIZE : txd.len;
	if (dmasim_dma_read(dev, txd.addr, frame, len)) {
		atomic_fetch_add(&hw->faults, 1);
		goto done;
	}

	/* loopback: deliver into the next posted RX buffer, or drop if the driver posted none */
	if (hw->rx_head != reg(&hw->regs.rx_tail)) {
		u64 rxd_addr = rx_ring + hw->rx_head * sizeof(struct dmanic_desc);

		if (!dmasim_dma_read(dev, rxd_addr, &rxd, sizeof(rxd)) &&
		    !dmasim_dma_write(dev, rxd.addr, frame, len)) {
			rxd.len = len;
			rxd.flags = DMANIC_DESC_DD | DMANIC_DESC_EOP;
			dmasim_dma_write(dev, rxd_addr, &rxd, sizeof(rxd));
		} else {
			atomic_fetch_add(&hw->faults, 1);
		}
		hw->rx_head = (hw->rx_head + 1) & (DMANIC_RING_SIZE - 1);
	}
done:
	/* write back the TX descriptor: done */
	txd.flags |= DMANIC_DESC_DD;
	dmasim_dma_write(dev, txd_addr + offsetof(struct dmanic_desc, flags), &txd.flags,
			 sizeof(txd.flags));
	/* published after the frame and both descriptors are written: wait_idle relies on it */
	__atomic_store_n(&hw->tx_head, (hw->tx_head + 1) & (DMANIC_RING_SIZE - 1), __ATOMIC_RELEASE);
}

static void *model_thread(void *arg)
{
	struct dmanic_model *hw = arg;

	pthread_mutex_lock(&hw->lock);
	while (!hw->stop) {
		bool enabled = reg(&hw->regs.ctrl) & DMANIC_CTRL_ENABLE;
		bool work = enabled && hw->tx_head != reg(&hw->regs.tx_tail);

		if (!work) {
			/* Register writes are plain stores, so poll them at a fine interval; nothing
			 * in the outcome depends on how long this takes. */
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 200 * 1000;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&hw->cond, &hw->lock, &ts);
			continue;
		}
		pthread_mutex_unlock(&hw->lock);
		while (reg(&hw->regs.ctrl) & DMANIC_CTRL_ENABLE && hw->tx_head != reg(&hw->regs.tx_tail))
			model_move_frame(hw);
		pthread_mutex_lock(&hw->lock);
		__atomic_or_fetch(&hw->regs.irq_status, DMANIC_IRQ_TX | DMANIC_IRQ_RX, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&hw->cond);
	}
	pthread_mutex_unlock(&hw->lock);
	return NULL;
}

struct dmanic_model *dmanic_model_start(struct device *dev)
{
	struct dmanic_model *hw = calloc(1, sizeof(*hw));

	if (!hw)
		return NULL;
	hw->dev = dev;
	pthread_mutex_init(&hw->lock, NULL);
	pthread_cond_init(&hw->cond, NULL);
	if (pthread_create(&hw->thread, NULL, model_thread, hw)) {
		free(hw);
		return NULL;
	}
	return hw;
}

struct dmanic_regs *dmanic_model_regs(struct dmanic_model *hw)
{
	return &hw->regs;
}

void dmanic_model_wait_idle(struct dmanic_model *hw)
{
	pthread_mutex_lock(&hw->lock);
	while (!hw->stop && (reg(&hw->regs.ctrl) & DMANIC_CTRL_ENABLE) &&
	       __atomic_load_n(&hw->tx_head, __ATOMIC_ACQUIRE) != reg(&hw->regs.tx_tail))
		pthread_cond_wait(&hw->cond, &hw->lock);
	pthread_mutex_unlock(&hw->lock);
}

unsigned long dmanic_model_faults(struct dmanic_model *hw)
{
	return atomic_load(&hw->faults);
}

void dmanic_model_stop(struct dmanic_model *hw)
{
	pthread_mutex_lock(&hw->lock);
	hw->stop = true;
	pthread_cond_broadcast(&hw->cond);
	pthread_mutex_unlock(&hw->lock);
	pthread_join(hw->thread, NULL);
	pthread_cond_destroy(&hw->cond);
	pthread_mutex_destroy(&hw->lock);
	free(hw);
}
