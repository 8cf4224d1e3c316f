// SPDX-License-Identifier: MIT
/*
 * The dmaengine rules. Descriptors are followed from the hook's events: prepared (with the bus
 * ranges they transfer), submitted, issued, completed by the controller, or stopped by
 * terminate_async and then synchronize. Unmaps and frees of the controller's memory are matched
 * against descriptors that are still running. The rules follow the API's contract, not the
 * simulated controller's speed: a buffer of a terminated transfer is "maybe still in use" until
 * dmaengine_synchronize() returns, even if the hardware happened to stop at once.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <linux/dmaengine.h>
#include <linux/scatterlist.h>

#include "rt/fork.h"
#include "checks/checks.h"
#include "checks/checks_dmaengine.h"
#include "rt/services.h"

#define MAX_DESCS 1024
#define MAX_SEGS 8 /* segments followed per descriptor (the rest are not checked at unmap) */

enum dmae_state { D_PREPARED = 1, D_SUBMITTED, D_ISSUED, D_TERMINATED };

struct dmae_desc {
	const void *desc, *chan;
	struct device *dma_dev;
	int cookie;
	u8 state;
	bool cyclic, reported;
	bool inherited; /* live in the parent when this process forked: not ours to report at exit */
	unsigned int nsegs;
	struct kdma_dmaengine_seg segs[MAX_SEGS];
	dmasan_stack_id prep_stack, submit_stack, terminate_stack;
	u32 tid;
};

static struct dmae_desc descs[MAX_DESCS];
static _Atomic unsigned int n_descs; /* read without the lock by the unmap path */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void drop(unsigned int i)
{
	descs[i] = descs[--n_descs];
}

static const char *state_name(u8 st)
{
	static const char *const names[] = { "?", "prepared", "submitted", "issued",
					     "terminated (not synchronized)" };

	return names[st < ARRAY_SIZE(names) ? st : 0];
}

static void report_desc(enum dmasan_check c, const struct dmae_desc *d, dmasan_stack_id stack,
			const char *call)
{
	struct san_call sc = { d->dma_dev, stack, dmasan_thread_id() };
	struct dmasan_report r;
	char headline[128];

	san_report_start(&r, c, &sc);
	snprintf(headline, sizeof(headline), "on descriptor %p cookie %d (device %s)", d->desc,
		 d->cookie, dev_name(d->dma_dev));
	r.headline_extra = headline;
	dmasan_report_str(&r, "call", call);
	dmasan_report_str(&r, "descriptor state", state_name(d->state));
	if (d->nsegs) {
		dmasan_report_hex(&r, "device address", d->segs[0].addr);
		dmasan_report_u64(&r, "size", d->segs[0].len);
	}
	dmasan_report_related(&r, "prep", "prepared by", d->prep_stack, d->tid);
	if (d->submit_stack)
		dmasan_report_related(&r, "submit", "submitted by", d->submit_stack, d->tid);
	if (d->terminate_stack)
		dmasan_report_related(&r, "terminate", "terminated (async) by", d->terminate_stack,
				      d->tid);
	dmasan_report_emit(&r);
}

/* ---- dmaengine-wrong-mapping, at prep ---- */

struct cover {
	dma_addr_t lo, hi;
	struct device *dev;
	bool found, dir_ok, want_read;
	struct device *other_dev;
	int dir;
};

static bool dir_allows(int dir, bool device_reads)
{
	if (dir == DMA_BIDIRECTIONAL)
		return true;
	return device_reads ? dir == DMA_TO_DEVICE : dir == DMA_FROM_DEVICE;
}

static bool cover_own(struct san_entry *e, void *arg)
{
	struct cover *c = arg;

	if (san_handle(e) > c->lo || san_handle(e) + san_size(e) < c->hi)
		return false;
	c->found = true;
	c->dir = e->dir;
	c->dir_ok = dir_allows(e->dir, c->want_read);
	return c->dir_ok;
}

static bool cover_other(struct san_entry *e, void *arg)
{
	struct cover *c = arg;

	if (e->dev == c->dev || san_handle(e) > c->lo || san_handle(e) + san_size(e) <= c->lo)
		return false;
	c->other_dev = e->dev;
	return true;
}

