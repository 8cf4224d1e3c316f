// SPDX-License-Identifier: MIT
/*
 * Mapping-table dumps (dump.h). The table's visitors run under a shard lock, so the walk only
 * copies entries (and the owner summary, which must be read while the entry pins its shadow)
 * into an mmap'd array; sorting, filtering, symbolising and writing happen afterwards with no
 * table lock held. Each device's text and JSON are built in one buffer sized beforehand and
 * written with one write(2), so a report written by another thread cannot land inside a record.
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <dmasan/sim.h>
#include <linux/device.h>

#include "rt/fork.h"
#include "common/names.h"
#include "common/render.h"
#include "report/dump.h"
#include "report/dump_objects.h"
#include "rt/guard.h"
#include "report/log.h"
#include "rt/options.h"
#include "ownership/ownership_hooks.h"
#include "rt/runtime.h"
#include "table/table.h"
#include "rt/services.h"

#define MAX_FRAMES 64
#define NAME_LEN 48
#define OWNERS_LEN 320

struct dump_row {
	struct san_entry e;             /* copy, taken under the shard lock */
	char name[NAME_LEN], driver[NAME_LEN];
	char owners[OWNERS_LEN];        /* san_shadow_describe(), "" when not tracked */
};

struct collect {
	struct dump_row *rows;
	size_t n, cap, missed;
};

static pthread_mutex_t dump_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int dump_seq;
static __thread bool in_dump __attribute__((tls_model("initial-exec")));

_Static_assert(DMASAN_NTYPES == KDMA_TYPE__COUNT, "names.c has a name for every mapping type");
_Static_assert(DMASAN_NMAPERR == SAN_MAPERR_CHECKED + 1, "names.c has every map-error state");

static const char *const reason_names[] = { "request", "signal", "exit", "error", "destroy" };

static const char *type_name(const struct san_entry *e)
{
	return dmasan_type_name(e->type);
}

static const char *dir_name(const struct san_entry *e)
{
	return dmasan_dir_name(e->dir);
}

/* The CPU address of the start: the driver's pointer, else the memory behind it (phys == virt in
 * this process); 0 for resources (MMIO has no CPU memory here). */
static u64 cpu_of(const struct san_entry *e)
{
	if (e->cpu_addr)
		return (uintptr_t)e->cpu_addr;
	return e->phys.end > e->phys.start ? e->phys.start : 0;
}

/* ------------------------------------------------------------------ collecting ---- */

