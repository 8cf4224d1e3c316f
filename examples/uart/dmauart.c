// SPDX-License-Identifier: MIT
/*
 * dmauart — a UART driver written as kernel code that moves data through dmaengine: a TX buffer
 * mapped per write (DMA_TO_DEVICE) and an RX buffer mapped once at probe (DMA_FROM_DEVICE,
 * synced around each receive), both for the DMA controller's device
 * (dmaengine_get_dma_device()), since the controller, not the UART, performs the DMA.
 *
 * dmauart_bug selects one real-world bug at a time (dmauart.h); DMAUART_BUG_NONE is correct.
 */
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmauart.h"

enum dmauart_bug dmauart_bug;

static const char *const dmauart_bug_names[DMAUART_BUG__COUNT] = {
	[DMAUART_BUG_NONE] = "none",
	[DMAUART_BUG_NO_ISSUE_PENDING] = "no-issue-pending",
	[DMAUART_BUG_WRONG_DEVICE] = "wrong-device",
	[DMAUART_BUG_TERMINATE_ASYNC] = "terminate-async",
	[DMAUART_BUG_UNMAP_IN_FLIGHT] = "unmap-in-flight",
};

const char *dmauart_bug_name(enum dmauart_bug bug)
{
	return bug < DMAUART_BUG__COUNT ? dmauart_bug_names[bug] : "?";
}

int dmauart_bug_parse(const char *name)
{
	for (int i = 0; i < DMAUART_BUG__COUNT; i++)
		if (!strcmp(name, dmauart_bug_names[i]))
			return i;
	return -1;
}

#define DMAUART_TX_SIZE 4096
#define DMAUART_RX_SIZE 256
#define DMAUART_DATA_REG 0x10000000 /* the UART's data register, as the controller sees it */
#define DMAUART_TIMEOUT_MS 200

struct dmauart {
	struct device *dev;
	struct dma_chan *tx, *rx;
	u8 *tx_buf, *rx_buf;
	dma_addr_t rx_dma;
	struct completion tx_done, rx_done;
};

static void dmauart_tx_callback(void *arg)
{
	complete(&((struct dmauart *)arg)->tx_done);
}

static void dmauart_rx_callback(void *arg)
{
	complete(&((struct dmauart *)arg)->rx_done);
}

static int dmauart_config(struct dma_chan *chan, enum dma_transfer_direction dir)
{
	struct dma_slave_config cfg = {
		.direction = dir,
		.src_addr = DMAUART_DATA_REG,
		.dst_addr = DMAUART_DATA_REG,
		.src_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE,
		.dst_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE,
	};

	return dmaengine_slave_config(chan, &cfg);
}

struct dmauart *dmauart_probe(struct device *dev)
{
	struct dmauart *port = kzalloc(sizeof(*port), GFP_KERNEL);
	struct device *dma_dev;

	if (!port)
		return NULL;
	port->dev = dev;
	init_completion(&port->tx_done);
	init_completion(&port->rx_done);
	port->tx = dma_request_chan(dev, "tx");
	port->rx = dma_request_chan(dev, "rx");
	if (IS_ERR(port->tx) || IS_ERR(port->rx))
		goto err;
	if (dmauart_config(port->tx, DMA_MEM_TO_DEV) || dmauart_config(port->rx, DMA_DEV_TO_MEM))
		goto err;
	port->tx_buf = kmalloc(DMAUART_TX_SIZE, GFP_KERNEL);
	port->rx_buf = kmalloc(DMAUART_RX_SIZE, GFP_KERNEL);
	if (!port->tx_buf || !port->rx_buf)
		goto err;
	dma_dev = dmaengine_get_dma_device(port->rx);
	port->rx_dma = dma_map_single(dma_dev, port->rx_buf, DMAUART_RX_SIZE, DMA_FROM_DEVICE);
	if (dma_mapping_error(dma_dev, port->rx_dma))
		goto err;
	return port;
err:
	dev_err(dev, "DMA setup failed\n");
	kfree(port->tx_buf);
	kfree(port->rx_buf);
	if (!IS_ERR_OR_NULL(port->tx))
		dma_release_channel(port->tx);
	if (!IS_ERR_OR_NULL(port->rx))
		dma_release_channel(port->rx);
	kfree(port);
	return NULL;
}

