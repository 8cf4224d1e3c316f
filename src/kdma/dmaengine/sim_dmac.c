// SPDX-License-Identifier: MIT
/*
 * The simulated DMA controller (<dmasan/sim.h>): a dmaengine provider with one worker thread.
 * Descriptors go submitted -> issued -> active -> done under the controller's lock; the worker
 * moves one chunk at a time with the lock dropped (the channel is then "busy"), so terminate can
 * return while a chunk is still being copied and synchronize waits for it, as on hardware.
 */
#include <errno.h>
#include <string.h>

#include <linux/dmaengine.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

#include "dmaengine/dmaengine_hooks.h"

#define CHUNK 256
#define FIFO_SIZE 4096

struct sim_desc {
	struct dma_async_tx_descriptor tx;
	struct list_head node;
	enum dma_transfer_direction dir;
	bool cyclic, aborted;
	unsigned int nsegs, seg;
	size_t seg_off, period_len, period_done;
	struct kdma_dmaengine_seg *segs; /* memcpy: [0] source, [1] destination */
};

struct sim_chan {
	struct dma_chan chan;
	struct dmasim_dmac *dmac;
	struct list_head submitted, issued;
	struct sim_desc *active;
	bool busy, paused;
	u8 fifo[FIFO_SIZE];
	size_t fifo_head, fifo_len;
};

struct dmasim_dmac {
	struct dma_device ddev;
	pthread_t worker;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* any change: new work, FIFO space or data, a chunk done */
	bool stop;
	unsigned int nchans;
	struct sim_chan *chans;
};

static struct sim_chan *to_sim(struct dma_chan *chan)
{
	return container_of(chan, struct sim_chan, chan);
}

static struct sim_desc *to_desc(struct dma_async_tx_descriptor *tx)
{
	return container_of(tx, struct sim_desc, tx);
}

static void desc_free(struct sim_desc *d)
{
	kfree(d->segs);
	kfree(d);
}

static void free_list(struct list_head *list)
{
	struct sim_desc *d, *tmp;

	list_for_each_entry_safe(d, tmp, list, node) {
		list_del(&d->node);
		desc_free(d);
	}
}

/* ---- the worker ---- */

/* Under the lock: the next piece of work of c as (address, length); 0 if it cannot progress. */
static size_t next_chunk(struct sim_chan *c, struct kdma_dmaengine_seg **seg)
{
	struct sim_desc *d = c->active;
	size_t len;

	if (!d && !list_empty(&c->issued)) {
		d = c->active = list_first_entry(&c->issued, struct sim_desc, node);
		list_del_init(&d->node);
	}
	if (!d || c->paused)
		return 0;
	*seg = &d->segs[d->dir == DMA_MEM_TO_MEM ? 0 : d->seg];
	len = min_t(size_t, CHUNK, (*seg)->len - d->seg_off);
	if (d->cyclic)
		len = min(len, d->period_len - d->period_done);
	if (d->dir == DMA_DEV_TO_MEM)
		len = min(len, c->fifo_len);
	else if (d->dir == DMA_MEM_TO_DEV)
		len = min(len, FIFO_SIZE - c->fifo_len);
	return len;
}

static void fifo_in(struct sim_chan *c, const u8 *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		c->fifo[(c->fifo_head + c->fifo_len++) % FIFO_SIZE] = p[i];
}

static void fifo_out(struct sim_chan *c, u8 *p, size_t len)
{
	for (size_t i = 0; i < len; i++, c->fifo_len--) {
		p[i] = c->fifo[c->fifo_head];
		c->fifo_head = (c->fifo_head + 1) % FIFO_SIZE;
	}
}

