// SPDX-License-Identifier: MIT
/*
 * The dmaengine core: registered controllers, channel lookup by name, and the client calls,
 * which dispatch to the provider's operations as the kernel's inline wrappers do and tell the
 * sanitizer each step.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <linux/dmaengine.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "dmaengine/dmaengine_hooks.h"

static LIST_HEAD(dma_device_list);
static pthread_mutex_t dma_list_lock = PTHREAD_MUTEX_INITIALIZER;

int dma_async_device_register(struct dma_device *device)
{
	struct dma_chan *chan;
	int id = 0;

	if (!device || !device->dev || !device->device_issue_pending || !device->device_tx_status)
		return -EINVAL;
	list_for_each_entry(chan, &device->channels, device_node) {
		chan->device = device;
		chan->chan_id = id++;
		chan->cookie = chan->completed_cookie = DMA_MIN_COOKIE;
	}
	pthread_mutex_lock(&dma_list_lock);
	list_add_tail(&device->global_node, &dma_device_list);
	pthread_mutex_unlock(&dma_list_lock);
	return 0;
}

/* The kernel releases a controller when its last reference goes: here at unregister, unless a
 * client still holds one of its channels (then never). */
void dma_async_device_unregister(struct dma_device *device)
{
	struct dma_chan *chan;
	int in_use = 0;

	pthread_mutex_lock(&dma_list_lock);
	list_del(&device->global_node);
	list_for_each_entry(chan, &device->channels, device_node)
		in_use += chan->client_count;
	pthread_mutex_unlock(&dma_list_lock);
	if (!in_use && device->device_release)
		device->device_release(device);
}

static bool chan_has_caps(const struct dma_chan *chan, const dma_cap_mask_t *mask)
{
	for (int i = 0; i < DMA_TX_TYPE_END; i++)
		if (test_bit(i, mask->bits) && !test_bit(i, chan->device->cap_mask.bits))
			return false;
	return true;
}

/* The first free channel that the name (or, without one, the capabilities) fits; allocated for
 * the client dev (NULL: requested by capability). */
static struct dma_chan *request_chan(struct device *dev, const char *name,
				     const dma_cap_mask_t *mask)
{
	struct dma_device *d;
	struct dma_chan *chan, *found = NULL;

	pthread_mutex_lock(&dma_list_lock);
	list_for_each_entry(d, &dma_device_list, global_node) {
		list_for_each_entry(chan, &d->channels, device_node) {
			if (chan->client_count)
				continue;
			if (name ? chan->name && !strcmp(chan->name, name) :
				   chan_has_caps(chan, mask)) {
				found = chan;
				goto out;
			}
		}
	}
out:
	if (found) {
		found->client_count = 1;
		found->slave = dev;
	}
	pthread_mutex_unlock(&dma_list_lock);
	if (!found)
		return ERR_PTR(-ENODEV);
	if (found->device->device_alloc_chan_resources &&
	    found->device->device_alloc_chan_resources(found) < 0) {
		found->client_count = 0;
		return ERR_PTR(-ENOMEM);
	}
	return found;
}

struct dma_chan *dma_request_chan(struct device *dev, const char *name)
{
	if (!dev || !name)
		return ERR_PTR(-EINVAL);
	return request_chan(dev, name, NULL);
}

struct dma_chan *dma_request_chan_by_mask(const dma_cap_mask_t *mask)
{
	if (!mask)
		return ERR_PTR(-EINVAL);
	return request_chan(NULL, NULL, mask);
}

/* A NULL or ERR_PTR channel (an unchecked dma_request_chan) gets a warning, not a crash. */
static bool chan_bad(const struct dma_chan *chan, const char *fn)
{
	if (chan && !IS_ERR(chan) && chan->device)
		return false;
	WARN(1, "%s: invalid channel %p\n", fn, chan);
	return true;
}

