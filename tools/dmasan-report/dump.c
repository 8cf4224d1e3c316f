// SPDX-License-Identifier: MIT
/*
 * Mapping-table dumps ("dump" records, docs/report-format.md): a readable table per device, or the
 * kernel's debugfs dma-api/dump line format so kernel people can diff. A dump's fences,
 * attachments and descriptors ("dump_objects" records) are rendered by the runtime's renderer
 * (common/render_objects.c); the kernel format has no such lines.
 */
#include <stdlib.h>
#include <string.h>
#include "common/names.h"
#include "common/render.h"
#include "common/render_objects.h"
#include "report.h"

#define NCOLS 10

static const char *str_of(json_object *o, const char *k)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, k, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

/* Addresses are "0x..." strings (JSON numbers lose precision above 2^53); accept numbers too. */
static unsigned long long num_of(json_object *o, const char *k)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, k, &v))
		return 0;
	if (json_object_is_type(v, json_type_string))
		return strtoull(json_object_get_string(v), NULL, 0);
	if (json_object_is_type(v, json_type_int))
		return (unsigned long long)json_object_get_int64(v);
	if (json_object_is_type(v, json_type_double))
		return (unsigned long long)json_object_get_double(v);
	return 0;
}

static json_object *obj_of(json_object *o, const char *k, enum json_type t)
{
	json_object *v;

	return o && json_object_object_get_ex(o, k, &v) && json_object_is_type(v, t) ? v : NULL;
}

/* Our type identifier as kernel/dma/debug.c names it; an identifier we do not know as is. */
static const char *kernel_type(const char *t)
{
	int type = dmasan_type_from_name(t);

	return type >= 0 || !t ? dmasan_type_kernel(type) : t;
}

/* debugfs: "<driver> <dev> <type> idx <bucket> P=%pa D=%llx L=%llx cln=%pa <DIR> <maperr>" */
static void dump_kernel(FILE *o, json_object *rec)
{
	json_object *entries = obj_of(rec, "entries", json_type_array);
	const char *dev = str_of(rec, "device"), *drv = str_of(rec, "driver");
	char storage[4096];
	struct dmasan_buf b = DMASAN_BUF_FILE(o, storage);

	for (size_t i = 0; entries && i < json_object_array_length(entries); i++) {
		json_object *e = json_object_array_get_idx(entries, i);
		unsigned long long handle = num_of(e, "handle"), phys = num_of(e, "phys_addr");
		const char *d = str_of(e, "direction");

		if (!json_object_is_type(e, json_type_object))
			continue;
		dmasan_render_kernel_dump_line(&b, drv ? drv : "?", dev ? dev : "?",
					       kernel_type(str_of(e, "type")), handle, phys,
					       num_of(e, "size"), d ? d : "DMA_NONE",
					       dmasan_maperr_kernel(dmasan_maperr_from_name(
						       str_of(e, "map_error"))));
	}
	dmasan_buf_flush(&b);
}

static void owners(char *buf, size_t n, json_object *e)
{
	json_object *r = obj_of(e, "owner_ranges", json_type_array);
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; r && i < json_object_array_length(r) && off < n; i++) {
		json_object *x = json_object_array_get_idx(r, i);
		unsigned long long start = num_of(x, "offset");
		const char *who = str_of(x, "owner");

		off += snprintf(buf + off, n - off, "%s%s[%llu,%llu)", i ? " " : "", who ? who : "?",
				start, start + num_of(x, "size"));
	}
	if (!buf[0])
		snprintf(buf, n, "-");
}

static void age(char *buf, size_t n, json_object *e)
{
	json_object *v;
	double ms;

	if (!json_object_object_get_ex(e, "age", &v) || json_object_is_type(v, json_type_null)) {
		snprintf(buf, n, "?");
		return;
	}
	ms = json_object_get_double(v);
	if (ms < 1000)
		snprintf(buf, n, "%.0fms", ms);
	else
		snprintf(buf, n, "%.1fs", ms / 1000);
}

