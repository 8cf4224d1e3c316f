// SPDX-License-Identifier: MIT
/*
 * Ownership layer: shadow line states, the poisoned CPU view and the device view of every
 * streaming mapping, and the group C checks at the transitions and at device accesses.
 * See docs/ownership.md for the model.
 *
 * A mapping is a list of pieces, each physically contiguous on the CPU side (one for single and
 * page mappings, one per input entry for sg lists, whatever the IOMMU merged: every segment's
 * table entry shares the list's one shadow). Per piece and per line of the line size: owner
 * (CPU/device) and whether the device wrote it since the last hand-over. What the CPU view must
 * hold while the device owns a line is known exactly: the poison pattern for receive mappings,
 * or a snapshot (kept up to date with the device's own writes) otherwise; any other byte there
 * at take-back is a CPU store into a device-owned line.
 *
 * Locking: one mutex per shadow. Table visitors only take a reference (atomic), so the lock
 * order is shadow → table shard and never the reverse. Reports are emitted with no lock held.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>

#include "rt/fork.h"
#include "checks/checks.h"
#include "common/hwcopy.h"
#include "ownership/cpu_access.h"
#include "rt/oom.h"
#include "rt/options.h"
#include "ownership/ownership_hooks.h"
#include "ownership/poison_copy.h"
#include "ownership/shadow_mem.h"
#include "report/report.h"
#include "table/table.h"
#include "rt/services.h"

#define LS_DEV 0x1   /* the device owns the line */
#define LS_WROTE 0x2 /* the device wrote it since the last hand-over */

struct shadow_piece {
	dma_addr_t bus;   /* DMA_MAPPING_ERROR: unknown */
	uintptr_t cpu;
	size_t len;
	uintptr_t lbase;  /* first line's start */
	size_t nlines;
	u8 *state;        /* per line: LS_* */
	size_t ndev;      /* lines the device owns: runs are the whole piece when 0 or nlines */
	u8 *devview;      /* device view of [cpu, cpu + len), or NULL (not poisoned) */
	bool slot;        /* the device works on a SWIOTLB slot, not on this memory (nor devview) */
	u8 *snap;         /* expected CPU view while device-owned, or NULL (poisoned: the byte) */
	u8 *edges;        /* bytes of the first and last line outside the piece, at hand-over */
	size_t head_len, tail_len;
	size_t mem_len;   /* state, the view and the edges: one block of this size, or 0: inside
			   * the shadow's own block */
	uintptr_t track;  /* CPU-access backend cookie (receive pieces), 0: none */
	bool own_slack;   /* the bytes sharing its first/last lines are its own object's slack */
};

struct san_shadow {
	pthread_mutex_t lock;
	atomic_int refs;
	struct device *dev;
	dma_addr_t handle;
	u64 size;
	u8 dir, type;
	bool bounced;  /* device accesses land in SWIOTLB slots, not in the CPU memory */
	bool poisoned; /* receive mapping: the CPU view holds DMASAN_POISON_BYTE while device-owned */
	bool edges;    /* non-coherent receive mapping: watch the bytes sharing its lines */
	bool watched;  /* a CPU-access backend runs (not cpu_access=off) */
	atomic_bool unaligned_reported; /* once per mapping */
	size_t line;
	dmasan_stack_id map_stack, handover_stack;
	u32 handover_tid;
	struct san_shadow *sg_next; /* sg shadows: the list san_shadow_find_cpu() searches */
	size_t mem_len; /* this block's size (shadow_mem.h) */
	unsigned int npieces;
	struct shadow_piece pieces[];
};

static bool dir_receives(u8 dir)
{
	return dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL;
}

static const char *dir_name(u8 dir)
{
	static const char *const names[] = { "DMA_BIDIRECTIONAL", "DMA_TO_DEVICE",
					     "DMA_FROM_DEVICE", "DMA_NONE" };

	return dir < 4 ? names[dir] : "invalid";
}

/* The line holding byte `off` of a piece's lines: a shift, the line size being a power of two
 * (a division on every map, unmap and device access cost more than it seems). */
static size_t line_of(const struct san_shadow *s, size_t off)
{
	return off >> __builtin_ctzl(s->line);
}

/* The backend's brackets around the sanitizer's own accesses, skipped with no backend (a dozen
 * calls per map+unmap otherwise). */
static void quiet_begin(const struct san_shadow *s)
{
	if (s->watched)
		cpu_access_quiet_begin();
}

static void quiet_end(const struct san_shadow *s)
{
	if (s->watched)
		cpu_access_quiet_end();
}

static void touch_end(struct cpu_access_touch *t)
{
	if (t->n)
		cpu_access_touch_end(t);
}

/* ------------------------------------------------------------------ lifetime ---- */

static void sg_list_remove(struct san_shadow *sh);

static void shadow_destroy(struct san_shadow *s)
{
	unsigned int i;

	if (s->type == KDMA_TYPE_SG)
		sg_list_remove(s);
	for (i = 0; i < s->npieces; i++) {
		struct shadow_piece *p = &s->pieces[i];

		if (p->mem_len)
			shadow_mem_put(p->state, p->mem_len);
		cpu_access_untrack(p->track);
	}
	pthread_mutex_destroy(&s->lock);
	shadow_mem_put(s, s->mem_len);
}

static void shadow_get(struct san_shadow *s)
{
	atomic_fetch_add(&s->refs, 1);
}

static void shadow_put(struct san_shadow *s)
{
	/* the last reference of an unmapped mapping: no one can take one any more (takeback) */
	if (s && (atomic_load_explicit(&s->refs, memory_order_acquire) == 1 ||
		  atomic_fetch_sub(&s->refs, 1) == 1))
		shadow_destroy(s);
}

/* -------------------------------------------------------------- hand-over ---- */

/*
 * The bytes sharing a mapping's first and last cache lines belong to other objects; reading them
 * is the point (a line is what the device writes back), but in an ASan program they may be
 * redzones: they are read around ASan (common/hwcopy.h; edge_byte: uninstrumented, volatile).
 * An edge is shorter than a line.
 */
static void edge_read(u8 *dst, uintptr_t src, size_t n)
{
	dmasan_hw_copy(dst, (const void *)src, n);
}

static __attribute__((no_sanitize_address)) u8 edge_byte(uintptr_t a)
{
	return *(const volatile u8 *)a;
}

static bool edge_same(uintptr_t a, const u8 *snap, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (edge_byte(a + i) != snap[i])
			return false;
	return true;
}

/* The bytes of piece p that lines [l0, l1) cover (the first and last line may stick out). */
static void lines_span(const struct san_shadow *s, const struct shadow_piece *p, size_t l0,
		       size_t l1, uintptr_t *lo, uintptr_t *hi)
{
	uintptr_t a = p->lbase + l0 * s->line, b = p->lbase + l1 * s->line;

	*lo = a < p->cpu ? p->cpu : a;
	*hi = b > p->cpu + p->len ? p->cpu + p->len : b;
}

