/* SPDX-License-Identifier: MIT */
/*
 * <linux/dmaengine.h> — the slave DMA API (Documentation/driver-api/dmaengine/client.rst): a
 * client requests a channel, configures it, prepares descriptors on memory it mapped for the
 * DMA controller's device (dmaengine_get_dma_device(), not its own), submits them (queued, not
 * started), starts the queue with dma_async_issue_pending(), and learns of completion by callback
 * or dmaengine_tx_status(). dmaengine_terminate_async() may return with a transfer still running
 * and a callback still executing: dmaengine_synchronize() (or dmaengine_terminate_sync()) must
 * come before the buffers are unmapped or freed. The calls that are inline in the kernel are
 * functions here, so the sanitizer sees each step. Providers: <dmasan/sim.h> (dmasim_dmac_*).
 */
#ifndef _DMASAN_SHIM_LINUX_DMAENGINE_H
#define _DMASAN_SHIM_LINUX_DMAENGINE_H

#include <linux/types.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/printk.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/scatterlist.h>

typedef s32 dma_cookie_t;
#define DMA_MIN_COOKIE 1

static inline int dma_submit_error(dma_cookie_t cookie)
{
	return cookie < 0 ? cookie : 0;
}


enum dma_status {
	DMA_COMPLETE,
	DMA_IN_PROGRESS,
	DMA_PAUSED,
	DMA_ERROR,
	DMA_OUT_OF_ORDER,
};

/* Whether cookie is done, given the last completed and the last used one (they wrap). */
static inline enum dma_status dma_async_is_complete(dma_cookie_t cookie,
						    dma_cookie_t last_complete,
						    dma_cookie_t last_used)
{
	if (last_complete <= last_used) {
		if (cookie <= last_complete || cookie > last_used)
			return DMA_COMPLETE;
	} else if (cookie <= last_complete && cookie > last_used) {
		return DMA_COMPLETE;
	}
	return DMA_IN_PROGRESS;
}

enum dma_transaction_type {
	DMA_MEMCPY,
	DMA_SLAVE,
	DMA_CYCLIC,
	DMA_PRIVATE,
	DMA_TX_TYPE_END,
};

/* What a controller can do (dma_cap_set in its probe; clients ask with dma_request_chan_by_mask). */
typedef struct {
	DECLARE_BITMAP(bits, DMA_TX_TYPE_END);
} dma_cap_mask_t;
#define dma_cap_set(tx, mask) __set_bit((tx), (mask).bits)
#define dma_cap_clear(tx, mask) __clear_bit((tx), (mask).bits)
#define dma_cap_zero(mask) bitmap_zero((mask).bits, DMA_TX_TYPE_END)
#define dma_has_cap(tx, mask) test_bit((tx), (mask).bits)

enum dmaengine_alignment {
	DMAENGINE_ALIGN_1_BYTE = 0,
	DMAENGINE_ALIGN_2_BYTES = 1,
	DMAENGINE_ALIGN_4_BYTES = 2,
	DMAENGINE_ALIGN_8_BYTES = 3,
	DMAENGINE_ALIGN_16_BYTES = 4,
	DMAENGINE_ALIGN_32_BYTES = 5,
	DMAENGINE_ALIGN_64_BYTES = 6,
	DMAENGINE_ALIGN_256_BYTES = 8,
};

enum dma_transfer_direction {
	DMA_MEM_TO_MEM,
	DMA_MEM_TO_DEV,
	DMA_DEV_TO_MEM,
	DMA_DEV_TO_DEV,
	DMA_TRANS_NONE,
};

enum dma_slave_buswidth {
	DMA_SLAVE_BUSWIDTH_UNDEFINED = 0,
	DMA_SLAVE_BUSWIDTH_1_BYTE = 1,
	DMA_SLAVE_BUSWIDTH_2_BYTES = 2,
	DMA_SLAVE_BUSWIDTH_4_BYTES = 4,
	DMA_SLAVE_BUSWIDTH_8_BYTES = 8,
};

struct dma_slave_config {
	enum dma_transfer_direction direction;
	phys_addr_t src_addr, dst_addr; /* the peripheral's FIFO register */
	enum dma_slave_buswidth src_addr_width, dst_addr_width;
	u32 src_maxburst, dst_maxburst;
	bool device_fc;
	void *peripheral_config;
	size_t peripheral_size;
};

enum dma_ctrl_flags {
	DMA_PREP_INTERRUPT = (1 << 0), /* call the callback on completion */
	DMA_CTRL_ACK = (1 << 1),
	DMA_PREP_FENCE = (1 << 5),
};

struct dma_tx_state {
	dma_cookie_t last, used;
	u32 residue; /* bytes not yet transferred */
	u32 in_flight_bytes;
};

enum dmaengine_tx_result {
	DMA_TRANS_NOERROR = 0,
	DMA_TRANS_READ_FAILED,
	DMA_TRANS_WRITE_FAILED,
	DMA_TRANS_ABORTED,
};

struct dmaengine_result {
	enum dmaengine_tx_result result;
	u32 residue;
};

typedef void (*dma_async_tx_callback)(void *dma_async_param);
typedef void (*dma_async_tx_callback_result)(void *dma_async_param,
					     const struct dmaengine_result *result);

struct dma_chan;
struct dmaengine_unmap_data;

struct dma_async_tx_descriptor {
	dma_cookie_t cookie;
	enum dma_ctrl_flags flags;
	struct dma_chan *chan;
	dma_cookie_t (*tx_submit)(struct dma_async_tx_descriptor *tx);
	int (*desc_free)(struct dma_async_tx_descriptor *tx);
	dma_async_tx_callback callback;
	dma_async_tx_callback_result callback_result;
	void *callback_param;
	struct dmaengine_unmap_data *unmap; /* the async_tx core's unmap data: not modelled */
};