static void mapped_at(char *buf, size_t n, json_object *e)
{
	json_object *st = obj_of(e, "stack", json_type_array);
	struct stack s = { 0 };
	struct frame fr[64];

	buf[0] = '\0';
	for (size_t i = 0; st && i < json_object_array_length(st) && i < 64; i++) {
		json_object *fo = json_object_array_get_idx(st, i);
		const char *mod = str_of(fo, "module");

		fr[i] = (struct frame){ .pc = str_of(fo, "pc"), .function = str_of(fo, "function"),
					.file = str_of(fo, "file"), .module = mod,
					.line = (int)num_of(fo, "line") };
		fr[i].internal = mod && (strstr(base_name(mod), "libkdma") ||
					 strstr(base_name(mod), "libdmasan"));
		s.n++;
	}
	s.frames = fr;
	const struct frame *u = stack_user_frame(&s);

	if (!u)
		return;
	if (u->file && u->line > 0)
		snprintf(buf, n, "%s %s:%d", u->function ? u->function : "??", strip_prefix(u->file),
			 u->line);
	else
		snprintf(buf, n, "%s (%s)", u->function ? u->function : u->pc ? u->pc : "??",
			 u->module ? base_name(u->module) : "?");
}

static const char *maperr_short(const char *m)
{
	if (m && !strcmp(m, "checked"))
		return "checked";
	if (m && !strcmp(m, "not_checked"))
		return "NOT checked";
	return "n/a";
}

static void dump_table(FILE *o, const struct dump *d)
{
	static const char *const head[NCOLS] = { "TYPE", "HANDLE", "SIZE", "DIR", "MAP ERROR",
						 "CPU ADDR", "PHYS ADDR", "AGE", "THREAD", "OWNERS" };
	json_object *rec = d->rec, *entries = obj_of(rec, "entries", json_type_array);
	json_object *totals = obj_of(rec, "totals", json_type_object);
	json_object *swiotlb = obj_of(rec, "swiotlb", json_type_object);
	json_object *iova = obj_of(rec, "iova", json_type_object);
	size_t n = entries ? json_object_array_length(entries) : 0;
	const char *dev = str_of(rec, "device"), *drv = str_of(rec, "driver");
	const char *reason = str_of(rec, "reason"), *when = str_of(rec, "time");
	char (*cells)[NCOLS][64] = calloc(n + 1, sizeof(*cells)), (*where)[256] = calloc(n + 1, 256);
	size_t w[NCOLS];

	fprintf(o, "=== dmasan mapping table dump #%llu (%s) of pid %ld %s%s%s\n",
		num_of(rec, "dump_id"), reason ? reason : "request", d->proc.pid,
		d->proc.exe ? d->proc.exe : "?", when ? " at " : "", when ? when : "");
	fprintf(o, "device %s (driver %s): %llu live entr%s, %llu bytes\n", dev ? dev : "?",
		drv ? drv : "?", totals ? num_of(totals, "entries") : (unsigned long long)n,
		(totals ? num_of(totals, "entries") : n) == 1 ? "y" : "ies",
		totals ? num_of(totals, "bytes") : 0ULL);
	if (!cells || !where) {
		free(cells);
		free(where);
		return;
	}
	for (int c = 0; c < NCOLS; c++)
		w[c] = strlen(head[c]);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(entries, i);
		const char *t = str_of(e, "type"), *dir = str_of(e, "direction");

		snprintf(cells[i][0], 64, "%s", t ? t : "?");
		snprintf(cells[i][1], 64, "0x%016llx", num_of(e, "handle"));
		snprintf(cells[i][2], 64, "%llu", num_of(e, "size"));
		snprintf(cells[i][3], 64, "%s", dir ? dir : "?");
		snprintf(cells[i][4], 64, "%s", maperr_short(str_of(e, "map_error")));
		snprintf(cells[i][5], 64, "0x%016llx", num_of(e, "cpu_addr"));
		snprintf(cells[i][6], 64, "0x%016llx", num_of(e, "phys_addr"));
		age(cells[i][7], 64, e);
		snprintf(cells[i][8], 64, "T%llu", num_of(e, "thread"));
		owners(cells[i][9], 64, e);
		mapped_at(where[i], 256, e);
		for (int c = 0; c < NCOLS; c++)
			if (strlen(cells[i][c]) > w[c])
				w[c] = strlen(cells[i][c]);
	}
	if (n) {
		fputs(" ", o);
		for (int c = 0; c < NCOLS - 1; c++)
			fprintf(o, " %-*s", (int)w[c], head[c]);
		fprintf(o, " %s\n", head[NCOLS - 1]);
		for (size_t i = 0; i < n; i++) {
			fputs(" ", o);
			for (int c = 0; c < NCOLS - 1; c++)
				fprintf(o, " %-*s", (int)w[c], cells[i][c]);
			fprintf(o, " %s\n", cells[i][NCOLS - 1]);
			if (where[i][0])
				fprintf(o, "    mapped at %s\n", where[i]);
		}
	}
	if (swiotlb)
		fprintf(o, "  swiotlb: %llu of %llu slots used (high water %llu)\n",
			num_of(swiotlb, "used"), num_of(swiotlb, "total"), num_of(swiotlb, "high_water"));
	else
		fputs("  swiotlb: not used by this device\n", o);
	if (iova)
		fprintf(o, "  iova: %llu of %llu bytes used (high water %llu)\n", num_of(iova, "used"),
			num_of(iova, "total"), num_of(iova, "high_water"));
	else
		fputs("  iova: no IOMMU domain\n", o);
	fputc('\n', o);
	free(cells);
	free(where);
}