/* Without the lock: move one chunk. The FIFO part was done under the lock by the caller. */
static void move_chunk(struct dmasim_dmac *dmac, struct sim_desc *d,
		       const struct kdma_dmaengine_seg *seg, size_t off, u8 *buf, size_t len)
{
	struct device *dev = dmac->ddev.dev;

	switch (d->dir) {
	case DMA_MEM_TO_DEV:
		dmasim_dma_read(dev, seg->addr + off, buf, len);
		break;
	case DMA_DEV_TO_MEM:
		dmasim_dma_write(dev, seg->addr + off, buf, len);
		break;
	default: /* memcpy: source, then destination at the same offset */
		dmasim_dma_read(dev, seg->addr + off, buf, len);
		dmasim_dma_write(dev, d->segs[1].addr + off, buf, len);
		break;
	}
}

static void run_callback(struct sim_desc *d, enum dmaengine_tx_result res)
{
	struct dmaengine_result r = { res, 0 };

	if (d->tx.callback_result)
		d->tx.callback_result(d->tx.callback_param, &r);
	else if (d->tx.callback)
		d->tx.callback(d->tx.callback_param);
}

/* After a chunk, under the lock: advance; returns true when a callback is due (period or end). */
static bool advance(struct sim_chan *c, struct sim_desc *d, size_t len, bool *finished)
{
	const struct kdma_dmaengine_seg *seg = &d->segs[d->dir == DMA_MEM_TO_MEM ? 0 : d->seg];
	bool period_end = false;

	*finished = false;
	d->seg_off += len;
	if (d->cyclic) {
		d->period_done += len;
		if (d->period_done == d->period_len) {
			d->period_done = 0;
			period_end = true;
		}
	}
	if (d->seg_off == seg->len) {
		d->seg_off = 0;
		if (d->cyclic)
			return period_end;
		if (d->dir == DMA_MEM_TO_MEM || ++d->seg == d->nsegs) {
			*finished = true; /* the cookie completes after the hook (worker) */
			c->active = NULL;
			return true;
		}
	}
	return period_end;
}

static bool find_work(struct dmasim_dmac *dmac, struct sim_chan **cp,
		      struct kdma_dmaengine_seg **seg, size_t *len)
{
	for (unsigned int i = 0; i < dmac->nchans; i++) {
		struct sim_chan *c = &dmac->chans[i];

		*len = next_chunk(c, seg);
		if (*len) {
			*cp = c;
			return true;
		}
	}
	return false;
}

static void *worker(void *arg)
{
	struct dmasim_dmac *dmac = arg;
	u8 buf[CHUNK];

	pthread_mutex_lock(&dmac->lock);
	while (!dmac->stop) {
		struct kdma_dmaengine_seg *seg;
		struct sim_chan *c;
		struct sim_desc *d;
		bool finished, cb;
		size_t len, off;

		if (!find_work(dmac, &c, &seg, &len)) {
			pthread_cond_wait(&dmac->cond, &dmac->lock);
			continue;
		}
		d = c->active;
		off = d->seg_off;
		if (d->dir == DMA_DEV_TO_MEM)
			fifo_out(c, buf, len);
		c->busy = true;
		pthread_mutex_unlock(&dmac->lock);
		move_chunk(dmac, d, seg, off, buf, len);
		pthread_mutex_lock(&dmac->lock);
		if (d->dir == DMA_MEM_TO_DEV)
			fifo_in(c, buf, len);
		if (d->aborted) { /* terminated while the chunk moved */
			desc_free(d);
			c->busy = false;
			pthread_cond_broadcast(&dmac->cond);
			continue;
		}
		cb = advance(c, d, len, &finished);
		if (cb) {
			struct kdma_dmaengine_info info = { .desc = d, .cookie = d->tx.cookie };

			pthread_mutex_unlock(&dmac->lock);
			if (finished) {
				/* the sanitizer learns first, so a client that sees DMA_COMPLETE
				 * and unmaps is never taken for one racing the transfer */
				kdma_dmaengine_event(&c->chan, KDMA_DMAE_COMPLETE, &info);
				pthread_mutex_lock(&dmac->lock);
				c->chan.completed_cookie = d->tx.cookie;
				pthread_mutex_unlock(&dmac->lock);
			}
			if (d->tx.flags & DMA_PREP_INTERRUPT)
				run_callback(d, DMA_TRANS_NOERROR);
			pthread_mutex_lock(&dmac->lock);
			/* finished, or a cyclic one terminated while its callback ran */
			if (finished || d->aborted)
				desc_free(d);
		}
		c->busy = false;
		pthread_cond_broadcast(&dmac->cond);
	}
	pthread_mutex_unlock(&dmac->lock);
	return NULL;
}