static void *map_zero(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void copy_name(char *dst, const char *src)
{
	size_t n = src ? strnlen(src, NAME_LEN - 1) : 0;

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

/* Table visitor (shard lock held): copy, nothing else. */
static bool collect_one(struct san_entry *e, void *arg)
{
	struct collect *c = arg;
	struct dump_row *r;

	if (c->n == c->cap) {
		c->missed++;
		return false;
	}
	r = &c->rows[c->n++];
	san_entry_snapshot(&r->e, e);
	copy_name(r->name, dev_name(e->dev));
	copy_name(r->driver, dev_driver_string(e->dev));
	r->owners[0] = '\0';
	san_shadow_describe(e, r->owners, sizeof(r->owners));
	return false;
}

/* Copies of the live entries (of dev, or all); entries mapped during the walk may be missed, so
 * the walk is retried with room for them a few times. */
static void collect(struct collect *c, const struct device *dev)
{
	struct san_table_stats st;

	for (int attempt = 0; attempt < 4; attempt++) {
		san_table_stats(&st);
		c->cap = st.live + st.live / 4 + 64;
		c->n = c->missed = 0;
		c->rows = map_zero(c->cap * sizeof(*c->rows));
		if (!c->rows) {
			c->cap = 0;
			return;
		}
		san_table_visit_all((struct device *)dev, collect_one, c);
		if (!c->missed)
			return;
		munmap(c->rows, c->cap * sizeof(*c->rows));
	}
	/* still racing with a mapping storm: keep the last, partial walk */
	san_table_visit_all((struct device *)dev, collect_one, c);
}

static bool row_selected(const struct dump_row *r, const char *filter)
{
	if (!filter || !*filter)
		return true;
	return !fnmatch(filter, r->name, 0) || !fnmatch(filter, r->driver, 0);
}

/* Devices grouped (by name, then pointer), each oldest first. */
static int row_cmp(const void *a, const void *b)
{
	const struct dump_row *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->e.dev != y->e.dev)
		return (uintptr_t)x->e.dev < (uintptr_t)y->e.dev ? -1 : 1;
	return x->e.seq < y->e.seq ? -1 : x->e.seq > y->e.seq;
}

/* ------------------------------------------------------------------ output ---- */

/* A buffer big enough for one record, written with one write(2). */
struct out {
	struct dmasan_buf b;
	size_t map_len;
};

static bool out_open(struct out *o, int fd, size_t bound)
{
	o->map_len = (bound + 4095) & ~(size_t)4095;
	o->b = (struct dmasan_buf){ -1, 0, bound, map_zero(o->map_len), NULL, 0 };
	if (!o->b.data)
		return false;
	o->b.fd = fd;
	return true;
}

static void out_close(struct out *o)
{
	dmasan_buf_flush(&o->b);
	munmap(o->b.data, o->map_len);
}

/* What a string can grow to in JSON (\u00XX escapes) plus room for the member around it. */
static size_t str_bound(const char *s)
{
	return 64 + 6 * (s ? strlen(s) : 0);
}

static size_t frames_bound(const struct dmasan_frame *f, unsigned int n)
{
	size_t sum = 64;

	for (unsigned int i = 0; i < n; i++)
		sum += 192 + str_bound(f[i].function) + str_bound(f[i].file) +
		       str_bound(f[i].module);
	return sum;
}

struct device_group {
	struct dump_row *rows;
	size_t n;
	u64 bytes;
	unsigned long by_type[KDMA_TYPE__COUNT];
	struct dmasim_stats st;
	bool have_st;
	u64 now_ns;                     /* when the dump started: ages are measured from it */
};

/* Microseconds since e was mapped (0 if it has no timestamp). */
static u64 age_us(const struct device_group *g, const struct san_entry *e)
{
	return e->map_ns && g->now_ns > e->map_ns ? (g->now_ns - e->map_ns) / 1000 : 0;
}

static void group_stats(struct device_group *g)
{
	memset(g->by_type, 0, sizeof(g->by_type));
	g->bytes = 0;
	for (size_t i = 0; i < g->n; i++) {
		g->bytes += san_size(&g->rows[i].e);
		if (g->rows[i].e.type < KDMA_TYPE__COUNT)
			g->by_type[g->rows[i].e.type]++;
	}
	int (*stats)(struct device *, struct dmasim_stats *) = SAN_KDMA(sim_stats);

	g->have_st = stats && !stats(g->rows[0].e.dev, &g->st);
}

/* Upper bound of a group's text or JSON: fixed parts, names, owners and the symbolised stacks. */
static size_t group_bound(const struct device_group *g, const char *filter)
{
	struct dmasan_frame f[MAX_FRAMES];
	size_t sum = 4096 + str_bound(g->rows[0].name) + str_bound(g->rows[0].driver) +
		     str_bound(filter);

	for (size_t i = 0; i < g->n; i++) {
		unsigned int k = dmasan_report_symbolize(g->rows[i].e.map_stack, f, MAX_FRAMES);

		sum += 1024 + 8 * strlen(g->rows[i].owners) + frames_bound(f, k);
	}
	return sum;
}

static void put_totals_text(struct dmasan_buf *b, const struct device_group *g)
{
	const char *sep = " (";

	dmasan_buf_printf(b, "device %s (driver %s): %zu live entr%s, %llu bytes", g->rows[0].name,
			  g->rows[0].driver, g->n, g->n == 1 ? "y" : "ies",
			  (unsigned long long)g->bytes);
	for (unsigned int t = 0; t < KDMA_TYPE__COUNT; t++) {
		if (!g->by_type[t])
			continue;
		dmasan_buf_printf(b, "%s%s %lu", sep, dmasan_type_name((int)t), g->by_type[t]);
		sep = ", ";
	}
	dmasan_buf_puts(b, *sep == ',' ? ")\n" : "\n");
}

/* SWIOTLB or IOVA use: "  swiotlb: 2 of 32768 slots used (high water 6)" / {"used":..} or null */
static void put_use_text(struct dmasan_buf *b, const char *what, const char *unit, bool present,
			 unsigned long long used, unsigned long long total, unsigned long long high,
			 const char *absent)
{
	if (present)
		dmasan_buf_printf(b, "  %s: %llu of %llu %s used (high water %llu)\n", what, used,
				  total, unit, high);
	else
		dmasan_buf_printf(b, "  %s: %s\n", what, absent);
}

static void put_use_json(struct dmasan_buf *b, const char *what, bool present,
			 unsigned long long used, unsigned long long total, unsigned long long high)
{
	if (present)
		dmasan_buf_printf(b, ",\"%s\":{\"used\":%llu,\"total\":%llu,\"high_water\":%llu}",
				  what, used, total, high);
	else
		dmasan_buf_printf(b, ",\"%s\":null", what);
}

static void put_pools_text(struct dmasan_buf *b, const struct device_group *g)
{
	put_use_text(b, "swiotlb", "slots", g->have_st && g->st.swiotlb, g->st.swiotlb_used,
		     g->st.swiotlb_total, g->st.swiotlb_high_water, "not used by this device");
	put_use_text(b, "iova", "bytes", g->have_st && g->st.iommu, g->st.iova_used,
		     g->st.iova_total, g->st.iova_high_water, "no IOMMU domain");
}

/* Stacks already printed in this device's table (a ring of 256 buffers has one map site): an
 * open-addressing set of stack ids with the first entry that showed each. */
struct stacks_seen {
	struct { dmasan_stack_id id; u64 seq; } *slot;
	size_t mask, map_len;
};

static void seen_init(struct stacks_seen *s, size_t n)
{
	size_t size = 16;

	while (size < 2 * n)
		size *= 2;
	s->map_len = size * sizeof(*s->slot);
	s->slot = map_zero(s->map_len);
	s->mask = size - 1;
}

/* The seq of the first entry with this stack, or 0 (and remember e) if it is the first. */
static u64 seen_before(struct stacks_seen *s, const struct san_entry *e)
{
	if (!s->slot || !e->map_stack)
		return 0;
	for (size_t i = (e->map_stack * 0x9e3779b1u) & s->mask;; i = (i + 1) & s->mask) {
		if (!s->slot[i].id) {
			s->slot[i].id = e->map_stack;
			s->slot[i].seq = e->seq;
			return 0;
		}
		if (s->slot[i].id == e->map_stack)
			return s->slot[i].seq;
	}
}

static void group_table(struct dmasan_buf *b, const struct device_group *g)
{
	struct dmasan_frame f[MAX_FRAMES];
	struct stacks_seen seen;

	seen_init(&seen, g->n);
	put_totals_text(b, g);
	dmasan_buf_printf(b, "  %-13s %-18s %8s %-17s %-14s %-18s %-18s %6s %8s %-6s %s\n", "TYPE",
			  "HANDLE", "SIZE", "DIR", "MAP ERROR", "CPU ADDR", "PHYS ADDR", "SEQ", "AGE",
			  "THREAD", "OWNERS");
	for (size_t i = 0; i < g->n; i++) {
		const struct dump_row *r = &g->rows[i];
		const struct san_entry *e = &r->e;
		unsigned int k;
		u64 first;

		dmasan_buf_printf(b, "  %-13s 0x%016llx %8llu %-17s %-14s 0x%016llx 0x%016llx %6llu %7.1fs T%-5u %s\n",
				  type_name(e), (unsigned long long)san_handle(e),
				  (unsigned long long)san_size(e), dir_name(e),
				  dmasan_maperr_name(e->map_err), (unsigned long long)cpu_of(e),
				  (unsigned long long)e->phys.start, (unsigned long long)e->seq,
				  age_us(g, e) / 1e6, e->tid, r->owners[0] ? r->owners : "-");
		first = seen_before(&seen, e);
		if (first) {
			dmasan_buf_printf(b, "    mapped by thread T%u at the same place as seq %llu\n",
					  e->tid, (unsigned long long)first);
			continue;
		}
		k = dmasan_report_symbolize(e->map_stack, f, MAX_FRAMES);
		dmasan_buf_printf(b, "    mapped by thread T%u here:\n", e->tid);
		dmasan_report_text_stack(b, f, k);
	}
	put_pools_text(b, g);
	if (seen.slot)
		munmap(seen.slot, seen.map_len);
}

/* kernel/dma/debug.c dump_show() */
static void group_kernel(struct dmasan_buf *b, const struct device_group *g)
{
	for (size_t i = 0; i < g->n; i++) {
		const struct san_entry *e = &g->rows[i].e;

		dmasan_render_kernel_dump_line(b, g->rows[i].driver, g->rows[i].name,
					       dmasan_type_kernel(e->type), san_handle(e),
					       e->phys.start, san_size(e), dir_name(e),
					       dmasan_maperr_kernel(e->map_err));
	}
}

/* "cpu 0-127, device 128-2047" → [{"offset":0,"size":128,"owner":"cpu"},...]; a range cut by
 * san_shadow_describe ("..." at the end) is left out. */
static void put_owner_ranges(struct dmasan_buf *b, const char *s)
{
	unsigned long long lo, hi;
	char who[8];
	int used;
	bool first = true;

	dmasan_buf_putc(b, '[');
	while (sscanf(s, " %7[a-z] %llu-%llu%n", who, &lo, &hi, &used) == 3 &&
	       (s[used] == ',' || !s[used]) && hi >= lo) {
		dmasan_buf_printf(b, "%s{\"offset\":%llu,\"size\":%llu,\"owner\":\"%s\"}",
				  first ? "" : ",", lo, hi - lo + 1, who);
		first = false;
		s += used;
		if (!*s++)
			break;
	}
	dmasan_buf_putc(b, ']');
}

static void put_json_entry(struct dmasan_buf *b, const struct device_group *g,
			   const struct dump_row *r)
{
	const struct san_entry *e = &r->e;
	struct dmasan_frame f[MAX_FRAMES];
	unsigned int k = dmasan_report_symbolize(e->map_stack, f, MAX_FRAMES);

	dmasan_buf_printf(b, "{\"type\":\"%s\",\"handle\":\"0x%016llx\",\"size\":%llu,", type_name(e),
			  (unsigned long long)san_handle(e), (unsigned long long)san_size(e));
	if (cpu_of(e))
		dmasan_buf_printf(b, "\"cpu_addr\":\"0x%016llx\",", (unsigned long long)cpu_of(e));
	dmasan_buf_printf(b, "\"phys_addr\":\"0x%016llx\",\"direction\":\"%s\",\"map_error\":\"%s\",",
			  (unsigned long long)e->phys.start, dir_name(e), dmasan_maperr_name(e->map_err));
	if (e->flags & (SAN_E_BOUNCED | SAN_E_IOMMU))
		dmasan_buf_printf(b, "\"bounced\":%s,\"iommu\":%s,",
				  e->flags & SAN_E_BOUNCED ? "true" : "false",
				  e->flags & SAN_E_IOMMU ? "true" : "false");
	dmasan_buf_puts(b, "\"owner_ranges\":");
	put_owner_ranges(b, r->owners);
	dmasan_buf_printf(b, ",\"age\":%llu.%03llu,\"seq\":%llu,\"thread\":%u,\"stack_id\":%u,"
			  "\"stack\":", (unsigned long long)(age_us(g, e) / 1000),
			  (unsigned long long)(age_us(g, e) % 1000), (unsigned long long)e->seq,
			  e->tid, e->map_stack);
	dmasan_report_json_stack(b, f, k);
	dmasan_buf_putc(b, '}');
}

struct dump_ctx {
	const struct san_dump_request *req;
	unsigned int id;
	char time[64];
	u64 now_ns;
};

static void group_json(struct dmasan_buf *b, const struct device_group *g, const struct dump_ctx *c)
{
	bool first = true;

	dmasan_buf_printf(b, "{\"type\":\"dump\",\"dump_id\":%u,\"reason\":\"%s\",\"time\":\"%s\","
			  "\"pid\":%d,\"device\":\"", c->id, reason_names[c->req->why], c->time,
			  (int)getpid());
	dmasan_buf_json_str(b, g->rows[0].name);
	dmasan_buf_puts(b, "\",\"driver\":\"");
	dmasan_buf_json_str(b, g->rows[0].driver);
	dmasan_buf_putc(b, '"');
	if (c->req->filter && *c->req->filter) {
		dmasan_buf_puts(b, ",\"filter\":\"");
		dmasan_buf_json_str(b, c->req->filter);
		dmasan_buf_putc(b, '"');
	}
	dmasan_buf_puts(b, ",\"entries\":[");
	for (size_t i = 0; i < g->n; i++) {
		if (i)
			dmasan_buf_putc(b, ',');
		put_json_entry(b, g, &g->rows[i]);
	}
	dmasan_buf_printf(b, "],\"totals\":{\"entries\":%zu,\"bytes\":%llu,\"by_type\":{", g->n,
			  (unsigned long long)g->bytes);
	for (unsigned int t = 0; t < KDMA_TYPE__COUNT; t++) {
		if (!g->by_type[t])
			continue;
		dmasan_buf_printf(b, "%s\"%s\":%lu", first ? "" : ",", dmasan_type_name((int)t), g->by_type[t]);
		first = false;
	}
	dmasan_buf_puts(b, "}}");
	put_use_json(b, "swiotlb", g->have_st && g->st.swiotlb, g->st.swiotlb_used,
		     g->st.swiotlb_total, g->st.swiotlb_high_water);
	put_use_json(b, "iova", g->have_st && g->st.iommu, g->st.iova_used, g->st.iova_total,
		     g->st.iova_high_water);
	dmasan_buf_puts(b, "}\n");
}

static void write_group(struct device_group *g, const struct dump_ctx *c)
{
	const struct san_dump_request *req = c->req;
	size_t bound = group_bound(g, req->filter);
	struct out o;

	group_stats(g);
	if (req->text_fd >= 0 && out_open(&o, req->text_fd, bound)) {
		if (req->format == SAN_DUMP_KERNEL)
			group_kernel(&o.b, g);
		else
			group_table(&o.b, g);
		dmasan_log_flush(&o.b);
		out_close(&o);
	}
	if (req->json_fd >= 0 && !dmasan_json_failed_fd(req->json_fd) &&
	    out_open(&o, req->json_fd, bound)) {
		group_json(&o.b, g, c);
		dmasan_buf_flush(&o.b);
		dmasan_json_written(&o.b);
		out_close(&o);
	}
}

static void iso_time(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void text_line(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_line(int fd, const char *fmt, ...)
{
	char storage[512];
	struct dmasan_buf b = DMASAN_BUF_INIT(fd, storage);
	va_list ap;

	if (fd < 0)
		return;
	dmasan_buf_printf(&b, "==%d==DMASanitizer: ", (int)getpid());
	va_start(ap, fmt);
	dmasan_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	dmasan_log_flush(&b);
}

/* Selected rows to the front, sorted; returns how many and the number of devices. */
static size_t select_rows(struct collect *c, const char *filter, size_t *ndev)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		if (row_selected(&c->rows[i], filter))
			c->rows[n++] = c->rows[i];
	qsort(c->rows, n, sizeof(c->rows[0]), row_cmp);
	*ndev = 0;
	for (size_t i = 0; i < n; i++)
		if (!i || c->rows[i].e.dev != c->rows[i - 1].e.dev)
			(*ndev)++;
	return n;
}

static void run_dump(const struct dump_ctx *c)
{
	const struct san_dump_request *req = c->req;
	struct collect col = { 0 };
	size_t n, ndev;
	char what[NAME_LEN + 64] = "";

	collect(&col, req->dev);
	n = select_rows(&col, req->filter, &ndev);
	if (req->filter && *req->filter)
		snprintf(what, sizeof(what), ", filter '%.*s'", NAME_LEN, req->filter);
	else if (req->dev)
		snprintf(what, sizeof(what), ", device %s", dev_name(req->dev));
	text_line(req->text_fd, "mapping table dump #%u (%s%s): %zu live entr%s on %zu device%s%s\n",
		  c->id, reason_names[req->why], what, n, n == 1 ? "y" : "ies", ndev,
		  ndev == 1 ? "" : "s",
		  req->format == SAN_DUMP_KERNEL ? " (kernel dma-api/dump format)" : "");
	if (col.missed)
		text_line(req->text_fd, "dump #%u: %zu entries mapped during the dump are not shown\n",
			  c->id, col.missed);
	for (size_t i = 0; i < n;) {
		struct device_group g = { .rows = &col.rows[i], .now_ns = c->now_ns };

		while (i + g.n < n && col.rows[i + g.n].e.dev == g.rows[0].e.dev)
			g.n++;
		write_group(&g, c);
		i += g.n;
	}
	{
		struct san_dump_objects_req oreq = {
			.filter = req->dev ? dev_name(req->dev) : req->filter, .id = c->id,
			.reason = reason_names[req->why], .time = c->time,
			.text_fd = req->format == SAN_DUMP_KERNEL ? -1 : req->text_fd,
			.json_fd = req->json_fd,
		};

		san_dump_objects(&oreq);
	}
	text_line(req->text_fd, "end of mapping table dump #%u\n", c->id);
	if (col.rows)
		munmap(col.rows, col.cap * sizeof(*col.rows));
}

void san_dump_wait(void)
{
	if (in_dump)
		return;
	pthread_mutex_lock(&dump_lock);
	pthread_mutex_unlock(&dump_lock);
}

/* A fork waits for a running dump (rt/fork.c). */
void san_dump_fork_lock(void)
{
	pthread_mutex_lock(&dump_lock);
}

void san_dump_fork_unlock(bool child)
{
	pthread_mutex_unlock(&dump_lock);
}

unsigned int san_dump(const struct san_dump_request *req)
{
	struct dump_ctx c = { .req = req };
	bool entered;

	if (in_dump)
		return 0; /* a report raised while dumping (dump_on_error) */
	entered = san_enter(); /* our own allocations (symboliser) stay invisible */
	in_dump = true;
	pthread_mutex_lock(&dump_lock);
	c.id = ++dump_seq;
	iso_time(c.time, sizeof(c.time));
	c.now_ns = san_now_ns();
	run_dump(&c);
	pthread_mutex_unlock(&dump_lock);
	in_dump = false;
	if (entered)
		san_leave();
	return c.id;
}

/* The runtime's dump callback: the report log and the JSON Lines file. */
static void dump_for_runtime(const char *filter, const struct device *dev,
			     enum dmasan_dump_reason why)
{
	struct san_dump_request req = {
		.filter = filter, .dev = dev, .why = why, .format = dmasan_opts.dump_format,
		.text_fd = dmasan_log_fd(), .json_fd = dmasan_json_fd(),
	};

	san_dump(&req);
}

__attribute__((constructor)) static void dump_register(void)
{
	dmasan_set_dump_reason_callback(dump_for_runtime);
}