static void dump_objects(FILE *o, json_object *rec)
{
	json_object *fences = obj_of(rec, "fences", json_type_array);
	json_object *atts = obj_of(rec, "attachments", json_type_array);
	json_object *descs = obj_of(rec, "descriptors", json_type_array);
	size_t nf = fences ? json_object_array_length(fences) : 0;
	size_t na = atts ? json_object_array_length(atts) : 0;
	size_t nd = descs ? json_object_array_length(descs) : 0;
	char storage[4096];
	struct dmasan_buf b = DMASAN_BUF_FILE(o, storage);

	dmasan_render_objects_head(&b, num_of(rec, "dump_id"), nf, na, nd);
	for (size_t i = 0; i < nf; i++) {
		json_object *f = json_object_array_get_idx(fences, i), *sig;
		struct dmasan_rfence r = {
			.addr = num_of(f, "fence"), .context = num_of(f, "context"),
			.seqno = num_of(f, "seqno"), .driver = str_of(f, "driver"),
			.timeline = str_of(f, "timeline"), .refs = (long long)num_of(f, "references"),
			.pending_cbs = num_of(f, "pending_callbacks"),
		};

		r.signalled = json_object_object_get_ex(f, "signalled", &sig) &&
			      json_object_get_boolean(sig);
		dmasan_render_fence_row(&b, &r);
	}
	for (size_t i = 0; i < na; i++) {
		json_object *a = json_object_array_get_idx(atts, i);
		struct dmasan_rattach r = {
			.dmabuf = num_of(a, "dmabuf"), .attach = num_of(a, "attachment"),
			.exporter = str_of(a, "exporter"), .importer = str_of(a, "importer"),
			.mapped = num_of(a, "mapped"),
		};

		dmasan_render_attach_row(&b, &r);
	}
	for (size_t i = 0; i < nd; i++) {
		json_object *d = json_object_array_get_idx(descs, i);
		struct dmasan_rdesc r = {
			.desc = num_of(d, "descriptor"), .addr = num_of(d, "device_address"),
			.size = num_of(d, "size"), .device = str_of(d, "device"),
			.state = str_of(d, "state"), .cookie = (long long)num_of(d, "cookie"),
		};

		dmasan_render_desc_row(&b, &r);
	}
	dmasan_buf_putc(&b, '\n');
	dmasan_buf_flush(&b);
}

static bool is_objects(json_object *rec)
{
	const char *t = str_of(rec, "type");

	return t && !strcmp(t, "dump_objects");
}

void write_dump(FILE *o, const struct input *in, const struct out_opts *opt)
{
	if (!in->ndumps && opt->dump_format == DUMP_TABLE)
		fputs("no dump records in the input (dumps come from dmasan_dump_mappings(), "
		      "dump_signal=N, dump_at_exit=1 or dump_on_error=1)\n", o);
	for (unsigned int i = 0; i < in->ndumps; i++) {
		if (is_objects(in->dumps[i].rec)) {
			if (opt->dump_format != DUMP_KERNEL)
				dump_objects(o, in->dumps[i].rec);
			continue;
		}
		if (opt->dump_format == DUMP_KERNEL)
			dump_kernel(o, in->dumps[i].rec);
		else
			dump_table(o, &in->dumps[i]);
	}
}