void dma_release_channel(struct dma_chan *chan)
{
	if (chan_bad(chan, __func__))
		return;
	kdma_dmaengine_event(chan, KDMA_DMAE_RELEASE, NULL);
	if (chan->device->device_free_chan_resources)
		chan->device->device_free_chan_resources(chan);
	kdma_dmae_forget(chan);
	pthread_mutex_lock(&dma_list_lock);
	chan->client_count = 0;
	chan->slave = NULL;
	pthread_mutex_unlock(&dma_list_lock);
}

int dmaengine_slave_config(struct dma_chan *chan, struct dma_slave_config *config)
{
	if (chan_bad(chan, __func__) || !config)
		return -EINVAL;
	if (!chan->device->device_config)
		return -ENOSYS;
	return chan->device->device_config(chan, config);
}

/* Tell the sanitizer what memory a new descriptor covers. */
static void report_prep(struct dma_chan *chan, struct dma_async_tx_descriptor *desc,
			enum dma_transfer_direction dir, bool cyclic,
			const struct kdma_dmaengine_seg *segs, unsigned int nsegs)
{
	struct kdma_dmaengine_info info = { .desc = desc, .direction = dir, .cyclic = cyclic,
					    .nsegs = nsegs, .segs = segs };

	if (desc)
		kdma_dmaengine_event(chan, KDMA_DMAE_PREP, &info);
}

struct dma_async_tx_descriptor *dmaengine_prep_slave_sg(struct dma_chan *chan,
							struct scatterlist *sgl,
							unsigned int sg_len,
							enum dma_transfer_direction dir,
							unsigned long flags)
{
	struct dma_async_tx_descriptor *desc;
	struct kdma_dmaengine_seg *segs;
	struct scatterlist *sg;
	unsigned int i;

	if (chan_bad(chan, __func__) || !chan->device->device_prep_slave_sg || !sgl || !sg_len)
		return NULL;
	desc = chan->device->device_prep_slave_sg(chan, sgl, sg_len, dir, flags, NULL);
	segs = desc ? kcalloc(sg_len, sizeof(*segs), GFP_KERNEL) : NULL;
	if (segs) {
		for_each_sg(sgl, sg, sg_len, i)
			segs[i] = (struct kdma_dmaengine_seg){ sg_dma_address(sg), sg_dma_len(sg),
							       dir == DMA_MEM_TO_DEV };
		report_prep(chan, desc, dir, false, segs, sg_len);
		kfree(segs);
	}
	return desc;
}

struct dma_async_tx_descriptor *dmaengine_prep_slave_single(struct dma_chan *chan, dma_addr_t buf,
							    size_t len,
							    enum dma_transfer_direction dir,
							    unsigned long flags)
{
	struct scatterlist sg;

	sg_init_table(&sg, 1);
	sg_dma_address(&sg) = buf;
	sg_dma_len(&sg) = len;
	return dmaengine_prep_slave_sg(chan, &sg, 1, dir, flags);
}

struct dma_async_tx_descriptor *dmaengine_prep_dma_cyclic(struct dma_chan *chan,
							  dma_addr_t buf_addr, size_t buf_len,
							  size_t period_len,
							  enum dma_transfer_direction dir,
							  unsigned long flags)
{
	struct kdma_dmaengine_seg seg = { buf_addr, buf_len, dir == DMA_MEM_TO_DEV };
	struct dma_async_tx_descriptor *desc;

	if (chan_bad(chan, __func__) || !chan->device->device_prep_dma_cyclic)
		return NULL;
	desc = chan->device->device_prep_dma_cyclic(chan, buf_addr, buf_len, period_len, dir,
						    flags);
	report_prep(chan, desc, dir, true, &seg, 1);
	return desc;
}

