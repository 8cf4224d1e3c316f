// SPDX-License-Identifier: MIT
/* The dump's fences, attachments and descriptors as text (render_objects.h). */
#include "common/render_objects.h"

static const char *str(const char *s)
{
	return s ? s : "?";
}

static const char *plural(unsigned long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void dmasan_render_objects_head(struct dmasan_buf *b, unsigned long long dump_id,
				unsigned long nfences, unsigned long nattach, unsigned long ndescs)
{
	dmasan_buf_printf(b, "other DMA objects of dump #%llu: %lu live fence%s, %lu dma-buf "
			  "attachment%s, %lu descriptor%s in flight\n", dump_id, nfences,
			  plural(nfences, "", "s"), nattach, plural(nattach, "", "s"), ndescs,
			  plural(ndescs, "", "s"));
}

void dmasan_render_fence_row(struct dmasan_buf *b, const struct dmasan_rfence *f)
{
	dmasan_buf_printf(b, "  fence 0x%016llx %s:%s context %llu seqno %llu: %s, %lld reference%s, "
			  "%lu callback%s queued\n", f->addr, str(f->driver), str(f->timeline),
			  f->context, f->seqno, f->signalled ? "signalled" : "UNSIGNALLED", f->refs,
			  f->refs == 1 ? "" : "s", f->pending_cbs, plural(f->pending_cbs, "", "s"));
}

void dmasan_render_attach_row(struct dmasan_buf *b, const struct dmasan_rattach *a)
{
	dmasan_buf_printf(b, "  attachment 0x%016llx of dma-buf 0x%016llx (%s) by %s: ", a->attach,
			  a->dmabuf, str(a->exporter), str(a->importer));
	if (a->mapped)
		dmasan_buf_printf(b, "mapped%s\n", a->mapped > 1 ? " more than once" : "");
	else
		dmasan_buf_puts(b, "not mapped\n");
}

void dmasan_render_desc_row(struct dmasan_buf *b, const struct dmasan_rdesc *d)
{
	dmasan_buf_printf(b, "  descriptor 0x%016llx cookie %lld on %s: %s", d->desc, d->cookie,
			  str(d->device), str(d->state));
	if (d->size)
		dmasan_buf_printf(b, ", 0x%016llx (%llu bytes)", d->addr, d->size);
	dmasan_buf_putc(b, '\n');
}