static void check_segments(struct device *dma_dev, const struct kdma_dmaengine_info *info,
			   dmasan_stack_id stack)
{
	for (unsigned int i = 0; i < info->nsegs; i++) {
		const struct kdma_dmaengine_seg *s = &info->segs[i];
		struct cover c = { s->addr, s->addr + s->len, dma_dev, .want_read = s->device_reads };
		struct san_call sc = { dma_dev, stack, dmasan_thread_id() };
		struct dmasan_report r;

		if (!s->len)
			continue;
		san_table_visit_bus(dma_dev, c.lo, c.hi, cover_own, &c);
		if (c.found && c.dir_ok)
			continue;
		if (!c.found)
			san_table_visit_all(NULL, cover_other, &c);
		san_report_start(&r, DMASAN_CHECK_DMAENGINE_WRONG_MAPPING, &sc);
		dmasan_report_hex(&r, "device address", s->addr);
		dmasan_report_u64(&r, "size", s->len);
		dmasan_report_str(&r, "transfer", info->direction == DMA_MEM_TO_DEV ? "MEM_TO_DEV"
						  : info->direction == DMA_DEV_TO_MEM ? "DEV_TO_MEM"
						  : "MEM_TO_MEM");
		if (c.found)
			dmasan_report_str(&r, "mapped with", san_dir_name(c.dir));
		else if (c.other_dev)
			dmasan_report_str(&r, "mapped for device", dev_name(c.other_dev));
		else
			dmasan_report_str(&r, "mapped for device", "none");
		dmasan_report_str(&r, "dma controller", dev_name(dma_dev));
		dmasan_report_emit(&r);
		return; /* one report per descriptor */
	}
}

/* ---- the hook ---- */

static int find(const void *desc)
{
	for (unsigned int i = 0; i < n_descs; i++)
		if (descs[i].desc == desc)
			return (int)i;
	return -1;
}

void san_on_dmaengine(const void *chan, struct device *dma_dev, enum kdma_dmaengine_event ev,
		      const struct kdma_dmaengine_info *info)
{
	dmasan_stack_id stack = 0;
	struct dmae_desc found;
	bool report = false;
	int i;

	if (ev == KDMA_DMAE_PREP || ev == KDMA_DMAE_SUBMIT || ev == KDMA_DMAE_TERMINATE_ASYNC ||
	    ev == KDMA_DMAE_TX_STATUS)
		stack = dmasan_stack_capture(0);
	if (ev == KDMA_DMAE_PREP)
		check_segments(dma_dev, info, stack);

	pthread_mutex_lock(&lock);
	switch (ev) {
	case KDMA_DMAE_PREP:
		i = find(info->desc);
		if (i < 0 && n_descs < MAX_DESCS)
			i = (int)n_descs++;
		if (i < 0)
			break;
		descs[i] = (struct dmae_desc){ .desc = info->desc, .chan = chan,
					       .dma_dev = dma_dev, .state = D_PREPARED,
					       .cyclic = info->cyclic,
					       .nsegs = min(info->nsegs, MAX_SEGS) };
		memcpy(descs[i].segs, info->segs, descs[i].nsegs * sizeof(info->segs[0]));
		descs[i].prep_stack = stack;
		descs[i].tid = dmasan_thread_id();
		break;
	case KDMA_DMAE_SUBMIT:
		i = find(info->desc);
		if (i >= 0 && info->cookie > 0) {
			descs[i].state = D_SUBMITTED;
			descs[i].cookie = info->cookie;
			descs[i].submit_stack = stack;
		}
		break;
	case KDMA_DMAE_ISSUE_PENDING:
		for (unsigned int k = 0; k < n_descs; k++)
			if (descs[k].chan == chan && descs[k].state == D_SUBMITTED)
				descs[k].state = D_ISSUED;
		break;
	case KDMA_DMAE_TX_STATUS:
		for (unsigned int k = 0; k < n_descs; k++) {
			struct dmae_desc *d = &descs[k];

			if (d->chan == chan && d->cookie == info->cookie &&
			    d->state == D_SUBMITTED && !d->reported &&
			    info->status != DMA_COMPLETE) {
				d->reported = report = true;
				found = *d;
			}
		}
		break;
	case KDMA_DMAE_COMPLETE:
		i = find(info->desc);
		if (i >= 0 && descs[i].cookie == info->cookie && descs[i].state == D_ISSUED)
			drop((unsigned int)i);
		break;
	case KDMA_DMAE_TERMINATE_ASYNC:
		for (unsigned int k = 0; k < n_descs;) {
			if (descs[k].chan == chan && descs[k].state != D_ISSUED &&
			    descs[k].state != D_TERMINATED) {
				drop(k);
				continue;
			}
			if (descs[k].chan == chan && descs[k].state == D_ISSUED) {
				descs[k].state = D_TERMINATED;
				descs[k].terminate_stack = stack;
			}
			k++;
		}
		break;
	case KDMA_DMAE_SYNCHRONIZE:
		for (unsigned int k = 0; k < n_descs;) {
			if (descs[k].chan == chan && descs[k].state == D_TERMINATED)
				drop(k);
			else
				k++;
		}
		break;
	case KDMA_DMAE_RELEASE:
		for (unsigned int k = 0; k < n_descs;) {
			struct dmae_desc *d = &descs[k];

			if (d->chan != chan) {
				k++;
				continue;
			}
			if (d->state == D_SUBMITTED && !d->reported && !report) {
				d->reported = report = true;
				found = *d;
			}
			drop(k);
		}
		break;
	}
	pthread_mutex_unlock(&lock);
	if (report)
		report_desc(DMASAN_CHECK_DMAENGINE_NOT_ISSUED, &found, stack,
			    ev == KDMA_DMAE_RELEASE ? "dma_release_channel" : "dmaengine_tx_status");
}