struct dma_async_tx_descriptor *dmaengine_prep_dma_memcpy(struct dma_chan *chan, dma_addr_t dest,
							  dma_addr_t src, size_t len,
							  unsigned long flags)
{
	struct kdma_dmaengine_seg segs[2] = { { src, len, true }, { dest, len, false } };
	struct dma_async_tx_descriptor *desc;

	if (chan_bad(chan, __func__) || !chan->device->device_prep_dma_memcpy)
		return NULL;
	desc = chan->device->device_prep_dma_memcpy(chan, dest, src, len, flags);
	report_prep(chan, desc, DMA_MEM_TO_MEM, false, segs, 2);
	return desc;
}

dma_cookie_t dmaengine_submit(struct dma_async_tx_descriptor *desc)
{
	struct kdma_dmaengine_info info = { .desc = desc };
	dma_cookie_t cookie;

	if (!desc || !desc->tx_submit || chan_bad(desc->chan, __func__))
		return -EINVAL;
	info.cookie = cookie = kdma_dmae_submit(desc);
	kdma_dmaengine_event(desc->chan, KDMA_DMAE_SUBMIT, &info);
	return cookie;
}

void dma_async_issue_pending(struct dma_chan *chan)
{
	if (chan_bad(chan, __func__))
		return;
	kdma_dmaengine_event(chan, KDMA_DMAE_ISSUE_PENDING, NULL);
	chan->device->device_issue_pending(chan);
}

enum dma_status dmaengine_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				    struct dma_tx_state *state)
{
	struct kdma_dmaengine_info info = { .cookie = cookie };

	if (chan_bad(chan, __func__))
		return DMA_ERROR;
	info.status = chan->device->device_tx_status(chan, cookie, state);
	if (info.status == DMA_COMPLETE)
		kdma_dmae_report_done(chan);
	kdma_dmaengine_event(chan, KDMA_DMAE_TX_STATUS, &info);
	return info.status;
}

enum dma_status dma_sync_wait(struct dma_chan *chan, dma_cookie_t cookie)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(5000);
	enum dma_status status;

	if (chan_bad(chan, __func__))
		return DMA_ERROR;
	dma_async_issue_pending(chan);
	while ((status = chan->device->device_tx_status(chan, cookie, NULL)) == DMA_IN_PROGRESS) {
		if (time_after_eq(jiffies, deadline)) {
			dev_err(chan->device->dev, "%s: timeout!\n", __func__);
			return DMA_ERROR;
		}
		usleep(50); /* the kernel spins with cpu_relax() */
	}
	if (status == DMA_COMPLETE)
		kdma_dmae_report_done(chan);
	return status;
}

int dmaengine_pause(struct dma_chan *chan)
{
	if (chan_bad(chan, __func__))
		return -EINVAL;
	return chan->device->device_pause ? chan->device->device_pause(chan) : -ENOSYS;
}

int dmaengine_resume(struct dma_chan *chan)
{
	if (chan_bad(chan, __func__))
		return -EINVAL;
	return chan->device->device_resume ? chan->device->device_resume(chan) : -ENOSYS;
}

int dmaengine_terminate_async(struct dma_chan *chan)
{
	if (chan_bad(chan, __func__))
		return -EINVAL;
	kdma_dmaengine_event(chan, KDMA_DMAE_TERMINATE_ASYNC, NULL);
	if (!chan->device->device_terminate_all)
		return -EINVAL;
	return chan->device->device_terminate_all(chan);
}

void dmaengine_synchronize(struct dma_chan *chan)
{
	if (chan_bad(chan, __func__))
		return;
	if (chan->device->device_synchronize)
		chan->device->device_synchronize(chan);
	kdma_dmaengine_event(chan, KDMA_DMAE_SYNCHRONIZE, NULL);
}

int dmaengine_terminate_sync(struct dma_chan *chan)
{
	int ret = dmaengine_terminate_async(chan);

	if (ret)
		return ret;
	dmaengine_synchronize(chan);
	return 0;
}

int dmaengine_terminate_all(struct dma_chan *chan)
{
	return dmaengine_terminate_sync(chan);
}