/* Lines [l0, l1) of piece p, all owned by the CPU, go to the device. */
static void run_to_device(struct san_shadow *s, struct shadow_piece *p, size_t l0, size_t l1,
			  bool at_map)
{
	uintptr_t lo, hi;
	size_t off_lo, off_hi;

	lines_span(s, p, l0, l1, &lo, &hi);
	off_lo = lo - p->cpu;
	off_hi = hi - p->cpu;
	if (s->watched && s->dir != DMA_FROM_DEVICE)
		cpu_access_check_defined(s->dev, p->bus, lo, hi, s->dir);
	/* the pages still hold the poison and the backend the CPU's bytes (piece_give_back) */
	if (p->devview && cpu_access_take_held(p->track, lo, hi,
					       at_map || s->dir == DMA_BIDIRECTIONAL
						       ? p->devview + off_lo : NULL))
		return;
	if (p->devview && (at_map || s->dir == DMA_BIDIRECTIONAL))
		/* the device sees what the CPU holds (swiotlb copies orig → slot at map, and for
		 * BIDIRECTIONAL at sync_for_device; FROM_DEVICE syncs copy nothing); one pass
		 * copies and poisons (a device view means a poisoned mapping) */
		poison_take(p->devview + off_lo, (u8 *)lo, off_hi - off_lo);
	else if (s->poisoned)
		dmasan_hw_fill((void *)lo, DMASAN_POISON_BYTE, off_hi - off_lo);
	cpu_access_protect(p->track, lo, hi);
}

/* Lines [l0, l1) of piece p go to the device. Lines it owns already keep their view and their
 * trap (a repeated sync_for_device hands nothing over); the expected view of a snapshot
 * mapping follows the CPU's data at every hand-over. Called with s->lock held. */
static void piece_to_device(struct san_shadow *s, struct shadow_piece *p, size_t l0, size_t l1,
			    bool at_map)
{
	uintptr_t lo, hi;
	size_t l, run;

	if (!p->ndev) { /* the map, and every hand-over of a piece the CPU owns whole */
		run_to_device(s, p, l0, l1, at_map);
		p->ndev = l1 - l0;
	} else if (p->ndev < p->nlines) {
		for (l = l0; l < l1; l = run) {
			for (run = l; run < l1 && !(p->state[run] & LS_DEV); run++)
				;
			if (run > l)
				run_to_device(s, p, l, run, at_map);
			p->ndev += run - l;
			for (; run < l1 && (p->state[run] & LS_DEV); run++)
				;
		}
	}
	lines_span(s, p, l0, l1, &lo, &hi);
	if (p->snap)
		dmasan_hw_copy(p->snap + (lo - p->cpu), (void *)lo, hi - lo);
	if (p->edges && l0 == 0 && p->head_len)
		edge_read(p->edges, p->lbase, p->head_len);
	if (p->edges && l1 == p->nlines && p->tail_len)
		edge_read(p->edges + p->head_len, p->cpu + p->len, p->tail_len);
	memset(p->state + l0, LS_DEV, l1 - l0);
}

/* The sanitizer's own accesses to lines [l0, l1) of p and the bytes sharing them: see
 * cpu_access_touch_begin(). */
static void piece_touch_begin(const struct san_shadow *s, const struct shadow_piece *p, size_t l0,
			      size_t l1, struct cpu_access_touch *t)
{
	t->n = 0;
	if (p->track)
		cpu_access_touch_begin(p->track, p->lbase + l0 * s->line, p->lbase + l1 * s->line, t);
}

/* Lines of piece p intersecting CPU range [lo, hi): [*l0, *l1). False if none. */
static bool piece_lines(const struct san_shadow *s, const struct shadow_piece *p, uintptr_t lo,
			uintptr_t hi, size_t *l0, size_t *l1)
{
	if (hi <= p->cpu || lo >= p->cpu + p->len || hi <= lo)
		return false;
	if (lo < p->cpu)
		lo = p->cpu;
	if (hi > p->cpu + p->len)
		hi = p->cpu + p->len;
	*l0 = line_of(s, lo - p->lbase);
	*l1 = line_of(s, hi - 1 - p->lbase) + 1;
	return true;
}

/* ------------------------------------------------------------------ create ---- */

static bool shadow_applies(const struct san_entry *e)
{
	if (dmasan_opts.cpu_access == DMASAN_CPU_ACCESS_OFF && !dmasan_opts.poison)
		return false;
	switch (e->type) {
	case KDMA_TYPE_SINGLE:
	case KDMA_TYPE_PAGE:
	case KDMA_TYPE_SG:
		/* DMA_ATTR_SKIP_CPU_SYNC (page_pool) skips the cache work, not the hand-over: the
		 * device owns the buffer until the driver's own sync_for_cpu */
		return e->dir <= DMA_FROM_DEVICE;
	default:
		return false; /* coherent memory is shared: no owner; resources are MMIO */
	}
}

/* unaligned-mapping decides from the allocation, as the kernel's rule intends: a receive buffer
 * must not share a DMA line with other data the CPU uses meanwhile. The bytes sharing p's first
 * and last lines are either slack of p's own kmalloc object (skb headroom, a buffer's tail:
 * kmalloc aligns and rounds objects to the DMA alignment, so no other object reaches into those
 * lines), warned about only when the CPU writes them while the device owns the line; or memory
 * of another object or of unknown use (static, stack, page or libc memory), warned about at map
 * time. */
static bool edges_own_slack(const struct shadow_piece *p, size_t line)
{
	const void *start;
	size_t (*kmalloc_span)(const void *, const void **) = SAN_KDMA(kmalloc_span);
	size_t size = kmalloc_span ? kmalloc_span((const void *)p->cpu, &start) : 0;

	return size && (uintptr_t)start <= p->lbase &&
	       (uintptr_t)start + size >= p->lbase + p->nlines * line;
}

static void report_unaligned(struct san_shadow *s, const struct shadow_piece *p, bool written)
{
	struct dmasan_report r;

	dmasan_report_init(&r, DMASAN_CHECK_UNALIGNED_MAPPING, s->dev);
	r.sentence = written ? "mapping for device writes shares a cache line with bytes the CPU "
			       "wrote while the device owned it"
			     : "mapping for device writes shares cache lines with other data";
	dmasan_report_hex(&r, "device address", p->bus);
	dmasan_report_hex(&r, "cpu address", p->cpu);
	dmasan_report_u64(&r, "size", p->len);
	dmasan_report_u64(&r, "bytes before in first line", p->head_len);
	dmasan_report_u64(&r, "bytes after in last line", p->tail_len);
	dmasan_report_u64(&r, "dma alignment", s->line);
	dmasan_report_str(&r, "direction", dir_name(s->dir));
	dmasan_report_str(&r, "shared with",
			  written ? "its own object's slack, written while mapped"
				  : "memory outside its allocation");
	if (written)
		dmasan_report_related(&r, "map", "mapped by", s->map_stack, s->handover_tid);
	dmasan_report_emit(&r);
}

/* Non-coherent receive mappings watch the bytes sharing their first and last lines. */
static bool keeps_edges(const struct san_entry *e)
{
	return dir_receives(e->dir) && !e->dev->dma_coherent;
}

/* The view (or snapshot) of a piece of VIEW_ALIGN_MIN bytes or more sits at the CPU buffer's
 * offset in a 64-byte line: the copies to and from it then split no more lines than the buffer's
 * own accesses do (a view 32 bytes off doubled the time of the map's pass over a 4 KiB page). */
#define VIEW_ALIGN_MIN 512

static size_t piece_view_slack(const struct shadow_piece *p)
{
	return p->len >= VIEW_ALIGN_MIN ? 63 : 0;
}

