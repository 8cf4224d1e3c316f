// SPDX-License-Identifier: MIT
/*
 * The dma-buf rules, from the hook's events: per buffer, the CPU-access brackets still open (a
 * count per direction), its attachments and its kernel mapping (vmap); per attachment, whether it
 * is mapped and whether the buffer moved since. Buffers and attachments are keys only; the
 * sanitizer never reads a struct dma_buf.
 *
 * CPU access outside the brackets: while a buffer is vmapped and no bracket is open, its vmap
 * lines are handed to the CPU-access backend, so a load or store through the mapping traps at
 * the instruction (dmabuf-cpu-access-unbracketed). Under ASan and valgrind, whose poison is one
 * state per byte, the lines are handed over only while no importer mapping of the buffer exists
 * (the ownership shadow then owns the receive lines of that mapping); the mprotect backend counts
 * owners per line, so there the two layers simply add up.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <linux/device.h>

#include <linux/scatterlist.h>

#include "ownership/cpu_access.h"
#include "rt/fork.h"
#include "rt/options.h"
#include "checks/checks.h"
#include "checks/checks_dmabuf.h"
#include "checks/fence_table.h"
#include "rt/services.h"

#define MAX_BUFS 512
#define MAX_ATTACH 1024
#define MAX_RANGES 8    /* mapped ranges followed per attachment */
#define MAX_RESV 512
#define RESV_FENCES 8   /* fences followed per reservation object */

struct san_dmabuf {
	const void *key, *resv;
	char name[32];
	unsigned int open[4]; /* open begin_cpu_access per enum dma_data_direction */
	unsigned int attachments;
	unsigned int dma_maps; /* exporter mappings alive (the shadow owns their receive lines) */
	uintptr_t vaddr;       /* the last vmap */
	size_t vsize;
	bool vmapped;
	uintptr_t cookie;      /* CPU-access backend tracking of the vmap lines, while handed over */
	dmasan_stack_id export_stack, begin_stack, end_stack, vmap_stack, move_stack;
	u32 tid, end_tid, vmap_tid, move_tid;
};

struct san_attach {
	const void *key, *dmabuf;
	struct device *dev;
	char importer[48]; /* dev_name() at attach: dumps may run after the device went */
	unsigned int mapped;
	bool fence_reported;
	bool dynamic;
	bool moved, move_reported; /* the buffer moved while this attachment was mapped */
	unsigned int nranges; /* bus ranges of the importer's mapping (kept while attached) */
	struct {
		dma_addr_t addr;
		u64 len;
	} ranges[MAX_RANGES];
	dmasan_stack_id attach_stack, map_stack;
	u32 tid;
};

struct san_resv {
	const void *key;
	unsigned int n;
	const void *fences[RESV_FENCES];
	int usage[RESV_FENCES];
};

static struct san_dmabuf bufs[MAX_BUFS];
static struct san_attach atts[MAX_ATTACH];
static struct san_resv resvs[MAX_RESV];
static unsigned int n_bufs, n_atts, n_resvs;
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

static void report_fence(const struct dmabuf_finding *f, struct device *dev, dma_addr_t addr,
			 const struct san_fence *fence)
{
	struct san_call call = { dev, 0, dmasan_thread_id() };
	struct dmasan_report r;
	char headline[96];

	san_report_start(&r, f->check, &call);
	snprintf(headline, sizeof(headline), "on dma-buf %p (%s) by device %s", f->buf.key,
		 f->buf.name, dev_name(dev));
	r.headline_extra = headline;
	dmasan_report_hex(&r, "device address", addr);
	dmasan_report_str(&r, "exporter", f->buf.name);
	dmasan_report_hex(&r, "fence", (u64)(uintptr_t)fence->key);
	dmasan_report_str(&r, "fence timeline", fence->timeline);
	dmasan_report_u64(&r, "fence seqno", fence->seqno);
	dmasan_report_related(&r, "fence_init", "pending write fence created by", fence->init_stack,
			      fence->init_tid);
	dmasan_report_related(&r, "map", "attachment mapped by", f->att.map_stack, f->att.tid);
	dmasan_report_related(&r, "export", "exported by", f->buf.export_stack, f->buf.tid);
	dmasan_report_emit(&r);
}