/* ---- provider operations ---- */

static dma_cookie_t sim_tx_submit(struct dma_async_tx_descriptor *tx)
{
	struct sim_chan *c = to_sim(tx->chan);
	dma_cookie_t cookie;

	pthread_mutex_lock(&c->dmac->lock);
	cookie = kdma_dma_cookie_assign(tx);
	list_add_tail(&to_desc(tx)->node, &c->submitted);
	pthread_mutex_unlock(&c->dmac->lock);
	return cookie;
}

static struct sim_desc *desc_new(struct dma_chan *chan, enum dma_transfer_direction dir,
				 unsigned int nsegs, unsigned long flags)
{
	struct sim_desc *d = kzalloc(sizeof(*d), GFP_NOWAIT);

	if (!d)
		return NULL;
	d->segs = kcalloc(nsegs, sizeof(*d->segs), GFP_NOWAIT);
	if (!d->segs) {
		kfree(d);
		return NULL;
	}
	INIT_LIST_HEAD(&d->node);
	d->dir = dir;
	d->nsegs = nsegs;
	d->tx.chan = chan;
	d->tx.flags = flags;
	d->tx.tx_submit = sim_tx_submit;
	d->tx.cookie = -EBUSY;
	return d;
}

static struct dma_async_tx_descriptor *sim_prep_slave_sg(struct dma_chan *chan,
							 struct scatterlist *sgl,
							 unsigned int sg_len,
							 enum dma_transfer_direction dir,
							 unsigned long flags, void *context)
{
	struct scatterlist *sg;
	struct sim_desc *d;
	unsigned int i;

	if (dir != DMA_MEM_TO_DEV && dir != DMA_DEV_TO_MEM)
		return NULL;
	d = desc_new(chan, dir, sg_len, flags);
	if (!d)
		return NULL;
	for_each_sg(sgl, sg, sg_len, i) {
		if (!sg_dma_len(sg)) {
			desc_free(d);
			return NULL;
		}
		d->segs[i] = (struct kdma_dmaengine_seg){ sg_dma_address(sg), sg_dma_len(sg),
							  dir == DMA_MEM_TO_DEV };
	}
	return &d->tx;
}

static struct dma_async_tx_descriptor *sim_prep_cyclic(struct dma_chan *chan, dma_addr_t buf,
						       size_t buf_len, size_t period_len,
						       enum dma_transfer_direction dir,
						       unsigned long flags)
{
	struct sim_desc *d;

	if ((dir != DMA_MEM_TO_DEV && dir != DMA_DEV_TO_MEM) || !period_len ||
	    !buf_len || buf_len % period_len)
		return NULL;
	d = desc_new(chan, dir, 1, flags);
	if (!d)
		return NULL;
	d->segs[0] = (struct kdma_dmaengine_seg){ buf, buf_len, dir == DMA_MEM_TO_DEV };
	d->cyclic = true;
	d->period_len = period_len;
	return &d->tx;
}

static struct dma_async_tx_descriptor *sim_prep_memcpy(struct dma_chan *chan, dma_addr_t dst,
						       dma_addr_t src, size_t len,
						       unsigned long flags)
{
	struct sim_desc *d;

	if (!len)
		return NULL;
	d = desc_new(chan, DMA_MEM_TO_MEM, 2, flags);
	if (!d)
		return NULL;
	d->segs[0] = (struct kdma_dmaengine_seg){ src, len, true };
	d->segs[1] = (struct kdma_dmaengine_seg){ dst, len, false };
	return &d->tx;
}