/* ---- unmap and free ---- */

void san_dmaengine_release(struct device *dev, dma_addr_t addr, u64 len, const char *what)
{
	struct dmae_desc found;
	bool report = false;

	/* every unmap comes here: without descriptors, no lock */
	if (!len || !atomic_load_explicit(&n_descs, memory_order_relaxed))
		return;
	pthread_mutex_lock(&lock);
	for (unsigned int k = 0; k < n_descs && !report; k++) {
		struct dmae_desc *d = &descs[k];

		if (d->dma_dev != dev || d->reported ||
		    (d->state != D_ISSUED && d->state != D_TERMINATED))
			continue;
		for (unsigned int s = 0; s < d->nsegs; s++) {
			if (d->segs[s].addr < addr + len && addr < d->segs[s].addr + d->segs[s].len) {
				d->reported = report = true;
				found = *d;
				break;
			}
		}
	}
	pthread_mutex_unlock(&lock);
	if (report)
		report_desc(found.state == D_ISSUED ? DMASAN_CHECK_DMAENGINE_UNMAP_IN_FLIGHT
						    : DMASAN_CHECK_DMAENGINE_TERMINATE_NO_SYNC,
			    &found, dmasan_stack_capture(0), what);
}

void san_dmaengine_release_sg(struct device *dev, struct scatterlist *sg, int nents)
{
	struct scatterlist *(*next)(struct scatterlist *) = SAN_KDMA(sg_next);

	for (int i = 0; sg && i < nents; i++) {
		if (sg_dma_len(sg))
			san_dmaengine_release(dev, sg_dma_address(sg), sg_dma_len(sg),
					      "dma_unmap_sg");
		sg = next ? next(sg) : (sg_is_last(sg) ? NULL : sg + 1);
	}
}

void san_dmaengine_at_exit(void)
{
	struct dmae_desc found;
	bool report = false;

	pthread_mutex_lock(&lock);
	for (unsigned int k = 0; k < n_descs && !report; k++) {
		if (descs[k].state == D_SUBMITTED && !descs[k].reported && !descs[k].inherited) {
			descs[k].reported = report = true;
			found = descs[k];
		}
	}
	pthread_mutex_unlock(&lock);
	if (report)
		report_desc(DMASAN_CHECK_DMAENGINE_NOT_ISSUED, &found, found.submit_stack, "exit");
}

unsigned int san_dmaengine_inflight(struct san_dmae_copy *out, unsigned int max)
{
	unsigned int n;

	pthread_mutex_lock(&lock);
	n = n_descs;
	for (unsigned int k = 0; k < n_descs && k < max; k++) {
		const struct dmae_desc *d = &descs[k];

		out[k] = (struct san_dmae_copy){ .desc = d->desc, .state = state_name(d->state),
						 .cookie = d->cookie };
		if (d->nsegs) {
			out[k].addr = d->segs[0].addr;
			out[k].len = d->segs[0].len;
		}
		snprintf(out[k].device, sizeof(out[k].device), "%s", dev_name(d->dma_dev));
	}
	pthread_mutex_unlock(&lock);
	return n;
}

void san_dmaengine_fork_lock(void)
{
	pthread_mutex_lock(&lock);
}

/* Descriptors submitted before the fork are the parent's: it reports those never issued. */
void san_dmaengine_fork_unlock(bool child)
{
	if (child)
		for (unsigned int k = 0; k < n_descs; k++)
			descs[k].inherited = true;
	pthread_mutex_unlock(&lock);
}
