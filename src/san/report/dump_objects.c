// SPDX-License-Identifier: MIT
/*
 * The rest of a dump (dump.h): the fences the sanitizer follows that are still live, the dma-buf
 * attachments, and the dmaengine descriptors not yet completed. Copied out of the checks' tables
 * (each under its own lock), then written without a lock as text (common/render_objects.c, the
 * renderer dmasan-report uses too) and as one "dump_objects" record. Runs under the dump lock,
 * so the copies may be static.
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "checks/checks_dmabuf.h"
#include "checks/checks_dmaengine.h"
#include "checks/fence_table.h"
#include "common/render_objects.h"
#include "report/dump_objects.h"
#include "report/log.h"

#define MAX_OBJS 256

static struct san_fence fences[MAX_OBJS];
static struct san_dmabuf_attach_copy atts[MAX_OBJS];
static struct san_dmae_copy descs[MAX_OBJS];

static bool selected(const char *filter, const char *a, const char *b)
{
	return !filter || !*filter || !fnmatch(filter, a, 0) || (b && !fnmatch(filter, b, 0));
}

struct objects {
	unsigned int nf, na, nd;
};

/* Fences by timeline and seqno: the table's order is its hash order. */
static int fence_cmp(const void *a, const void *b)
{
	const struct san_fence *x = a, *y = b;

	if (x->context != y->context)
		return x->context < y->context ? -1 : 1;
	return x->seqno < y->seqno ? -1 : x->seqno > y->seqno;
}

static void collect(struct objects *o, const char *filter)
{
	unsigned int n, k;

	n = san_fence_live(fences, MAX_OBJS);
	for (unsigned int i = k = 0; i < n; i++)
		if (selected(filter, fences[i].driver, NULL))
			fences[k++] = fences[i];
	o->nf = k;
	qsort(fences, k, sizeof(fences[0]), fence_cmp);
	n = san_dmabuf_attachments(atts, MAX_OBJS);
	for (unsigned int i = k = 0; i < n && i < MAX_OBJS; i++)
		if (selected(filter, atts[i].importer, atts[i].exporter))
			atts[k++] = atts[i];
	o->na = k;
	n = san_dmaengine_inflight(descs, MAX_OBJS);
	for (unsigned int i = k = 0; i < n && i < MAX_OBJS; i++)
		if (selected(filter, descs[i].device, NULL))
			descs[k++] = descs[i];
	o->nd = k;
}

static struct dmasan_rfence rfence(const struct san_fence *f)
{
	return (struct dmasan_rfence){ .addr = (uintptr_t)f->key, .context = f->context,
				       .seqno = f->seqno, .driver = f->driver,
				       .timeline = f->timeline, .signalled = f->signalled,
				       .refs = f->refs, .pending_cbs = f->pending_cbs };
}

static struct dmasan_rattach rattach(const struct san_dmabuf_attach_copy *a)
{
	return (struct dmasan_rattach){ .dmabuf = (uintptr_t)a->dmabuf,
					.attach = (uintptr_t)a->attach, .exporter = a->exporter,
					.importer = a->importer, .mapped = a->mapped };
}

static struct dmasan_rdesc rdesc(const struct san_dmae_copy *d)
{
	return (struct dmasan_rdesc){ .desc = (uintptr_t)d->desc, .addr = d->addr,
				      .size = d->len, .device = d->device, .state = d->state,
				      .cookie = d->cookie };
}