static int sim_config(struct dma_chan *chan, struct dma_slave_config *cfg)
{
	return cfg ? 0 : -EINVAL;
}

static void sim_issue_pending(struct dma_chan *chan)
{
	struct sim_chan *c = to_sim(chan);

	pthread_mutex_lock(&c->dmac->lock);
	list_splice_tail_init(&c->submitted, &c->issued);
	pthread_cond_broadcast(&c->dmac->cond);
	pthread_mutex_unlock(&c->dmac->lock);
}

static enum dma_status sim_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				     struct dma_tx_state *st)
{
	struct sim_chan *c = to_sim(chan);
	enum dma_status status;

	pthread_mutex_lock(&c->dmac->lock);
	/* cookies grow by one per submit: complete if at or before the last completed one */
	status = (s32)(cookie - chan->completed_cookie) <= 0 ? DMA_COMPLETE : DMA_IN_PROGRESS;
	if (status == DMA_IN_PROGRESS && c->paused)
		status = DMA_PAUSED;
	if (st) {
		st->last = chan->completed_cookie;
		st->used = chan->cookie;
		st->residue = 0;
		if (c->active && c->active->tx.cookie == cookie) {
			struct sim_desc *d = c->active;

			for (unsigned int i = d->seg; i < d->nsegs; i++)
				st->residue += (u32)d->segs[i].len;
			st->residue -= (u32)d->seg_off;
		}
	}
	pthread_mutex_unlock(&c->dmac->lock);
	return status;
}

static int sim_pause(struct dma_chan *chan)
{
	struct sim_chan *c = to_sim(chan);

	pthread_mutex_lock(&c->dmac->lock);
	c->paused = true;
	pthread_mutex_unlock(&c->dmac->lock);
	return 0;
}

static int sim_resume(struct dma_chan *chan)
{
	struct sim_chan *c = to_sim(chan);

	pthread_mutex_lock(&c->dmac->lock);
	c->paused = false;
	pthread_cond_broadcast(&c->dmac->cond);
	pthread_mutex_unlock(&c->dmac->lock);
	return 0;
}

/* Everything queued goes; a chunk in progress finishes copying (the worker frees it then). */
static int sim_terminate_all(struct dma_chan *chan)
{
	struct sim_chan *c = to_sim(chan);

	pthread_mutex_lock(&c->dmac->lock);
	free_list(&c->submitted);
	free_list(&c->issued);
	if (c->active) {
		if (c->busy)
			c->active->aborted = true;
		else
			desc_free(c->active);
		c->active = NULL;
	}
	c->paused = false;
	pthread_mutex_unlock(&c->dmac->lock);
	return 0;
}

static void sim_synchronize(struct dma_chan *chan)
{
	struct sim_chan *c = to_sim(chan);

	pthread_mutex_lock(&c->dmac->lock);
	while (c->busy)
		pthread_cond_wait(&c->dmac->cond, &c->dmac->lock);
	pthread_mutex_unlock(&c->dmac->lock);
}

static void sim_free_chan_resources(struct dma_chan *chan)
{
	sim_terminate_all(chan);
	sim_synchronize(chan);
}

/* ---- <dmasan/sim.h> ---- */