static void att_ranges(struct san_attach *a, struct scatterlist *sg, unsigned int nents)
{
	struct scatterlist *(*next)(struct scatterlist *) = SAN_KDMA(sg_next);

	a->nranges = 0;
	for (unsigned int i = 0; sg && i < nents && a->nranges < MAX_RANGES; i++) {
		a->ranges[a->nranges].addr = sg_dma_address(sg);
		a->ranges[a->nranges++].len = sg_dma_len(sg);
		sg = next ? next(sg) : (sg_is_last(sg) ? NULL : sg + 1);
	}
}

/* ---- dmabuf-cpu-access-unbracketed ---- */

static unsigned int open_brackets(const struct san_dmabuf *b)
{
	return b->open[0] + b->open[1] + b->open[2] + b->open[3];
}

/* The whole lines of the vmap: a line shared with other data is not the buffer's to trap. */
static bool vmap_lines(const struct san_dmabuf *b, uintptr_t *lo, uintptr_t *hi)
{
	size_t line = dmasan_opts.line_size;

	if (line < 8 || (line & (line - 1)))
		return false;
	*lo = (b->vaddr + line - 1) & ~(uintptr_t)(line - 1);
	*hi = (b->vaddr + b->vsize) & ~(uintptr_t)(line - 1);
	return *hi > *lo;
}

/* Hand the vmap lines to the backend, or take them back, as the buffer's state now asks.
 * Called with the lock held (the backend takes only its own locks). */
static void buf_protection(struct san_dmabuf *b)
{
	bool want = b->vmapped && !open_brackets(b) &&
		    dmasan_check_enabled(DMASAN_CHECK_DMABUF_CPU_ACCESS_UNBRACKETED) &&
		    (!b->dma_maps || cpu_access_backend() == CPU_ACCESS_MPROTECT);
	uintptr_t lo, hi;

	if (want == (b->cookie != 0) || !vmap_lines(b, &lo, &hi))
		return;
	if (want) {
		b->cookie = cpu_access_track(lo, hi, "dmasan: dma-buf vmap outside begin/end_cpu_access "
						     "(dmabuf-cpu-access-unbracketed)");
		cpu_access_protect(b->cookie, lo, hi);
	} else {
		cpu_access_unprotect(b->cookie, lo, hi);
		cpu_access_untrack(b->cookie);
		b->cookie = 0;
	}
}

static void buf_unprotect(struct san_dmabuf *b)
{
	b->vmapped = false;
	buf_protection(b);
}

bool san_dmabuf_cpu_access(uintptr_t addr, bool write, dmasan_stack_id stack, u32 tid,
			   const char *detected_by)
{
	struct san_dmabuf copy, *b = NULL;
	struct san_call call = { NULL, stack, tid };
	struct dmasan_report r;
	char headline[96];

	pthread_mutex_lock(&lock); /* only on a trapped access: no unlocked fast path needed */
	for (unsigned int i = 0; i < n_bufs && !b; i++)
		if (bufs[i].vmapped && addr >= bufs[i].vaddr &&
		    addr < bufs[i].vaddr + bufs[i].vsize && !open_brackets(&bufs[i]))
			b = &bufs[i];
	if (b)
		copy = *b;
	pthread_mutex_unlock(&lock);
	if (!b)
		return false;
	san_report_start(&r, DMASAN_CHECK_DMABUF_CPU_ACCESS_UNBRACKETED, &call);
	r.tid = tid;
	snprintf(headline, sizeof(headline), "on dma-buf %p (%s)", copy.key, copy.name);
	r.headline_extra = headline;
	r.sentence = write ? "CPU wrote a dma-buf through its vmap outside dma_buf_begin_cpu_access()/end_cpu_access()"
			   : "CPU read a dma-buf through its vmap outside dma_buf_begin_cpu_access()/end_cpu_access()";
	dmasan_report_hex(&r, "cpu address", addr);
	dmasan_report_u64(&r, "offset", addr - copy.vaddr);
	dmasan_report_str(&r, "access", write ? "write" : "read");
	dmasan_report_str(&r, "exporter", copy.name);
	dmasan_report_str(&r, "detected by", detected_by);
	dmasan_report_related(&r, "vmap", "vmapped by", copy.vmap_stack, copy.vmap_tid);
	if (copy.end_stack)
		dmasan_report_related(&r, "end_cpu_access", "bracket last closed by",
				      copy.end_stack, copy.end_tid);
	dmasan_report_related(&r, "export", "exported by", copy.export_stack, copy.tid);
	dmasan_report_emit(&r);
	return true;
}