static inline void dma_async_tx_descriptor_init(struct dma_async_tx_descriptor *tx,
						struct dma_chan *chan)
{
	tx->chan = chan;
}

/* Release the unmap data the async_tx core attached (none here: clients unmap themselves). */
static inline void dma_descriptor_unmap(struct dma_async_tx_descriptor *tx)
{
	if (tx->unmap) {
		KDMA_STUB_ONCE("dmaengine_unmap_put");
		tx->unmap = NULL;
	}
}

struct dma_device;

struct dma_chan {
	struct dma_device *device;
	struct device *slave; /* the client that requested it */
	dma_cookie_t cookie;  /* last cookie handed out */
	dma_cookie_t completed_cookie;
	int chan_id;
	const char *name;
	int client_count;
	void *private;
	struct list_head device_node;
};

/* A provider (a DMA controller driver). */
struct dma_device {
	struct device *dev; /* the controller: client buffers are mapped for this device */
	struct list_head channels;
	int chancnt;
	dma_cap_mask_t cap_mask;
	enum dmaengine_alignment copy_align;
	u32 directions; /* BIT(enum dma_transfer_direction) */
	int (*device_alloc_chan_resources)(struct dma_chan *chan);
	void (*device_free_chan_resources)(struct dma_chan *chan);
	struct dma_async_tx_descriptor *(*device_prep_dma_memcpy)(struct dma_chan *chan,
								  dma_addr_t dst, dma_addr_t src,
								  size_t len, unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_slave_sg)(
		struct dma_chan *chan, struct scatterlist *sgl, unsigned int sg_len,
		enum dma_transfer_direction direction, unsigned long flags, void *context);
	struct dma_async_tx_descriptor *(*device_prep_dma_cyclic)(
		struct dma_chan *chan, dma_addr_t buf_addr, size_t buf_len, size_t period_len,
		enum dma_transfer_direction direction, unsigned long flags);
	int (*device_config)(struct dma_chan *chan, struct dma_slave_config *config);
	int (*device_pause)(struct dma_chan *chan);
	int (*device_resume)(struct dma_chan *chan);
	int (*device_terminate_all)(struct dma_chan *chan);
	void (*device_synchronize)(struct dma_chan *chan);
	enum dma_status (*device_tx_status)(struct dma_chan *chan, dma_cookie_t cookie,
					    struct dma_tx_state *txstate);
	void (*device_issue_pending)(struct dma_chan *chan);
	/* called once the controller is unregistered and no channel is in use */
	void (*device_release)(struct dma_device *dev);
	struct list_head global_node;
};

/* Providers: make the controller's channels available to dma_request_chan(). */
int dma_async_device_register(struct dma_device *device);
void dma_async_device_unregister(struct dma_device *device);
/* (The cookie helpers of providers, dma_cookie_init/assign/complete/status, are the kernel's own
 * drivers/dma/dmaengine.h, which a provider includes from its tree.) */

/* A channel by name for dev (a free channel of a registered controller that can do it:
 * the name is matched against the controller's channel names); ERR_PTR(-ENODEV) if none. */
struct dma_chan *dma_request_chan(struct device *dev, const char *name);
/* A free channel of a registered controller with every capability in mask. */
struct dma_chan *dma_request_chan_by_mask(const dma_cap_mask_t *mask);
void dma_release_channel(struct dma_chan *chan);

int dmaengine_slave_config(struct dma_chan *chan, struct dma_slave_config *config);
struct dma_async_tx_descriptor *dmaengine_prep_slave_sg(struct dma_chan *chan,
							struct scatterlist *sgl,
							unsigned int sg_len,
							enum dma_transfer_direction dir,
							unsigned long flags);
struct dma_async_tx_descriptor *dmaengine_prep_slave_single(struct dma_chan *chan, dma_addr_t buf,
							    size_t len,
							    enum dma_transfer_direction dir,
							    unsigned long flags);
struct dma_async_tx_descriptor *dmaengine_prep_dma_cyclic(struct dma_chan *chan,
							  dma_addr_t buf_addr, size_t buf_len,
							  size_t period_len,
							  enum dma_transfer_direction dir,
							  unsigned long flags);
struct dma_async_tx_descriptor *dmaengine_prep_dma_memcpy(struct dma_chan *chan, dma_addr_t dest,
							  dma_addr_t src, size_t len,
							  unsigned long flags);
/* Queue the descriptor (it does not start): returns its cookie, or a negative error. */
dma_cookie_t dmaengine_submit(struct dma_async_tx_descriptor *desc);
/* Start what was submitted. */
void dma_async_issue_pending(struct dma_chan *chan);
enum dma_status dmaengine_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				    struct dma_tx_state *state);
/* Issues pending work and polls until the cookie completes (DMA_ERROR after 5 s). */
enum dma_status dma_sync_wait(struct dma_chan *chan, dma_cookie_t cookie);
int dmaengine_pause(struct dma_chan *chan);
int dmaengine_resume(struct dma_chan *chan);
/* Stop every transfer of the channel; a transfer and its callback may still be running. */
int dmaengine_terminate_async(struct dma_chan *chan);
/* Wait until what terminate_async stopped has really stopped (callbacks included). */
void dmaengine_synchronize(struct dma_chan *chan);
int dmaengine_terminate_sync(struct dma_chan *chan);
/* Deprecated: terminate_async + synchronize. */
int dmaengine_terminate_all(struct dma_chan *chan);

/* The device to map client buffers for: the controller's. */
static inline struct device *dmaengine_get_dma_device(struct dma_chan *chan)
{
	return chan->device->dev;
}

static inline const char *dma_chan_name(struct dma_chan *chan)
{
	return chan->name;
}

#endif
