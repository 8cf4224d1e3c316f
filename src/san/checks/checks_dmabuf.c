// SPDX-License-Identifier: MIT
/*
 * The dma-buf rules, from the hook's events: per buffer, the CPU-access brackets still open (a
 * count per direction) and its attachments; per attachment, whether it is mapped. Buffers and
 * attachments are keys only; the sanitizer never reads a struct dma_buf.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <linux/device.h>

#include "checks/checks.h"
#include "checks/checks_dmabuf.h"

#define MAX_BUFS 512
#define MAX_ATTACH 1024

struct san_dmabuf {
	const void *key;
	char name[32];
	unsigned int open[4]; /* open begin_cpu_access per enum dma_data_direction */
	unsigned int attachments;
	dmasan_stack_id export_stack, begin_stack;
	u32 tid;
};

struct san_attach {
	const void *key, *dmabuf;
	struct device *dev;
	unsigned int mapped;
	dmasan_stack_id attach_stack, map_stack;
	u32 tid;
};

static struct san_dmabuf bufs[MAX_BUFS];
static struct san_attach atts[MAX_ATTACH];
static unsigned int n_bufs, n_atts;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct san_dmabuf *buf_find(const void *key)
{
	for (unsigned int i = 0; i < n_bufs; i++)
		if (bufs[i].key == key)
			return &bufs[i];
	return NULL;
}

static struct san_attach *att_find(const void *key)
{
	for (unsigned int i = 0; i < n_atts; i++)
		if (atts[i].key == key)
			return &atts[i];
	return NULL;
}

struct dmabuf_finding {
	enum dmasan_check check;
	struct san_dmabuf buf;
	struct san_attach att;
	bool has_att;
};

static void report(const struct dmabuf_finding *f, struct device *dev, dmasan_stack_id stack,
		   int dir)
{
	struct san_call call = { dev, stack, dmasan_thread_id() };
	struct dmasan_report r;
	char headline[96];

	san_report_start(&r, f->check, &call);
	snprintf(headline, sizeof(headline), "on dma-buf %p (%s)", f->buf.key, f->buf.name);
	r.headline_extra = headline;
	dmasan_report_str(&r, "exporter", f->buf.name);
	if (f->check == DMASAN_CHECK_DMABUF_CPU_ACCESS_DIRECTION_MISMATCH ||
	    f->check == DMASAN_CHECK_DMABUF_CPU_ACCESS_UNBALANCED) {
		dmasan_report_str(&r, "end direction", san_dir_name(dir));
		for (int d = 0; d < 3; d++)
			if (f->buf.open[d])
				dmasan_report_str(&r, "open begin direction", san_dir_name(d));
		if (f->buf.begin_stack)
			dmasan_report_related(&r, "begin_cpu_access", "last begin_cpu_access by",
					      f->buf.begin_stack, f->buf.tid);
	}
	if (f->check == DMASAN_CHECK_DMABUF_RELEASE_ATTACHED)
		dmasan_report_u64(&r, "attachments", f->buf.attachments);
	if (f->has_att) {
		dmasan_report_str(&r, "importer", dev_name(f->att.dev));
		dmasan_report_related(&r, "attach", "attached by", f->att.attach_stack, f->att.tid);
		if (f->att.map_stack)
			dmasan_report_related(&r, "map", "mapped by", f->att.map_stack, f->att.tid);
	}
	dmasan_report_related(&r, "export", "exported by", f->buf.export_stack, f->buf.tid);
	dmasan_report_emit(&r);
}

void san_on_dmabuf(const void *dmabuf, const void *attach, struct device *dev,
		   enum kdma_dmabuf_event ev, int dir, const char *name)
{
	struct dmabuf_finding f = { .check = DMASAN_CHECK__COUNT };
	dmasan_stack_id stack = dmasan_stack_capture(0);
	struct san_dmabuf *b;
	struct san_attach *a;

	pthread_mutex_lock(&lock);
	b = buf_find(dmabuf);
	switch (ev) {
	case KDMA_DMABUF_EXPORT:
		if (!b && n_bufs < MAX_BUFS)
			b = &bufs[n_bufs++];
		if (!b)
			break;
		memset(b, 0, sizeof(*b));
		b->key = dmabuf;
		snprintf(b->name, sizeof(b->name), "%s", name ? name : "?");
		b->export_stack = stack;
		b->tid = dmasan_thread_id();
		break;
	case KDMA_DMABUF_RELEASE:
		if (!b)
			break;
		if (b->attachments) {
			f.check = DMASAN_CHECK_DMABUF_RELEASE_ATTACHED;
			f.buf = *b;
		}
		*b = bufs[--n_bufs];
		break;
	case KDMA_DMABUF_ATTACH:
		if (b)
			b->attachments++;
		if (n_atts < MAX_ATTACH)
			atts[n_atts++] = (struct san_attach){ .key = attach, .dmabuf = dmabuf,
							      .dev = dev, .attach_stack = stack,
							      .tid = dmasan_thread_id() };
		break;
	case KDMA_DMABUF_DETACH:
		a = att_find(attach);
		if (b && b->attachments)
			b->attachments--;
		if (!a)
			break;
		if (a->mapped && b) {
			f.check = DMASAN_CHECK_DMABUF_DETACH_MAPPED;
			f.buf = *b;
			f.att = *a;
			f.has_att = true;
		}
		*a = atts[--n_atts];
		break;
	case KDMA_DMABUF_MAP:
		a = att_find(attach);
		if (a) {
			a->mapped++;
			a->map_stack = stack;
		}
		break;
	case KDMA_DMABUF_UNMAP:
		a = att_find(attach);
		if (a && a->mapped)
			a->mapped--;
		break;
	case KDMA_DMABUF_BEGIN_CPU:
		if (b && dir >= 0 && dir < 4) {
			b->open[dir]++;
			b->begin_stack = stack;
		}
		break;
	case KDMA_DMABUF_END_CPU:
		if (!b || dir < 0 || dir >= 4)
			break;
		if (b->open[dir]) {
			b->open[dir]--;
			break;
		}
		f.check = b->open[0] + b->open[1] + b->open[2] + b->open[3]
				  ? DMASAN_CHECK_DMABUF_CPU_ACCESS_DIRECTION_MISMATCH
				  : DMASAN_CHECK_DMABUF_CPU_ACCESS_UNBALANCED;
		f.buf = *b;
		/* close the bracket it most likely meant, so one mistake is one report */
		for (int d = 0; d < 4; d++) {
			if (b->open[d]) {
				b->open[d]--;
				break;
			}
		}
		break;
	}
	pthread_mutex_unlock(&lock);
	if (f.check != DMASAN_CHECK__COUNT)
		report(&f, dev, stack, dir);
}

static void dmabuf_atfork_child(void)
{
	pthread_mutex_init(&lock, NULL);
}

__attribute__((constructor)) static void dmabuf_checks_init(void)
{
	pthread_atfork(NULL, NULL, dmabuf_atfork_child);
}