static size_t piece_mem_len(const struct shadow_piece *p, bool edges)
{
	return p->nlines + piece_view_slack(p) + p->len + (edges ? p->head_len + p->tail_len : 0);
}

/* Lays out the piece's memory in mem (mem_len bytes, or 0: inside the shadow's block): the line
 * states, the device view or the snapshot, the edge bytes. Nothing is cleared: the hand-over at
 * map (shadow_arm, before anyone can see the piece) writes the view, the edges and every line's
 * state whole, so reused memory shows nothing of an earlier mapping. */
static void piece_place(struct san_shadow *s, struct shadow_piece *p, u8 *mem, size_t mem_len)
{
	u8 *view = mem + p->nlines;

	if (piece_view_slack(p))
		view += (p->cpu - (uintptr_t)view) & 63;
	p->mem_len = mem_len;
	p->ndev = 0; /* so the map hands every line over in one run */
	p->state = mem;
	if (s->poisoned)
		p->devview = view;
	else
		p->snap = view;
	if (s->edges && p->head_len + p->tail_len)
		p->edges = view + p->len;
}

/* Where piece p lies: CPU range [cpu, cpu + len) at bus address bus, cut into lines. */
static void piece_geometry(size_t line, struct shadow_piece *p, dma_addr_t bus, uintptr_t cpu,
			   size_t len)
{
	uintptr_t end = cpu + len;

	p->bus = bus;
	p->cpu = cpu;
	p->len = len;
	p->lbase = cpu & ~(uintptr_t)(line - 1);
	p->nlines = ((end + line - 1) & ~(uintptr_t)(line - 1)) - p->lbase;
	p->nlines >>= __builtin_ctzl(line);
	p->head_len = cpu - p->lbase;
	p->tail_len = (p->lbase + p->nlines * line) - end;
}

/* The rest of a piece whose geometry and memory are set. */
static void piece_track(struct san_shadow *s, struct shadow_piece *p)
{
	uintptr_t cpu = p->cpu, end = p->cpu + p->len;

	if (!s->watched)
		return;
	if (dir_receives(s->dir))
		p->track = cpu_access_track(cpu, end, s->dir == DMA_FROM_DEVICE
			? "dmasan: DMA_FROM_DEVICE buffer owned by the device (cpu-read-device-owned)"
			: "dmasan: DMA_BIDIRECTIONAL buffer owned by the device (cpu-read-device-owned)");
	else if (dmasan_opts.strict_reads && cpu_access_traps_writes())
		/* the device's reads are then served from the snapshot (access_lines) */
		p->track = cpu_access_track(cpu, end, "dmasan: DMA_TO_DEVICE buffer owned by the device");
}

/* A piece of an sg shadow, with memory of its own. */
static bool piece_init(struct san_shadow *s, struct shadow_piece *p, dma_addr_t bus,
		       uintptr_t cpu, size_t len)
{
	size_t mem_len;
	u8 *mem;

	piece_geometry(s->line, p, bus, cpu, len);
	p->slot = s->bounced;
	mem_len = piece_mem_len(p, s->edges);
	mem = shadow_mem_get(mem_len);
	if (!mem) {
		san_mem_failed(SAN_MEM_SHADOW);
		return false;
	}
	piece_place(s, p, mem, mem_len);
	piece_track(s, p);
	return true;
}

/* The header of a shadow of n pieces, its bytes past them `extra` bytes more of the same block;
 * not yet set up (pieces, then shadow_arm). */
static struct san_shadow *shadow_new(const struct san_entry *e, unsigned int n, size_t extra)
{
	size_t head = sizeof(struct san_shadow) + n * sizeof(struct shadow_piece);
	struct san_shadow *s = san_mem_fail() ? NULL : shadow_mem_get(head + extra);

	if (!s) {
		san_mem_failed(SAN_MEM_SHADOW);
		return NULL;
	}
	memset(s, 0, head);
	s->mem_len = head + extra;
	pthread_mutex_init(&s->lock, NULL);
	atomic_init(&s->refs, 1);
	s->dev = e->dev;
	s->handle = san_handle(e);
	s->size = san_size(e);
	s->dir = e->dir;
	s->type = e->type;
	s->bounced = san_entry_flags(e) & SAN_E_BOUNCED;
	s->poisoned = dmasan_opts.poison && dir_receives(e->dir);
	s->edges = keeps_edges(e);
	s->watched = cpu_access_backend() != CPU_ACCESS_NONE;
	s->line = dmasan_opts.line_size;
	s->map_stack = s->handover_stack = e->map_stack;
	s->handover_tid = e->tid;
	s->npieces = n;
	return s;
}

static bool line_size_ok(void)
{
	size_t line = dmasan_opts.line_size;

	return line >= 8 && !(line & (line - 1));
}

/* Every piece goes to the device (the map), then the unaligned-mapping warnings. Before the
 * shadow is published (stored in its entry, attached to an sg list's entries): no device
 * access or sync can find it yet, so no lock. */
static void shadow_arm(struct san_shadow *s)
{
	unsigned int i;

	quiet_begin(s);
	for (i = 0; i < s->npieces; i++) {
		struct shadow_piece *p = &s->pieces[i];
		struct cpu_access_touch t;

		piece_touch_begin(s, p, 0, p->nlines, &t);
		piece_to_device(s, p, 0, p->nlines, true);
		touch_end(&t);
	}
	quiet_end(s);
	for (i = 0; s->edges && i < s->npieces; i++) {
		struct shadow_piece *p = &s->pieces[i];

		if (!(p->head_len + p->tail_len))
			continue;
		p->own_slack = edges_own_slack(p, s->line);
		if (!p->own_slack && !atomic_exchange(&s->unaligned_reported, true))
			report_unaligned(s, p, false);
	}
}

/* A single or page mapping: one piece, whose memory follows the header in one block. */
static struct san_shadow *shadow_create(struct san_entry *e)
{
	/* The CPU side: the driver's pointer, else phys (== virt). */
	uintptr_t cpu = e->cpu_addr ? (uintptr_t)e->cpu_addr : (uintptr_t)e->phys.start;
	size_t len = e->phys.end > e->phys.start ? e->phys.end - e->phys.start : san_size(e);
	struct shadow_piece p = { 0 };
	struct san_shadow *s;

	if (!shadow_applies(e) || !cpu || !len || !line_size_ok())
		return NULL;
	piece_geometry(dmasan_opts.line_size, &p, san_handle(e), cpu, len);
	s = shadow_new(e, 1, piece_mem_len(&p, keeps_edges(e)));
	if (!s)
		return NULL;
	p.slot = s->bounced;
	s->pieces[0] = p;
	piece_place(s, &s->pieces[0], (u8 *)&s->pieces[1], 0);
	piece_track(s, &s->pieces[0]);
	return s;
}