int dmauart_write(struct dmauart *port, const void *data, size_t len)
{
	/* BUG (wrong-device): the UART's own device does no DMA; its mapping means nothing to the
	 * controller (another IOMMU domain, or another DMA mask and bounce decision) */
	struct device *dma_dev = dmauart_bug == DMAUART_BUG_WRONG_DEVICE
					 ? port->dev : dmaengine_get_dma_device(port->tx);
	struct dma_async_tx_descriptor *desc;
	struct dma_tx_state state;
	dma_addr_t dma;
	int err = 0;

	if (!len || len > DMAUART_TX_SIZE)
		return -EINVAL;
	memcpy(port->tx_buf, data, len);
	dma = dma_map_single(dma_dev, port->tx_buf, len, DMA_TO_DEVICE);
	if (dma_mapping_error(dma_dev, dma))
		return -ENOMEM;
	desc = dmaengine_prep_slave_single(port->tx, dma, len, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT);
	if (!desc) {
		err = -EBUSY;
		goto out;
	}
	desc->callback = dmauart_tx_callback;
	desc->callback_param = port;
	reinit_completion(&port->tx_done);
	if (dma_submit_error(dmaengine_submit(desc))) {
		err = -EIO;
		goto out;
	}
	if (dmauart_bug != DMAUART_BUG_NO_ISSUE_PENDING)
		dma_async_issue_pending(port->tx); /* BUG (no-issue-pending): without it, nothing moves */
	if (!wait_for_completion_timeout(&port->tx_done, msecs_to_jiffies(DMAUART_TIMEOUT_MS))) {
		dmaengine_tx_status(port->tx, desc->cookie, &state);
		dev_err(port->dev, "TX timeout, %u bytes not sent\n", state.residue);
		dmaengine_terminate_sync(port->tx);
		err = -ETIMEDOUT;
	}
out:
	dma_unmap_single(dma_dev, dma, len, DMA_TO_DEVICE);
	return err;
}

int dmauart_start_rx(struct dmauart *port, size_t len)
{
	struct dma_async_tx_descriptor *desc;

	if (!len || len > DMAUART_RX_SIZE)
		return -EINVAL;
	desc = dmaengine_prep_slave_single(port->rx, port->rx_dma, len, DMA_DEV_TO_MEM,
					   DMA_PREP_INTERRUPT);
	if (!desc)
		return -EBUSY;
	desc->callback = dmauart_rx_callback;
	desc->callback_param = port;
	reinit_completion(&port->rx_done);
	if (dma_submit_error(dmaengine_submit(desc)))
		return -EIO;
	dma_async_issue_pending(port->rx);
	return 0;
}

int dmauart_finish_rx(struct dmauart *port, void *data, size_t len)
{
	struct device *dma_dev = dmaengine_get_dma_device(port->rx);

	if (!wait_for_completion_timeout(&port->rx_done, msecs_to_jiffies(DMAUART_TIMEOUT_MS)))
		return -ETIMEDOUT;
	dma_sync_single_for_cpu(dma_dev, port->rx_dma, DMAUART_RX_SIZE, DMA_FROM_DEVICE);
	memcpy(data, port->rx_buf, len);
	dma_sync_single_for_device(dma_dev, port->rx_dma, DMAUART_RX_SIZE, DMA_FROM_DEVICE);
	return 0;
}

void dmauart_shutdown(struct dmauart *port)
{
	struct device *dma_dev = dmaengine_get_dma_device(port->rx);

	switch (dmauart_bug) {
	case DMAUART_BUG_UNMAP_IN_FLIGHT:
		/* BUG: the controller may still be writing the buffer being unmapped */
		dma_unmap_single(dma_dev, port->rx_dma, DMAUART_RX_SIZE, DMA_FROM_DEVICE);
		dmaengine_terminate_sync(port->rx);
		break;
	case DMAUART_BUG_TERMINATE_ASYNC:
		/* BUG: the transfer and its callback may still run until dmaengine_synchronize() */
		dmaengine_terminate_async(port->rx);
		dma_unmap_single(dma_dev, port->rx_dma, DMAUART_RX_SIZE, DMA_FROM_DEVICE);
		dmaengine_synchronize(port->rx);
		break;
	default:
		dmaengine_terminate_sync(port->rx);
		dma_unmap_single(dma_dev, port->rx_dma, DMAUART_RX_SIZE, DMA_FROM_DEVICE);
		break;
	}
	dmaengine_terminate_sync(port->tx);
	dma_release_channel(port->tx);
	dma_release_channel(port->rx);
	kfree(port->tx_buf);
	kfree(port->rx_buf);
	kfree(port);
}