void san_on_dmabuf(const void *dmabuf, const void *attach, struct device *dev,
		   enum kdma_dmabuf_event ev, const struct kdma_dmabuf_info *info)
{
	const char *name = info->name;
	int dir = info->dir;
	struct dmabuf_finding f = { .check = DMASAN_CHECK__COUNT };
	dmasan_stack_id stack = dmasan_stack_capture(0);
	struct san_dmabuf *b;
	struct san_attach *a;

	/* faults the backend recorded belong to the bracket state before this event */
	cpu_access_drain(NULL);
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
		b->resv = info->resv;
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
		buf_unprotect(b);
		for (unsigned int i = 0; i < n_resvs; i++) {
			if (resvs[i].key == b->resv) {
				resvs[i] = resvs[--n_resvs];
				break;
			}
		}
		*b = bufs[--n_bufs];
		break;
	case KDMA_DMABUF_ATTACH:
		if (b)
			b->attachments++;
		if (n_atts < MAX_ATTACH) {
			a = &atts[n_atts++];
			*a = (struct san_attach){ .key = attach, .dmabuf = dmabuf, .dev = dev,
						  .dynamic = info->dynamic,
						  .attach_stack = stack, .tid = dmasan_thread_id() };
			snprintf(a->importer, sizeof(a->importer), "%s", dev ? dev_name(dev) : "?");
		}
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
			a->moved = false;
			att_ranges(a, info->sgl, info->nents);
		}
		break;
	case KDMA_DMABUF_MAPPING:
		if (b) {
			b->dma_maps++;
			buf_protection(b);
		}
		break;
	case KDMA_DMABUF_UNMAPPED:
		if (b && b->dma_maps) {
			b->dma_maps--;
			buf_protection(b);
		}
		break;
	case KDMA_DMABUF_VMAP:
		if (!b || !info->vaddr)
			break;
		buf_unprotect(b);
		b->vaddr = (uintptr_t)info->vaddr;
		b->vsize = info->size;
		b->vmapped = true;
		b->vmap_stack = stack;
		b->vmap_tid = dmasan_thread_id();
		buf_protection(b);
		break;
	case KDMA_DMABUF_VUNMAP:
		if (b)
			buf_unprotect(b);
		break;
	case KDMA_DMABUF_MOVE:
		if (!b)
			break;
		b->move_stack = stack;
		b->move_tid = dmasan_thread_id();
		for (unsigned int i = 0; i < n_atts; i++) {
			if (atts[i].dmabuf == dmabuf && atts[i].mapped) {
				atts[i].moved = true;
				atts[i].move_reported = false;
			}
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
			buf_protection(b);
		}
		break;
	case KDMA_DMABUF_END_CPU:
		if (!b || dir < 0 || dir >= 4)
			break;
		b->end_stack = stack;
		b->end_tid = dmasan_thread_id();
		if (b->open[dir]) {
			b->open[dir]--;
			buf_protection(b);
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
		buf_protection(b);
		break;
	}
	pthread_mutex_unlock(&lock);
	if (f.check != DMASAN_CHECK__COUNT)
		report(&f, dev, stack, dir);
}

/* ---- dmabuf-read-before-fence ---- */

void san_dmabuf_resv_add(const void *resv, const void *fence, int usage)
{
	struct san_resv *r = NULL;

	pthread_mutex_lock(&lock);
	for (unsigned int i = 0; i < n_resvs && !r; i++)
		if (resvs[i].key == resv)
			r = &resvs[i];
	if (!r && n_resvs < MAX_RESV) {
		r = &resvs[n_resvs++];
		memset(r, 0, sizeof(*r));
		r->key = resv;
	}
	if (r) {
		/* keep the newest: the oldest are the likeliest to have signalled */
		if (r->n == RESV_FENCES) {
			memmove(r->fences, r->fences + 1, sizeof(r->fences[0]) * (RESV_FENCES - 1));
			memmove(r->usage, r->usage + 1, sizeof(r->usage[0]) * (RESV_FENCES - 1));
			r->n--;
		}
		r->fences[r->n] = fence;
		r->usage[r->n++] = usage;
	}
	pthread_mutex_unlock(&lock);
}