void san_shadow_map(struct san_entry *e)
{
	struct san_shadow *s;

	cpu_access_drain(NULL);
	if (san_entry_flags(e) & SAN_E_UNSAFE_AREA || e->type == KDMA_TYPE_SG)
		return; /* unsafe: stack garbage, read-only or unmapped memory: never write to it;
			 * sg lists: san_shadow_sg_create */
	s = shadow_create(e);
	if (!s)
		return;
	shadow_arm(s);
	__atomic_store_n(&e->shadow, s, __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------------ sg lists ---- */

static pthread_mutex_t sg_list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct san_shadow *sg_list; /* live sg shadows */

void san_shadow_fork_lock(void)
{
	pthread_mutex_lock(&sg_list_lock);
}

void san_shadow_fork_unlock(bool child)
{
	pthread_mutex_unlock(&sg_list_lock);
}

/* Input entry i's bus address: output segments are walked along the input entries, since an
 * IOMMU merges only entries that continue each other in IOVA space (the next one starts at its
 * page's start, the previous one ends on a granule boundary). DMA_MAPPING_ERROR when the
 * segment lengths do not add up (then only the memory an access reaches finds the entry). */
struct seg_walk {
	struct scatterlist *seg;
	int left;        /* segments not yet walked, the current one included */
	size_t off;      /* into the current segment */
};

static dma_addr_t seg_walk_next(struct seg_walk *w, size_t len)
{
	dma_addr_t bus;

	if (!w->seg || w->left <= 0 || w->off + len > sg_dma_len(w->seg)) {
		w->left = 0;
		return DMA_MAPPING_ERROR;
	}
	bus = sg_dma_address(w->seg) + w->off;
	w->off += len;
	if (w->off == sg_dma_len(w->seg)) {
		w->seg = --w->left > 0 ? san_sg_next(w->seg) : NULL;
		w->off = 0;
	}
	return bus;
}

/* The shadow of dma_map_sg(sg, nents) = mapped: one piece per input entry, so every byte of
 * every entry is owned, whatever the IOMMU merged or SWIOTLB bounced. `first` is the table entry
 * of the first segment (device, direction, stacks). NULL when ownership is not tracked. */
struct san_shadow *san_shadow_sg_create(const struct san_entry *first, struct scatterlist *sg,
					int nents, int mapped)
{
	struct seg_walk w = { sg, mapped, 0 };
	struct scatterlist *s;
	struct san_shadow *sh;
	unsigned int n = 0;
	int i;

	if (!shadow_applies(first) || (first->flags & SAN_E_UNSAFE_AREA) || !line_size_ok())
		return NULL;
	for (i = 0, s = sg; s && i < nents; i++, s = san_sg_next(s))
		n += san_sg_phys(s) && s->length;
	if (!n || !(sh = shadow_new(first, n, 0)))
		return NULL;
	sh->size = 0;
	for (i = 0, n = 0, s = sg; s && i < nents && n < sh->npieces; i++, s = san_sg_next(s)) {
		uintptr_t cpu = (uintptr_t)san_sg_phys(s);
		dma_addr_t bus = seg_walk_next(&w, s->length);

		if (!cpu || !s->length)
			continue;
		if (!piece_init(sh, &sh->pieces[n++], bus, cpu, s->length)) {
			shadow_destroy(sh);
			return NULL;
		}
		sh->size += s->length;
	}
	shadow_arm(sh);
	pthread_mutex_lock(&sg_list_lock);
	sh->sg_next = sg_list;
	sg_list = sh;
	pthread_mutex_unlock(&sg_list_lock);
	return sh;
}

/* A segment's table entry shares the list's shadow. */
void san_shadow_sg_attach(struct san_entry *e, struct san_shadow *sh)
{
	if (!sh)
		return;
	shadow_get(sh);
	__atomic_store_n(&e->shadow, sh, __ATOMIC_RELEASE);
}

static void sg_list_remove(struct san_shadow *sh)
{
	struct san_shadow **pp;

	pthread_mutex_lock(&sg_list_lock);
	for (pp = &sg_list; *pp; pp = &(*pp)->sg_next) {
		if (*pp == sh) {
			*pp = sh->sg_next;
			break;
		}
	}
	pthread_mutex_unlock(&sg_list_lock);
}

/* The creator's reference: dropped once every segment holds its own. */
void san_shadow_sg_put(struct san_shadow *sh)
{
	shadow_put(sh);
}

bool san_shadow_entry_of(uintptr_t addr, struct san_entry *copy)
{
	struct san_shadow *sh;
	unsigned int i;
	bool found = false;

	pthread_mutex_lock(&sg_list_lock);
	for (sh = sg_list; sh && !found; sh = sh->sg_next) {
		for (i = 0; i < sh->npieces && !found; i++) {
			const struct shadow_piece *p = &sh->pieces[i];

			if (addr < p->cpu || addr >= p->cpu + p->len)
				continue;
			memset(copy, 0, sizeof(*copy));
			copy->dev = sh->dev;
			copy->bus.start = sh->handle;
			copy->bus.end = sh->handle + sh->size;
			copy->phys.start = p->cpu;
			copy->phys.end = p->cpu + p->len;
			copy->type = sh->type;
			copy->dir = sh->dir;
			copy->map_stack = sh->map_stack;
			copy->tid = sh->handover_tid;
			found = true;
		}
	}
	pthread_mutex_unlock(&sg_list_lock);
	return found;
}

/* --------------------------------------------------------------- take-back ---- */

/* What the CPU view of byte `off` of p must hold while the device owns it. */
static u8 expected_byte(const struct san_shadow *s, const struct shadow_piece *p, size_t off)
{
	return p->snap ? p->snap[off] : DMASAN_POISON_BYTE;
}

struct cpu_write {
	uintptr_t addr;  /* first changed byte */
	size_t count;    /* changed bytes */
	dma_addr_t bus;
};

/* The end of the run of device-owned lines of p that starts at line l (l itself if l is not
 * device-owned), at most l1. The take-back works on whole runs: one comparison, copy and
 * unprotect per run rather than per line (a whole mapping is usually one run). */
static size_t dev_run_end(const struct shadow_piece *p, size_t l, size_t l1)
{
	if (p->ndev == p->nlines) /* the usual case: no per-line walk */
		return l < l1 ? l1 : l;
	while (p->ndev && l < l1 && (p->state[l] & LS_DEV))
		l++;
	return l;
}

/* The bytes of device-owned [lo, hi) of p that differ from their expected view: CPU stores. */
static void count_cpu_writes(const struct san_shadow *s, const struct shadow_piece *p,
			     uintptr_t lo, uintptr_t hi, struct cpu_write *w)
{
	for (uintptr_t a = lo; a < hi; a++) {
		if (*(const u8 *)a == expected_byte(s, p, a - p->cpu))
			continue;
		if (!w->count++) {
			w->addr = a;
			w->bus = p->bus == DMA_MAPPING_ERROR ? p->bus : p->bus + (a - p->cpu);
		}
	}
}

/* Compare device-owned lines [l0, l1) of p with their expected view: a fast check per run of
 * lines, and a byte walk only for a run that differs. */
static void find_cpu_writes(const struct san_shadow *s, const struct shadow_piece *p, size_t l0,
			    size_t l1, struct cpu_write *w)
{
	size_t l, r;

	for (l = l0; l < l1; l = r > l ? r : l + 1) {
		uintptr_t lo, hi;

		r = dev_run_end(p, l, l1);
		if (r == l)
			continue;
		lines_span(s, p, l, r, &lo, &hi);
		if (p->snap ? !memcmp((void *)lo, p->snap + (lo - p->cpu), hi - lo)
			    : poison_all((const u8 *)lo, hi - lo))
			continue;
		count_cpu_writes(s, p, lo, hi, w);
	}
}

/* Device-owned lines [l0, l1) of a poisoned piece no backend tracks come back at unmap, checked
 * and restored in one pass while the CPU view holds only poison; from the first byte that does
 * not, the CPU's stores are counted and the rest is copied. */
static void restore_checked(const struct san_shadow *s, const struct shadow_piece *p, size_t l0,
			    size_t l1, struct cpu_write *w)
{
	uintptr_t lo, hi;
	size_t done;

	lines_span(s, p, l0, l1, &lo, &hi);
	done = poison_restore((u8 *)lo, p->devview + (lo - p->cpu), hi - lo);
	if (lo + done == hi)
		return;
	count_cpu_writes(s, p, lo + done, hi, w);
	dmasan_hw_copy((void *)(lo + done), p->devview + (lo + done - p->cpu), hi - lo - done);
}

struct edge_scan {
	uintptr_t lo, hi;
	u8 mask[256]; /* 1: byte belongs to another live mapping */
	const struct san_shadow *self;
};

static bool edge_mark_other(struct san_entry *e, void *arg)
{
	struct edge_scan *es = arg;
	uintptr_t lo = e->phys.start > es->lo ? e->phys.start : es->lo;
	uintptr_t hi = e->phys.end < es->hi ? e->phys.end : es->hi;

	if (__atomic_load_n(&e->shadow, __ATOMIC_RELAXED) == es->self)
		return false;
	for (; lo < hi; lo++)
		es->mask[lo - es->lo] = 1;
	return false;
}

/* Bytes outside p but in its first/last line that the CPU changed while the device owned it,
 * ignoring bytes of other live mappings (their own checks cover them). */
static void find_edge_writes(const struct san_shadow *s, const struct shadow_piece *p, size_t l0,
			     size_t l1, size_t *changed, uintptr_t *first)
{
	size_t i, j;

	if (!p->edges)
		return;
	struct { uintptr_t lo; size_t len; const u8 *snap; bool owned; } part[2] = {
		{ p->lbase, p->head_len, p->edges, l0 == 0 && (p->state[0] & LS_DEV) },
		{ p->cpu + p->len, p->tail_len, p->edges + p->head_len,
		  l1 == p->nlines && (p->state[p->nlines - 1] & LS_DEV) },
	};
	for (i = 0; i < 2; i++) {
		struct edge_scan es = { .lo = part[i].lo, .hi = part[i].lo + part[i].len, .self = s };

		if (!part[i].owned || !part[i].len || part[i].len > sizeof(es.mask))
			continue;
		if (edge_same(part[i].lo, part[i].snap, part[i].len))
			continue;
		san_table_visit_phys(es.lo, es.hi, edge_mark_other, &es);
		for (j = 0; j < part[i].len; j++) {
			if (es.mask[j] || edge_byte(part[i].lo + j) == part[i].snap[j])
				continue;
			if (!(*changed)++)
				*first = part[i].lo + j;
		}
	}
}

/* The backend stops trapping CPU accesses to the device-owned lines among [l0, l1). */
static void piece_unprotect(struct san_shadow *s, struct shadow_piece *p, size_t l0, size_t l1)
{
	size_t l, r;

	if (!p->track)
		return;
	for (l = l0; l < l1; l = r > l ? r : l + 1) {
		uintptr_t lo, hi;

		r = dev_run_end(p, l, l1);
		if (r == l)
			continue;
		lines_span(s, p, l, r, &lo, &hi);
		cpu_access_unprotect(p->track, lo, hi);
	}
}

/* Lines [l0, l1) of p come back to the CPU: restore the view (kernel bounce semantics: device
 * bytes where it wrote, the original elsewhere — the device view holds exactly that). */
static void piece_to_cpu(struct san_shadow *s, struct shadow_piece *p, size_t l0, size_t l1,
			 bool copy_back)
{
	/* the head line's bytes outside the buffer are read again only if it comes back now: one
	 * already back may lie in memory released since (san_shadow_cpu_released) */
	bool head_back = p->edges && l0 == 0 && p->head_len && (p->state[0] & LS_DEV);
	size_t l, r;

	for (l = l0; l < l1; l = r > l ? r : l + 1) {
		uintptr_t lo, hi;

		r = dev_run_end(p, l, l1);
		if (r == l)
			continue;
		lines_span(s, p, l, r, &lo, &hi);
		if (p->devview && !p->slot && copy_back)
			dmasan_hw_copy((void *)lo, p->devview + (lo - p->cpu), hi - lo);
		memset(p->state + l, 0, r - l);
		p->ndev -= r - l;
	}
	if (head_back)
		edge_read(p->edges, p->lbase, p->head_len); /* re-armed at the next hand-over */
}

/* Unmap of a piece the device owns whole: the backend may keep the view's bytes and the pages
 * closed until the CPU's first access (cpu_access_give_back) instead of copying back. Nothing
 * else is due: no edge bytes, and stores were trapped. */
static bool piece_give_back(struct san_shadow *s, struct shadow_piece *p)
{
	if (!p->track || !p->devview || p->slot || p->head_len || p->tail_len ||
	    dev_run_end(p, 0, p->nlines) != p->nlines ||
	    !cpu_access_give_back(p->track, p->cpu, p->cpu + p->len, p->devview))
		return false;
	memset(p->state, 0, p->nlines);
	return true;
}

struct takeback_findings {
	struct cpu_write w;
	size_t edge_count;
	uintptr_t edge_first;
	const struct shadow_piece *slack_written; /* own slack written while mapped */
};

static void report_takeback(struct san_shadow *s, const struct takeback_findings *f,
			    const char *when)
{
	struct dmasan_report r;

	if (f->w.count) {
		dmasan_report_init(&r, DMASAN_CHECK_CPU_WRITE_DEVICE_OWNED, s->dev);
		r.sentence = "CPU wrote into DMA memory while the device owned it";
		dmasan_report_hex(&r, "device address", f->w.bus);
		dmasan_report_hex(&r, "cpu address", f->w.addr);
		dmasan_report_u64(&r, "bytes changed", f->w.count);
		dmasan_report_u64(&r, "mapping size", s->size);
		dmasan_report_str(&r, "mapped with", dir_name(s->dir));
		dmasan_report_str(&r, "found at", when);
		dmasan_report_related(&r, "sync_for_device", "buffer handed to the device by",
				      s->handover_stack, s->handover_tid);
		if (s->map_stack != s->handover_stack)
			dmasan_report_related(&r, "map", "mapped by", s->map_stack, s->handover_tid);
		dmasan_report_emit(&r);
	}
	if (f->edge_count) {
		dmasan_report_init(&r, DMASAN_CHECK_SHARED_CACHELINE_WRITE, s->dev);
		r.sentence = "CPU wrote next to a receive buffer in a cache line the device owned";
		dmasan_report_hex(&r, "cpu address", f->edge_first);
		dmasan_report_u64(&r, "bytes changed", f->edge_count);
		dmasan_report_hex(&r, "mapping device address", s->handle);
		dmasan_report_u64(&r, "mapping size", s->size);
		dmasan_report_u64(&r, "dma alignment", s->line);
		dmasan_report_str(&r, "found at", when);
		dmasan_report_related(&r, "sync_for_device", "lines handed to the device by",
				      s->handover_stack, s->handover_tid);
		dmasan_report_emit(&r);
	}
	if (f->slack_written && !atomic_exchange(&s->unaligned_reported, true))
		report_unaligned(s, f->slack_written, true);
}

/* CPU range [lo, hi) of s comes back (sync_for_cpu or unmap). `check` runs before libkdma's
 * work (detection), `move` after it (restore + state). For unmap both happen at once. What is
 * found adds to *f, reported once per call by report_takeback. */
static void takeback(struct san_shadow *s, uintptr_t lo, uintptr_t hi, bool check, bool move,
		     bool copy_back, struct takeback_findings *f)
{
	/* The last reference (an unmapped single mapping): the entry left the table, so no one
	 * can find the shadow any more, and the lock guards nothing. */
	bool alone = atomic_load_explicit(&s->refs, memory_order_acquire) == 1;
	unsigned int i;

	if (!alone)
		pthread_mutex_lock(&s->lock);
	quiet_begin(s);
	for (i = 0; i < s->npieces; i++) {
		struct shadow_piece *p = &s->pieces[i];
		struct cpu_access_touch t;
		size_t l0, l1;
		bool fused;

		if (!piece_lines(s, p, lo, hi, &l0, &l1))
			continue;
		if (check && move && copy_back && !l0 && l1 == p->nlines && piece_give_back(s, p))
			continue;
		/* an unmap with nothing tracking the CPU side: check and restore in one pass */
		fused = check && move && copy_back && p->devview && !p->slot && !p->track &&
			dev_run_end(p, l0, l1) == l1;
		piece_touch_begin(s, p, l0, l1, &t);
		if (check) {
			/* receive lines under a trapping backend: stores were reported at the access */
			size_t edges = 0;
			uintptr_t edge_first = 0;

			if (fused)
				restore_checked(s, p, l0, l1, &f->w);
			else if (!(p->track && cpu_access_traps_writes()))
				find_cpu_writes(s, p, l0, l1, &f->w);
			/* stores next to the buffer: mprotect traps them (its pages cover the whole
			 * lines), ASan does not (it poisons the buffer's own bytes) */
			find_edge_writes(s, p, l0, l1, &edges, &edge_first);
			if (edges && !(p->track && cpu_access_backend() == CPU_ACCESS_MPROTECT)) {
				if (!f->edge_count)
					f->edge_first = edge_first;
				f->edge_count += edges;
			}
			if (edges && p->own_slack && !f->slack_written)
				f->slack_written = p;
			/* open the lines before libkdma copies a bounce slot back into them */
			piece_unprotect(s, p, l0, l1);
		}
		if (move)
			piece_to_cpu(s, p, l0, l1, copy_back && !fused);
		touch_end(&t);
	}
	quiet_end(s);
	if (!alone)
		pthread_mutex_unlock(&s->lock);
}

static void handover(struct san_shadow *s, uintptr_t lo, uintptr_t hi, dmasan_stack_id stack)
{
	unsigned int i;

	pthread_mutex_lock(&s->lock);
	s->handover_stack = stack ? stack : dmasan_stack_capture(2);
	s->handover_tid = dmasan_thread_id();
	quiet_begin(s);
	for (i = 0; i < s->npieces; i++) {
		struct shadow_piece *p = &s->pieces[i];
		struct cpu_access_touch t;
		size_t l0, l1;

		if (!piece_lines(s, p, lo, hi, &l0, &l1))
			continue;
		piece_touch_begin(s, p, l0, l1, &t);
		piece_to_device(s, p, l0, l1, false);
		touch_end(&t);
	}
	quiet_end(s);
	pthread_mutex_unlock(&s->lock);
}

/* ------------------------------------------------------------------- syncs ---- */

struct find_arg {
	struct device *dev;
	struct san_shadow *s;
	dmasan_stack_id sync_dev_stack; /* recorded by the sync checks before the sync */
};

/* Table visitor (shard lock held): take a reference on the entry's shadow. */
static bool find_shadow(struct san_entry *e, void *arg)
{
	struct find_arg *fa = arg;
	struct san_shadow *s = __atomic_load_n(&e->shadow, __ATOMIC_ACQUIRE);

	if (e->dev != fa->dev || !s)
		return false;
	fa->s = s;
	fa->sync_dev_stack = e->sync_dev_stack;
	shadow_get(s);
	return true;
}

/* One CPU range of a sync. for_cpu: before libkdma's work, detect (libkdma may copy a bounce
 * slot over the view); after it, move. for_device, after libkdma's work: a bounce slot got the
 * CPU's data before the view is poisoned. */
static void sync_cpu_range(struct san_shadow *s, uintptr_t lo, uintptr_t hi, bool for_cpu,
			   bool after, dmasan_stack_id stack, struct takeback_findings *f)
{
	if (for_cpu)
		takeback(s, lo, hi, !after, after, true, f);
	else if (after)
		handover(s, lo, hi, stack);
}

void san_shadow_sync(struct device *dev, dma_addr_t addr, size_t size,
		     enum dma_data_direction dir, bool for_cpu, bool after)
{
	struct find_arg fa = { .dev = dev };
	struct takeback_findings f = { 0 };
	unsigned int i;

	cpu_access_drain(NULL);
	if (!size)
		return;
	san_table_visit_bus(dev, addr, addr + size, find_shadow, &fa);
	if (!fa.s)
		return;
	/* the CPU memory behind the bus range: one merged sg segment spans several pieces */
	for (i = 0; i < fa.s->npieces; i++) {
		const struct shadow_piece *p = &fa.s->pieces[i];
		dma_addr_t lo, hi;

		if (p->bus == DMA_MAPPING_ERROR)
			continue;
		lo = addr > p->bus ? addr : p->bus;
		hi = addr + size < p->bus + p->len ? addr + size : p->bus + p->len;
		if (lo < hi)
			sync_cpu_range(fa.s, p->cpu + (lo - p->bus), p->cpu + (hi - p->bus),
				       for_cpu, after, fa.sync_dev_stack, &f);
	}
	report_takeback(fa.s, &f, "dma_sync_for_cpu");
	shadow_put(fa.s);
}

/* dma_sync_sg_*(sg, nelems): as the kernel, the memory of the first nelems input entries,
 * whatever the mapped segments are. */
void san_shadow_sync_sg(struct device *dev, struct scatterlist *sg, int nelems,
			enum dma_data_direction dir, bool for_cpu, bool after)
{
	struct find_arg fa = { .dev = dev };
	struct takeback_findings f = { 0 };
	struct scatterlist *s;
	int i;

	cpu_access_drain(NULL);
	if (!sg || nelems <= 0 || !sg_dma_len(sg))
		return;
	san_table_visit_bus(dev, sg_dma_address(sg), sg_dma_address(sg) + 1, find_shadow, &fa);
	if (!fa.s)
		return;
	for (i = 0, s = sg; s && i < nelems; i++, s = san_sg_next(s)) {
		uintptr_t cpu = (uintptr_t)san_sg_phys(s);

		if (cpu && s->length)
			sync_cpu_range(fa.s, cpu, cpu + s->length, for_cpu, after,
				       fa.sync_dev_stack, &f);
	}
	report_takeback(fa.s, &f, "dma_sync_sg_for_cpu");
	shadow_put(fa.s);
}

void san_shadow_release(struct san_entry *e)
{
	/* e left every index: no visitor reads e->shadow any more, a load and a store will do */
	struct san_shadow *s = __atomic_load_n(&e->shadow, __ATOMIC_ACQUIRE);
	struct takeback_findings f = { 0 };

	__atomic_store_n(&e->shadow, NULL, __ATOMIC_RELAXED);
	cpu_access_drain(e);
	if (!s)
		return;
	/* the whole mapping comes back to the CPU (unmap, or the driver's unbind); the segments
	 * of an sg list after the first find it back already */
	takeback(s, 0, UINTPTR_MAX, true, true, true, &f);
	report_takeback(s, &f, "dma_unmap");
	shadow_put(s);
}

/* ------------------------------------------------- CPU memory released ---- */

#define RELEASED_MAX 16

struct released {
	unsigned int n;
	bool more;
	struct san_shadow *s[RELEASED_MAX];
};

static bool released_find(struct san_entry *e, void *arg)
{
	struct released *r = arg;
	struct san_shadow *s = __atomic_load_n(&e->shadow, __ATOMIC_ACQUIRE);

	if (!s)
		return false;
	for (unsigned int i = 0; i < r->n; i++)
		if (r->s[i] == s)
			return false; /* an sg list's segments share one */
	if (r->n == RELEASED_MAX) {
		r->more = true;
		return true;
	}
	shadow_get(s);
	r->s[r->n++] = s;
	return false;
}

void san_shadow_cpu_released(uintptr_t lo, uintptr_t hi)
{
	struct released r;
	struct takeback_findings f = { 0 };

	do {
		r.n = 0;
		r.more = false;
		san_table_visit_phys(lo, hi, released_find, &r);
		for (unsigned int i = 0; i < r.n; i++) {
			/* to the CPU without a check or a copy: nothing is written there any more */
			takeback(r.s[i], lo, hi, false, true, false, &f);
			shadow_put(r.s[i]);
		}
	} while (r.more);
}

/* --------------------------------------------------------- device accesses ---- */

struct access_find {
	struct device *dev;
	struct san_entry copy;
	bool found;
};

static bool access_find_entry(struct san_entry *e, void *arg)
{
	struct access_find *af = arg;

	if (e->dev != af->dev)
		return false;
	san_entry_snapshot(&af->copy, e);
	if (af->copy.shadow)
		shadow_get(af->copy.shadow);
	af->found = true;
	return true;
}

static void report_access_simple(enum dmasan_check check, struct device *dev, dma_addr_t addr,
				 size_t len, bool is_write, const char *sentence)
{
	struct dmasan_report r;

	dmasan_report_init(&r, check, dev);
	r.sentence = sentence;
	dmasan_report_hex(&r, "device address", addr);
	dmasan_report_u64(&r, "size", len);
	dmasan_report_str(&r, "access", is_write ? "write" : "read");
	dmasan_report_emit(&r);
}

static void report_unmapped(struct device *dev, dma_addr_t addr, size_t len, bool is_write,
			    bool stale)
{
	struct san_hist h;
	struct dmasan_report r;

	if (san_history_find(dev, addr, len, &h) ||
	    (stale && san_history_find(dev, addr, 0, &h))) {
		dmasan_report_init(&r, DMASAN_CHECK_DEVICE_USE_AFTER_UNMAP, dev);
		r.sentence = stale ? "device accessed an unmapped buffer through a stale IOTLB entry"
				   : "device accessed a buffer after it was unmapped";
		dmasan_report_hex(&r, "device address", addr);
		dmasan_report_u64(&r, "size", len);
		dmasan_report_str(&r, "access", is_write ? "write" : "read");
		dmasan_report_hex(&r, "mapping device address", h.handle);
		dmasan_report_u64(&r, "mapping size", h.size);
		dmasan_report_related(&r, "unmap", "unmapped by", h.unmap_stack, h.unmap_tid);
		dmasan_report_related(&r, "map", "mapped by", h.map_stack, h.map_tid);
		dmasan_report_emit(&r);
		return;
	}
	report_access_simple(DMASAN_CHECK_DEVICE_ACCESS_UNMAPPED, dev, addr, len, is_write,
			     addr == DMA_MAPPING_ERROR
				     ? "device accessed DMA_MAPPING_ERROR: a failed mapping was given to the hardware"
				     : "device accessed a bus address no live mapping of this device covers");
}

/* Piece and CPU address of a device access inside a streaming mapping. The memory the access
 * reaches also says whether the piece bounces: an sg list bounces entry by entry. */
static struct shadow_piece *access_piece(struct san_shadow *s, dma_addr_t addr, phys_addr_t phys,
					 uintptr_t *cpu)
{
	unsigned int i;

	for (i = 0; phys != (phys_addr_t)-1 && i < s->npieces; i++) {
		struct shadow_piece *p = &s->pieces[i];

		if (phys >= p->cpu && phys < p->cpu + p->len) {
			p->slot = false;
			*cpu = phys;
			return p;
		}
	}
	for (i = 0; i < s->npieces; i++) {
		struct shadow_piece *p = &s->pieces[i];

		if (p->bus != DMA_MAPPING_ERROR && addr >= p->bus && addr < p->bus + p->len) {
			if (phys != (phys_addr_t)-1)
				p->slot = true;
			*cpu = p->cpu + (addr - p->bus);
			return p;
		}
	}
	return NULL;
}

struct access_findings {
	bool cpu_owned, wrong_dir, read_unwritten;
	uintptr_t where;
};

/* Check and carry out (on the device view) an access to [cpu, cpu + len) of p. */
static enum kdma_access_result access_lines(struct san_shadow *s, struct shadow_piece *p,
					    uintptr_t cpu, void *buf, size_t len, bool is_write,
					    struct access_findings *f)
{
	size_t l0 = line_of(s, cpu - p->lbase), l1 = line_of(s, cpu + len - 1 - p->lbase) + 1, l;
	size_t off = cpu - p->cpu;

	for (l = l0; l < l1; l++) {
		if (!(p->state[l] & LS_DEV) && !f->cpu_owned) {
			f->cpu_owned = true;
			f->where = p->lbase + l * s->line;
		}
		if (!is_write && s->dir == DMA_FROM_DEVICE && !(p->state[l] & LS_WROTE))
			f->read_unwritten = true;
		if (is_write)
			p->state[l] |= LS_WROTE;
	}
	if (p->devview && !p->slot) {
		if (is_write)
			memcpy(p->devview + off, buf, len);
		else
			memcpy(buf, p->devview + off, len);
		return KDMA_ACCESS_HANDLED;
	}
	if (is_write && p->snap && !p->slot)
		memcpy(p->snap + off, buf, len); /* the device's bytes are expected in the view */
	if (p->snap && p->track && !p->slot) {
		/* a trapped TO_DEVICE buffer (strict_reads): the device reads what the CPU held at
		 * hand-over, as through a bounce slot, and never touches the protected memory */
		if (!is_write)
			memcpy(buf, p->snap + off, len);
		return KDMA_ACCESS_HANDLED;
	}
	return KDMA_ACCESS_PROCEED;
}

static void report_access_findings(struct san_shadow *s, dma_addr_t addr, size_t len,
				   bool is_write, const struct access_findings *f)
{
	struct dmasan_report r;

	if (f->cpu_owned) {
		dmasan_report_init(&r, DMASAN_CHECK_DEVICE_ACCESS_CPU_OWNED, s->dev);
		r.sentence = "device accessed DMA memory the CPU owns (synced for the CPU, not given back)";
		dmasan_report_hex(&r, "device address", addr);
		dmasan_report_u64(&r, "size", len);
		dmasan_report_str(&r, "access", is_write ? "write" : "read");
		dmasan_report_hex(&r, "cpu line", f->where);
		dmasan_report_str(&r, "mapped with", dir_name(s->dir));
		dmasan_report_related(&r, "map", "mapped by", s->map_stack, s->handover_tid);
		dmasan_report_emit(&r);
	}
	if (f->wrong_dir || f->read_unwritten) {
		dmasan_report_init(&r, DMASAN_CHECK_DEVICE_DIRECTION_VIOLATION, s->dev);
		r.sentence = f->wrong_dir ? "device wrote into a DMA_TO_DEVICE mapping"
					  : "device read a DMA_FROM_DEVICE mapping before writing it";
		dmasan_report_hex(&r, "device address", addr);
		dmasan_report_u64(&r, "size", len);
		dmasan_report_str(&r, "access", is_write ? "write" : "read");
		dmasan_report_str(&r, "mapped with", dir_name(s->dir));
		dmasan_report_related(&r, "map", "mapped by", s->map_stack, s->handover_tid);
		dmasan_report_emit(&r);
	}
}

/* A device's transfer between its buffer and memory of its own. */
static void hw_transfer(void *mem, void *buf, size_t n, bool is_write)
{
	dmasan_hw_copy(is_write ? mem : buf, is_write ? buf : mem, n);
}

enum kdma_access_result san_shadow_device_access(struct device *dev, dma_addr_t addr,
						 phys_addr_t phys, void *buf, size_t len,
						 bool is_write, bool stale)
{
	struct access_find af = { .dev = dev };
	struct access_findings f = { 0 };
	enum kdma_access_result res = KDMA_ACCESS_PROCEED;
	struct san_shadow *s;
	struct shadow_piece *p;
	uintptr_t cpu;
	size_t done = 0;

	cpu_access_drain(NULL);
	if (!len)
		return res;
	if (!stale)
		san_table_visit_bus(dev, addr, addr + len, access_find_entry, &af);
	if (af.found && (addr < san_handle(&af.copy) ||
			 addr + len > san_handle(&af.copy) + san_size(&af.copy))) {
		report_access_simple(DMASAN_CHECK_DEVICE_ACCESS_OUT_OF_BOUNDS, dev, addr, len, is_write,
				     "device access runs past the end of its mapping");
		/* reported: the access fails rather than reach memory past the mapping */
		if (af.copy.shadow)
			shadow_put(af.copy.shadow);
		return KDMA_ACCESS_FAULT;
	}
	/* The memory the access really reaches decides which mapping's lines it touches: behind
	 * an IOMMU one merged DMA segment spans the pages of several sg entries. */
	if (!stale && phys != (phys_addr_t)-1) {
		struct access_find byphys = { .dev = dev };

		san_table_visit_phys(phys, phys + len, access_find_entry, &byphys);
		if (byphys.found) {
			if (af.copy.shadow)
				shadow_put(af.copy.shadow);
			af = byphys;
		}
	}
	if (!af.found) {
		report_unmapped(dev, addr, len, is_write, stale);
		return res;
	}
	s = af.copy.shadow;
	if (!s)
		return res; /* coherent, pool, resource: shared memory, no owner */

	/* the direction is the mapping's: checked even where the line is unknown (merged sg) */
	f.wrong_dir = is_write && s->dir == DMA_TO_DEVICE;
	pthread_mutex_lock(&s->lock);
	/* A physically contiguous access can run over several pieces (sg entries next to each
	 * other in memory, merged into one DMA segment). */
	while (done < len && (p = access_piece(s, addr + done, phys == (phys_addr_t)-1 ? phys
							  : phys + done, &cpu))) {
		size_t n = p->cpu + p->len - cpu < len - done ? p->cpu + p->len - cpu : len - done;
		enum kdma_access_result r;

		r = access_lines(s, p, cpu, (u8 *)buf + done, n, is_write, &f);
		if (!done)
			res = r;
		else if (r != res && res == KDMA_ACCESS_HANDLED && phys != (phys_addr_t)-1)
			/* this piece's memory is the device's own: do libkdma's copy here */
			hw_transfer((void *)(uintptr_t)(phys + done), (u8 *)buf + done, n,
				    is_write);
		done += n;
	}
	/* an access spilling past the pieces was reported out of bounds; the device view takes
	 * only its part (reads of the rest return zeroes) */
	if (res == KDMA_ACCESS_HANDLED && done < len && !is_write)
		memset((u8 *)buf + done, 0, len - done);
	pthread_mutex_unlock(&s->lock);
	report_access_findings(s, addr, len, is_write, &f);
	shadow_put(s);
	return res;
}

/* SWIOTLB copied between the original and its slot: the DMA layer's copy, not the driver's. */
void san_shadow_bounce(struct device *dev, phys_addr_t orig, phys_addr_t tlb, size_t size,
		       bool to_device)
{
	cpu_access_dma_layer_copied((uintptr_t)orig, (uintptr_t)orig + size);
}

/* ------------------------------------------------------------------- dumps ---- */

#include <stdio.h> /* snprintf, for san_shadow_describe only */

/* Owner ranges of e for mapping-table dumps: "cpu 0-127, device 128-2047" (byte offsets into the
 * mapping, inclusive, cut at line boundaries). Called from a table visitor, so it takes no lock
 * and allocates nothing: the entry being in the index keeps its shadow alive, and the line
 * states are read as they are at that moment (a racing hand-over may show half-way). Returns the
 * length written (0: ownership not tracked for e); a description that does not fit ends in "...". */
size_t san_shadow_describe(const struct san_entry *e, char *buf, size_t len)
{
	const struct san_shadow *s = __atomic_load_n(&e->shadow, __ATOMIC_ACQUIRE);
	size_t n = 0, base = 0, run_lo = 0, run_hi = 0;
	int run_dev = -1, k;

	if (!len)
		return 0;
	buf[0] = '\0';
	for (unsigned int i = 0; s && i < s->npieces; i++) {
		const struct shadow_piece *p = &s->pieces[i];

		for (size_t l = 0; l < p->nlines; l++) {
			uintptr_t lo, hi;
			int dev = __atomic_load_n(&p->state[l], __ATOMIC_RELAXED) & LS_DEV;

			lines_span(s, p, l, l + 1, &lo, &hi);
			lo = lo - p->cpu + base;
			hi = hi - p->cpu + base;
			if (dev == run_dev) {
				run_hi = hi;
				continue;
			}
			if (run_dev >= 0 && n < len) {
				k = snprintf(buf + n, len - n, "%s%s %zu-%zu", n ? ", " : "",
					     run_dev ? "device" : "cpu", run_lo, run_hi - 1);
				n += k > 0 ? (size_t)k : 0;
			}
			run_dev = dev;
			run_lo = lo;
			run_hi = hi;
		}
		base += p->len;
	}
	if (run_dev >= 0 && n < len) {
		k = snprintf(buf + n, len - n, "%s%s %zu-%zu", n ? ", " : "",
			     run_dev ? "device" : "cpu", run_lo, run_hi - 1);
		n += k > 0 ? (size_t)k : 0;
	}
	if (n >= len) { /* cut */
		n = len - 1;
		if (len >= 4)
			memcpy(buf + len - 4, "...", 4);
	}
	return n;
}