/* A buffer for the whole record, so it goes out in one write(2). */
static bool buf_open(struct dmasan_buf *b, int fd, size_t bound)
{
	void *data = mmap(NULL, bound, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	*b = (struct dmasan_buf){ .fd = fd, .cap = bound, .data = data };
	return data != MAP_FAILED;
}

static void buf_close(struct dmasan_buf *b, size_t bound)
{
	dmasan_buf_flush(b);
	munmap(b->data, bound);
}

static void write_text(int fd, const struct objects *o, unsigned int id, size_t bound)
{
	struct dmasan_buf b;

	if (!buf_open(&b, fd, bound))
		return;
	dmasan_render_objects_head(&b, id, o->nf, o->na, o->nd);
	for (unsigned int i = 0; i < o->nf; i++) {
		struct dmasan_rfence r = rfence(&fences[i]);

		dmasan_render_fence_row(&b, &r);
	}
	for (unsigned int i = 0; i < o->na; i++) {
		struct dmasan_rattach r = rattach(&atts[i]);

		dmasan_render_attach_row(&b, &r);
	}
	for (unsigned int i = 0; i < o->nd; i++) {
		struct dmasan_rdesc r = rdesc(&descs[i]);

		dmasan_render_desc_row(&b, &r);
	}
	dmasan_log_flush(&b);
	buf_close(&b, bound);
}

static void json_str_member(struct dmasan_buf *b, const char *key, const char *v, bool comma)
{
	dmasan_buf_printf(b, "%s\"%s\":\"", comma ? "," : "", key);
	dmasan_buf_json_str(b, v ? v : "?");
	dmasan_buf_putc(b, '"');
}

static void write_json(int fd, const struct objects *o, const struct san_dump_objects_req *req,
		       size_t bound)
{
	struct dmasan_buf b;

	if (!buf_open(&b, fd, bound))
		return;
	dmasan_buf_printf(&b, "{\"type\":\"dump_objects\",\"dump_id\":%u,\"reason\":\"%s\","
			  "\"time\":\"%s\",\"pid\":%d,\"fences\":[", req->id, req->reason,
			  req->time, (int)getpid());
	for (unsigned int i = 0; i < o->nf; i++) {
		const struct san_fence *f = &fences[i];

		dmasan_buf_printf(&b, "%s{\"fence\":\"0x%016llx\"", i ? "," : "",
				  (unsigned long long)(uintptr_t)f->key);
		json_str_member(&b, "driver", f->driver, true);
		json_str_member(&b, "timeline", f->timeline, true);
		dmasan_buf_printf(&b, ",\"context\":%llu,\"seqno\":%llu,\"signalled\":%s,"
				  "\"references\":%ld,\"pending_callbacks\":%u}",
				  (unsigned long long)f->context, (unsigned long long)f->seqno,
				  f->signalled ? "true" : "false", f->refs, f->pending_cbs);
	}
	dmasan_buf_puts(&b, "],\"attachments\":[");
	for (unsigned int i = 0; i < o->na; i++) {
		const struct san_dmabuf_attach_copy *a = &atts[i];

		dmasan_buf_printf(&b, "%s{\"attachment\":\"0x%016llx\",\"dmabuf\":\"0x%016llx\"",
				  i ? "," : "", (unsigned long long)(uintptr_t)a->attach,
				  (unsigned long long)(uintptr_t)a->dmabuf);
		json_str_member(&b, "exporter", a->exporter, true);
		json_str_member(&b, "importer", a->importer, true);
		dmasan_buf_printf(&b, ",\"mapped\":%u}", a->mapped);
	}
	dmasan_buf_puts(&b, "],\"descriptors\":[");
	for (unsigned int i = 0; i < o->nd; i++) {
		const struct san_dmae_copy *d = &descs[i];

		dmasan_buf_printf(&b, "%s{\"descriptor\":\"0x%016llx\",\"cookie\":%d", i ? "," : "",
				  (unsigned long long)(uintptr_t)d->desc, d->cookie);
		json_str_member(&b, "device", d->device, true);
		json_str_member(&b, "state", d->state, true);
		if (d->len)
			dmasan_buf_printf(&b, ",\"device_address\":\"0x%016llx\",\"size\":%llu",
					  (unsigned long long)d->addr, (unsigned long long)d->len);
		dmasan_buf_putc(&b, '}');
	}
	dmasan_buf_puts(&b, "]}\n");
	dmasan_buf_flush(&b);
	dmasan_json_written(&b); /* a failed write is said once and counted, as for every record */
	buf_close(&b, bound);
}

void san_dump_objects(const struct san_dump_objects_req *req)
{
	struct objects o;
	size_t bound;

	collect(&o, req->filter);
	if (!o.nf && !o.na && !o.nd)
		return;
	bound = 4096 + 768 * ((size_t)o.nf + o.na + o.nd);
	if (req->text_fd >= 0)
		write_text(req->text_fd, &o, req->id, bound);
	if (req->json_fd >= 0 && !dmasan_json_failed_fd(req->json_fd))
		write_json(req->json_fd, &o, req, bound);
}