static void report_move(const struct dmabuf_finding *f, struct device *dev, dma_addr_t addr,
			bool is_write)
{
	struct san_call call = { dev, 0, dmasan_thread_id() };
	struct dmasan_report r;
	char headline[96];

	san_report_start(&r, DMASAN_CHECK_DMABUF_USE_AFTER_MOVE, &call);
	snprintf(headline, sizeof(headline), "on dma-buf %p (%s) by device %s", f->buf.key,
		 f->buf.name, dev_name(dev));
	r.headline_extra = headline;
	dmasan_report_hex(&r, "device address", addr);
	dmasan_report_str(&r, "access", is_write ? "write" : "read");
	dmasan_report_str(&r, "exporter", f->buf.name);
	dmasan_report_str(&r, "importer", f->att.dynamic ? "dynamic" : "static");
	dmasan_report_related(&r, "move", "buffer moved (dma_buf_move_notify) by",
			      f->buf.move_stack, f->buf.move_tid);
	dmasan_report_related(&r, "map", "attachment mapped (before the move) by",
			      f->att.map_stack, f->att.tid);
	dmasan_report_related(&r, "export", "exported by", f->buf.export_stack, f->buf.tid);
	dmasan_report_emit(&r);
}

/* The attachment of dev whose mapping covers addr (lock held). */
static struct san_attach *att_at(struct device *dev, dma_addr_t addr)
{
	for (unsigned int i = 0; i < n_atts; i++) {
		struct san_attach *a = &atts[i];

		if (a->dev != dev)
			continue;
		for (unsigned int k = 0; k < a->nranges; k++)
			if (addr >= a->ranges[k].addr && addr < a->ranges[k].addr + a->ranges[k].len)
				return a;
	}
	return NULL;
}

void san_dmabuf_device_access(struct device *dev, dma_addr_t addr, size_t len, bool is_write)
{
	const void *fences[RESV_FENCES];
	struct dmabuf_finding f = { .check = DMASAN_CHECK__COUNT };
	struct san_attach *hit;
	struct san_dmabuf *b = NULL;
	unsigned int nf = 0;
	bool moved = false;
	struct san_fence pending;

	if (!n_atts)
		return;
	pthread_mutex_lock(&lock);
	hit = att_at(dev, addr);
	if (hit)
		b = buf_find(hit->dmabuf);
	if (b) {
		f.buf = *b;
		f.att = *hit;
		f.has_att = true;
		/* a mapping made before the move covers where the buffer was: once per move */
		if (hit->mapped && hit->moved && !hit->move_reported) {
			hit->move_reported = true;
			moved = true;
		}
	}
	if (b && !is_write && !hit->fence_reported) {
		for (unsigned int i = 0; i < n_resvs; i++) {
			if (resvs[i].key != b->resv)
				continue;
			for (unsigned int k = 0; k < resvs[i].n; k++)
				if (resvs[i].usage[k] <= 1) /* DMA_RESV_USAGE_KERNEL, _WRITE */
					fences[nf++] = resvs[i].fences[k];
		}
	}
	pthread_mutex_unlock(&lock);
	if (moved)
		report_move(&f, dev, addr, is_write);
	for (unsigned int k = 0; k < nf; k++) {
		if (!san_fence_pending(fences[k], &pending))
			continue;
		pthread_mutex_lock(&lock);
		for (unsigned int i = 0; i < n_atts; i++)
			if (atts[i].key == f.att.key)
				atts[i].fence_reported = true;
		pthread_mutex_unlock(&lock);
		f.check = DMASAN_CHECK_DMABUF_READ_BEFORE_FENCE;
		report_fence(&f, dev, addr, &pending);
		return;
	}
}

unsigned int san_dmabuf_attachments(struct san_dmabuf_attach_copy *out, unsigned int max)
{
	unsigned int n;

	pthread_mutex_lock(&lock);
	n = n_atts;
	for (unsigned int i = 0; i < n_atts && i < max; i++) {
		const struct san_dmabuf *b = buf_find(atts[i].dmabuf);

		out[i] = (struct san_dmabuf_attach_copy){ .dmabuf = atts[i].dmabuf,
							  .attach = atts[i].key,
							  .mapped = atts[i].mapped };
		snprintf(out[i].exporter, sizeof(out[i].exporter), "%s", b ? b->name : "?");
		memcpy(out[i].importer, atts[i].importer, sizeof(out[i].importer));
	}
	pthread_mutex_unlock(&lock);
	return n;
}

void san_dmabuf_fork_lock(void)
{
	pthread_mutex_lock(&lock);
}

void san_dmabuf_fork_unlock(bool child)
{
	pthread_mutex_unlock(&lock);
}