struct dmasim_dmac *dmasim_dmac_create(const struct dmasim_config *cfg,
				       const char *const *chan_names, unsigned int nchans)
{
	struct dmasim_dmac *dmac;
	struct device *dev;

	if (!chan_names || !nchans) {
		fprintf(stderr, "dmasim_dmac_create: no channels\n");
		return NULL;
	}
	dev = dmasim_device_create(cfg);
	if (!dev)
		return NULL;
	dmac = kzalloc(sizeof(*dmac), GFP_KERNEL);
	if (dmac)
		dmac->chans = kcalloc(nchans, sizeof(*dmac->chans), GFP_KERNEL);
	if (!dmac || !dmac->chans) {
		kfree(dmac);
		dmasim_device_destroy(dev);
		return NULL;
	}
	pthread_mutex_init(&dmac->lock, NULL);
	pthread_cond_init(&dmac->cond, NULL);
	dmac->nchans = nchans;
	dmac->ddev = (struct dma_device){
		.dev = dev,
		.directions = BIT(DMA_MEM_TO_DEV) | BIT(DMA_DEV_TO_MEM) | BIT(DMA_MEM_TO_MEM),
		.device_free_chan_resources = sim_free_chan_resources,
		.device_prep_dma_memcpy = sim_prep_memcpy,
		.device_prep_slave_sg = sim_prep_slave_sg,
		.device_prep_dma_cyclic = sim_prep_cyclic,
		.device_config = sim_config,
		.device_pause = sim_pause,
		.device_resume = sim_resume,
		.device_terminate_all = sim_terminate_all,
		.device_synchronize = sim_synchronize,
		.device_tx_status = sim_tx_status,
		.device_issue_pending = sim_issue_pending,
	};
	INIT_LIST_HEAD(&dmac->ddev.channels);
	for (unsigned int i = 0; i < nchans; i++) {
		struct sim_chan *c = &dmac->chans[i];

		c->dmac = dmac;
		c->chan.name = chan_names[i];
		INIT_LIST_HEAD(&c->submitted);
		INIT_LIST_HEAD(&c->issued);
		list_add_tail(&c->chan.device_node, &dmac->ddev.channels);
	}
	if (pthread_create(&dmac->worker, NULL, worker, dmac)) {
		kfree(dmac->chans);
		kfree(dmac);
		dmasim_device_destroy(dev);
		return NULL;
	}
	dma_async_device_register(&dmac->ddev);
	return dmac;
}

bool kdma_sim_dmac_provider(const struct dma_device *device)
{
	return device->device_issue_pending == sim_issue_pending;
}

void dmasim_dmac_destroy(struct dmasim_dmac *dmac)
{
	if (!dmac)
		return;
	dma_async_device_unregister(&dmac->ddev);
	for (unsigned int i = 0; i < dmac->nchans; i++)
		sim_free_chan_resources(&dmac->chans[i].chan);
	pthread_mutex_lock(&dmac->lock);
	dmac->stop = true;
	pthread_cond_broadcast(&dmac->cond);
	pthread_mutex_unlock(&dmac->lock);
	pthread_join(dmac->worker, NULL);
	dmasim_device_destroy(dmac->ddev.dev);
	kfree(dmac->chans);
	kfree(dmac);
}

struct device *dmasim_dmac_device(struct dmasim_dmac *dmac)
{
	return dmac ? dmac->ddev.dev : NULL;
}

static struct sim_chan *chan_by_name(struct dmasim_dmac *dmac, const char *name)
{
	for (unsigned int i = 0; dmac && name && i < dmac->nchans; i++)
		if (!strcmp(dmac->chans[i].chan.name, name))
			return &dmac->chans[i];
	return NULL;
}

size_t dmasim_dmac_fifo_push(struct dmasim_dmac *dmac, const char *chan, const void *data,
			     size_t len)
{
	struct sim_chan *c = chan_by_name(dmac, chan);

	if (!c || !data)
		return 0;
	pthread_mutex_lock(&dmac->lock);
	len = min(len, FIFO_SIZE - c->fifo_len);
	fifo_in(c, data, len);
	pthread_cond_broadcast(&dmac->cond);
	pthread_mutex_unlock(&dmac->lock);
	return len;
}

size_t dmasim_dmac_fifo_pop(struct dmasim_dmac *dmac, const char *chan, void *data, size_t len)
{
	struct sim_chan *c = chan_by_name(dmac, chan);

	if (!c || !data)
		return 0;
	pthread_mutex_lock(&dmac->lock);
	len = min(len, c->fifo_len);
	fifo_out(c, data, len);
	pthread_cond_broadcast(&dmac->cond);
	pthread_mutex_unlock(&dmac->lock);
	return len;
}
