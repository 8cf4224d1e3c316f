// SPDX-License-Identifier: MIT
/*
 * Reading JSON Lines (docs/report-format.md) with json-c: files or directories of *.jsonl, one
 * record per line. Bad lines are reported as FILE:LINE and skipped; nothing in the input can make
 * the reader crash or stop (json-c's tokener is iterative with a depth limit, stacks are bounded).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uthash.h>
#include "common/render.h"
#include "report.h"

#define MAX_FRAMES 1024        /* the runtime captures at most 64; more is a corrupt record */
#define MAX_WARNINGS_PER_FILE 20

struct key_entry {
	uint64_t key;
	struct finding *f;
	UT_hash_handle hh;
};

struct file_state {
	const char *path;
	unsigned long line;
	long pid;
	const char *exe;
	unsigned int warnings;
	bool open_run; /* a "run" record not yet followed by its process's "summary" */
	unsigned long records; /* lines holding a record (good or bad) */
	struct run_id *ids; /* this run's violation ids: the summary record's counts go there */
	unsigned int nids;
};

/* A violation record of the current run: its "id", the finding it was merged into and the
 * occurrences it brought (the record's "count"). */
struct run_id {
	unsigned long id;
	struct finding *f;
	unsigned long counted;
};

__attribute__((format(printf, 3, 4)))
static void bad_line(struct input *in, struct file_state *fs, const char *fmt, ...)
{
	va_list ap;

	in->bad_lines++;
	if (++fs->warnings > MAX_WARNINGS_PER_FILE)
		return;
	fprintf(stderr, "dmasan-report: %s:%lu: ", fs->path, fs->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(fs->warnings == MAX_WARNINGS_PER_FILE ? " (further bad lines of this file not shown)\n"
						    : "; line skipped\n", stderr);
}

static const char *get_str(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v) : NULL;
}

static long get_int(json_object *o, const char *k, long dflt)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_int)
		       ? (long)json_object_get_int64(v) : dflt;
}

const char *base_name(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;

	return s ? s + 1 : p;
}

static bool frame_is_internal(const struct frame *f)
{
	static const char *const libs[] = { "libdmasan", "libkdma", "libc.so", "libc-", "ld-linux" };
	static const char *const fns[] = { "_start", "__libc_start_main", "__libc_start_call_main",
					   "__libc_start_main_impl" };
	const char *m = base_name(f->module);

	for (size_t i = 0; m && i < sizeof(libs) / sizeof(libs[0]); i++)
		if (!strncmp(m, libs[i], strlen(libs[i])))
			return true;
	for (size_t i = 0; f->function && i < sizeof(fns) / sizeof(fns[0]); i++)
		if (!strcmp(f->function, fns[i]))
			return true;
	return false;
}

/* The runtime's "origin" of a frame it marked internal ("internal" absent: the driver's code, as
 * the runtime saw it; the module-name guess above is for fingerprints and SARIF only). */
static int frame_origin(const char *origin, bool marked_internal)
{
	if (!marked_internal)
		return DMASAN_ORIGIN_USER;
	if (origin && !strcmp(origin, "sanitizer"))
		return DMASAN_ORIGIN_SANITIZER;
	if (origin && !strcmp(origin, "startup"))
		return DMASAN_ORIGIN_STARTUP;
	return DMASAN_ORIGIN_KDMA;
}

/* An array of at most MAX_FRAMES elements; else *err is set to the matching message. */
static bool bounded_array(json_object *arr, size_t *n, const char *not_array, const char *too_long,
			  const char **err)
{
	if (!json_object_is_type(arr, json_type_array)) {
		*err = not_array;
		return false;
	}
	*n = json_object_array_length(arr);
	if (*n > MAX_FRAMES) {
		*err = too_long;
		return false;
	}
	return true;
}

/* Parse a JSON array of frames. Returns NULL with *err set when it is not one. */
static bool parse_stack(json_object *arr, struct stack *st, const char **err)
{
	size_t n;

	st->frames = NULL;
	st->n = 0;
	if (!arr)
		return true;
	if (!bounded_array(arr, &n, "a stack is not an array", "a stack has more than 1024 frames",
			   err))
		return false;
	st->frames = calloc(n ? n : 1, sizeof(*st->frames));
	if (!st->frames) {
		*err = "out of memory";
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *fo = json_object_array_get_idx(arr, i), *iv;
		struct frame *f = &st->frames[i];

		if (!json_object_is_type(fo, json_type_object)) {
			free(st->frames);
			st->frames = NULL;
			*err = "a frame is not an object";
			return false;
		}
		f->pc = get_str(fo, "pc");
		f->function = get_str(fo, "function");
		f->file = get_str(fo, "file");
		f->module = get_str(fo, "module");
		f->line = (int)get_int(fo, "line", 0);
		f->column = (int)get_int(fo, "column", 0);
		if (f->line < 0)
			f->line = 0;
		f->has_offset = get_str(fo, "module_offset") != NULL;
		if (f->has_offset)
			f->module_offset = strtoull(get_str(fo, "module_offset"), NULL, 0);
		if (json_object_object_get_ex(fo, "internal", &iv)) {
			f->internal = json_object_get_boolean(iv);
			f->origin = frame_origin(get_str(fo, "origin"), f->internal);
		} else {
			f->internal = frame_is_internal(f);
			f->origin = DMASAN_ORIGIN_USER;
		}
	}
	st->n = n;
	return true;
}

static void finding_free(struct finding *f)
{
	if (!f)
		return;
	free(f->stack.frames);
	for (unsigned int i = 0; i < f->nrelated; i++)
		free(f->related[i].stack.frames);
	free(f->related);
	free(f->procs);
	json_object_put(f->rec);
	free(f);
}

/* FNV-1a, 64 bit: stable across runs and machines (fingerprints are stored in baselines). */
static uint64_t fnv(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL; /* field separator */
}
#define FNV_INIT 0xcbf29ce484222325ULL

static uint64_t stack_key(const char *check, const struct stack *st)
{
	uint64_t h = fnv(FNV_INIT, check);
	char line[16];

	for (unsigned int i = 0; i < st->n; i++) {
		const struct frame *fr = &st->frames[i];

		snprintf(line, sizeof(line), "%d", fr->line);
		h = fnv(fnv(fnv(h, fr->function), fr->file), line);
		/* PCs differ between processes (ASLR); use them only when nothing else names the frame */
		h = fnv(h, fr->function || fr->file ? base_name(fr->module) : fr->pc);
	}
	return h;
}

/* check + the names of the top three user frames: no lines, no addresses, no directories. */
static uint64_t stack_fingerprint(const char *check, const struct stack *st)
{
	uint64_t h = fnv(FNV_INIT, check);
	unsigned int used = 0;
	bool any_user = stack_user_frame(st) != NULL;

	for (unsigned int i = 0; i < st->n && used < 3; i++) {
		const struct frame *fr = &st->frames[i];

		if (any_user && fr->internal)
			continue;
		h = fnv(h, fr->function ? fr->function
					: fr->file ? base_name(fr->file) : base_name(fr->module));
		used++;
	}
	return h;
}

void fingerprint_hex(uint64_t fp, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)fp);
}

static bool parse_related(json_object *arr, struct finding *f, const char **err)
{
	size_t n;

	if (!arr)
		return true;
	if (!bounded_array(arr, &n, "\"related\" is not an array", "too many related stacks", err))
		return false;
	f->related = calloc(n ? n : 1, sizeof(*f->related));
	if (!f->related)
		return false;
	for (size_t i = 0; i < n; i++) {
		json_object *ro = json_object_array_get_idx(arr, i), *st = NULL;
		struct related *r = &f->related[i];

		if (!json_object_is_type(ro, json_type_object)) {
			*err = "a related entry is not an object";
			return false;
		}
		r->what = get_str(ro, "what");
		r->title = get_str(ro, "title");
		r->tid = get_int(ro, "tid", -1);
		r->no_stack = get_int(ro, "stack_id", -1) == 0;
		json_object_object_get_ex(ro, "stack", &st);
		if (!parse_stack(st, &r->stack, err))
			return false;
		f->nrelated++;
	}
	return true;
}

static struct finding *parse_violation(json_object *rec, struct file_state *fs, const char **err)
{
	struct finding *f = calloc(1, sizeof(*f));
	json_object *v = NULL;
	const struct check_info *ci;
	const char *sev;

	if (!f) {
		*err = "out of memory";
		return NULL;
	}
	f->rec = json_object_get(rec);
	f->suppressed_by = -1;
	f->check = get_str(rec, "check");
	if (!f->check || !*f->check) {
		*err = "violation without a \"check\" string";
		goto bad;
	}
	ci = check_find(f->check);
	sev = get_str(rec, "severity");
	f->severity = ci ? ci->severity : sev && !strcmp(sev, "warning") ? SEV_WARNING : SEV_ERROR;
	f->device = get_str(rec, "device");
	f->driver = get_str(rec, "driver");
	f->message = get_str(rec, "message");
	if (!f->message)
		f->message = ci ? ci->what : f->check;
	f->headline = get_str(rec, "headline");
	f->tid = get_int(rec, "tid", -1);
	f->count = get_int(rec, "count", 1) > 0 ? (unsigned long)get_int(rec, "count", 1) : 1;
	f->runtime_supp = get_str(rec, "suppressed_by");
	if (json_object_object_get_ex(rec, "facts", &v) && json_object_is_type(v, json_type_object))
		f->facts = v;
	v = NULL;
	json_object_object_get_ex(rec, "stack", &v);
	if (!parse_stack(v, &f->stack, err))
		goto bad;
	v = NULL;
	json_object_object_get_ex(rec, "related", &v);
	if (!parse_related(v, f, err))
		goto bad;
	f->procs = malloc(sizeof(*f->procs));
	if (!f->procs)
		goto bad;
	f->procs[0] = (struct proc){ get_int(rec, "pid", fs->pid), fs->exe };
	f->nprocs = 1;
	snprintf(f->origin, sizeof(f->origin), "%s:%lu", fs->path, fs->line);
	f->key = stack_key(f->check, &f->stack);
	f->fingerprint = stack_fingerprint(f->check, &f->stack);
	return f;
bad:
	finding_free(f);
	return NULL;
}

/* Returns the finding f was merged into (f itself when it is new), NULL when out of memory. */
static struct finding *add_finding(struct input *in, struct finding *f)
{
	struct key_entry *idx = in->index, *e;
	struct finding **grown;

	HASH_FIND(hh, idx, &f->key, sizeof(f->key), e);
	if (e) {
		struct finding *old = e->f;
		struct proc p = f->procs[0];
		unsigned int i;

		old->count += f->count;
		for (i = 0; i < old->nprocs; i++)
			if (old->procs[i].pid == p.pid && (old->procs[i].exe == p.exe ||
			    (old->procs[i].exe && p.exe && !strcmp(old->procs[i].exe, p.exe))))
				break;
		if (i == old->nprocs) {
			struct proc *np = realloc(old->procs, (old->nprocs + 1) * sizeof(*np));

			if (np) {
				old->procs = np;
				old->procs[old->nprocs++] = p; /* exe lives in a run record (in->runs) */
			}
		}
		finding_free(f);
		return old;
	}
	if ((in->nfindings & (in->nfindings - 1)) == 0) { /* grow at powers of two */
		grown = realloc(in->findings, (in->nfindings ? 2 * in->nfindings : 16) * sizeof(*grown));
		if (!grown) {
			finding_free(f);
			return NULL;
		}
		in->findings = grown;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		finding_free(f);
		return NULL;
	}
	in->findings[in->nfindings++] = f;
	e->key = f->key;
	e->f = f;
	HASH_ADD(hh, idx, key, sizeof(e->key), e);
	in->index = idx;
	return f;
}

static void add_dump(struct input *in, json_object *rec, struct file_state *fs)
{
	struct dump *grown = realloc(in->dumps, (in->ndumps + 1) * sizeof(*grown));

	if (!grown)
		return;
	in->dumps = grown;
	grown[in->ndumps].rec = json_object_get(rec);
	grown[in->ndumps].proc = (struct proc){ get_int(rec, "pid", fs->pid), fs->exe };
	snprintf(grown[in->ndumps].origin, sizeof(grown->origin), "%s:%lu", fs->path, fs->line);
	in->ndumps++;
}

/* The runtime writes a "summary" record when its process exits normally; a process that was
 * killed, crashed, aborted or left with _exit() has none, and what it did last is lost. */
static void unfinished_run(struct input *in, struct file_state *fs)
{
	fs->nids = 0;
	if (!fs->open_run)
		return;
	fs->open_run = false;
	in->unfinished++;
	fprintf(stderr, "dmasan-report: %s: process %ld (%s) has no summary record: it did not exit "
		"normally (killed, crashed, aborted or _exit), its records may be incomplete\n",
		fs->path, fs->pid, fs->exe ? fs->exe : "unknown executable");
}

static void note_id(struct file_state *fs, json_object *rec, struct finding *f)
{
	long id = get_int(rec, "id", -1);
	struct run_id *grown;

	if (id < 0 || !f)
		return;
	grown = realloc(fs->ids, (fs->nids + 1) * sizeof(*grown));
	if (!grown)
		return;
	fs->ids = grown;
	fs->ids[fs->nids++] = (struct run_id){ (unsigned long)id, f,
					       (unsigned long)get_int(rec, "count", 1) };
}

/* The runtime writes a violation record at a finding's first occurrence only; its summary record
 * lists every finding's occurrences ("reports") and the occurrences its suppressions took. */
static void end_run(struct input *in, struct file_state *fs, json_object *rec)
{
	json_object *reports;
	long suppressed = get_int(rec, "suppressed", 0);

	if (suppressed > 0)
		in->runtime_suppressed += (unsigned long)suppressed;
	if (json_object_object_get_ex(rec, "reports", &reports) &&
	    json_object_is_type(reports, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(reports); i++) {
			json_object *r = json_object_array_get_idx(reports, i);
			long id = get_int(r, "id", -1), n = get_int(r, "occurrences", -1);

			for (unsigned int k = 0; n > 0 && k < fs->nids; k++) {
				struct run_id *x = &fs->ids[k];

				if (x->id != (unsigned long)id)
					continue;
				x->f->count += (unsigned long)n - x->counted;
				x->counted = (unsigned long)n;
				break;
			}
		}
	}
	fs->open_run = false;
	fs->nids = 0;
}

static void handle_record(struct input *in, struct file_state *fs, json_object *rec)
{
	const char *type = get_str(rec, "type"), *err = "malformed record";
	struct finding *f;

	if (!type) {
		bad_line(in, fs, "%s", "record without a \"type\" string");
		return;
	}
	if (!strcmp(type, "run")) {
		unfinished_run(in, fs);
		fs->open_run = true;
		/* run records live as long as the input: findings point at their exe strings */
		json_object **grown = realloc(in->runs, (in->nruns + 1) * sizeof(*grown));

		if (!grown)
			return;
		in->runs = grown;
		in->runs[in->nruns++] = json_object_get(rec);
		fs->pid = get_int(rec, "pid", -1);
		fs->exe = get_str(rec, "exe");
		in->processes++;
	} else if (!strcmp(type, "violation")) {
		f = parse_violation(rec, fs, &err);
		if (f)
			note_id(fs, rec, add_finding(in, f));
		else
			bad_line(in, fs, "%s", err);
	} else if (!strcmp(type, "dump") || !strcmp(type, "dump_objects")) {
		add_dump(in, rec, fs);
	} else if (!strcmp(type, "summary")) {
		end_run(in, fs, rec);
	}
	/* other types (module, stats, future ones) are not needed here */
}

static void read_line(struct input *in, struct file_state *fs, const char *line, size_t len)
{
	json_tokener *tok;
	json_object *rec;
	enum json_tokener_error jerr;
	size_t i;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len)
		return;
	fs->records++;
	tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	if (!tok)
		return;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	rec = json_tokener_parse_ex(tok, line, (int)(len > INT32_MAX ? INT32_MAX : len));
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_continue) {
		bad_line(in, fs, "%s", "truncated record");
	} else if (jerr != json_tokener_success) {
		bad_line(in, fs, "invalid JSON (%s)", json_tokener_error_desc(jerr));
	} else if (json_tokener_get_parse_end(tok) < len) {
		bad_line(in, fs, "%s", "trailing bytes after the record");
	} else if (!json_object_is_type(rec, json_type_object)) {
		bad_line(in, fs, "%s", "not a JSON object");
	} else {
		handle_record(in, fs, rec);
	}
	json_object_put(rec);
	json_tokener_free(tok);
}

static int read_file(struct input *in, const char *path)
{
	struct file_state fs = { .path = path, .pid = -1 };
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!fp) {
		fprintf(stderr, "dmasan-report: %s: %s\n", path, strerror(errno));
		return -1;
	}
	in->files++;
	while ((n = getline(&buf, &cap, fp)) >= 0) {
		fs.line++;
		read_line(in, &fs, buf, (size_t)n);
	}
	if (ferror(fp)) {
		fprintf(stderr, "dmasan-report: %s: read error after line %lu\n", path, fs.line);
		in->bad_lines++;
	}
	unfinished_run(in, &fs);
	if (!fs.records && !ferror(fp)) {
		/* the runtime writes the run record when it creates the file */
		fprintf(stderr, "dmasan-report: %s: no records: the process died before writing any, "
			"or this is not a dmasan file\n", path);
		in->unfinished++;
	}
	free(fs.ids);
	free(buf);
	fclose(fp);
	return 0;
}

static int not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Directories: every *.jsonl inside, recursively, in name order (stable output). */
static int read_dir(struct input *in, const char *path, unsigned int *found)
{
	struct dirent **ents;
	int n = scandir(path, &ents, not_hidden, alphasort), rc = 0;

	if (n < 0) {
		fprintf(stderr, "dmasan-report: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char sub[4096];
		size_t len = strlen(ents[i]->d_name);
		struct stat st;

		snprintf(sub, sizeof(sub), "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
			 ents[i]->d_name);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc |= read_dir(in, sub, found);
		} else if (len > 6 && !strcmp(ents[i]->d_name + len - 6, ".jsonl")) {
			(*found)++;
			rc |= read_file(in, sub);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int input_read_path(struct input *in, const char *path)
{
	struct stat st;
	unsigned int found = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "dmasan-report: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return read_file(in, path);
	if (read_dir(in, path, &found))
		return -1;
	if (!found) {
		fprintf(stderr, "dmasan-report: %s: no *.jsonl files: dmasan was not loaded in any "
				"process that wrote here (every process run under dmasan with "
				"json_path=%s/... leaves a file, even when it finds nothing)\n", path,
			path);
		in->no_evidence++;
	}
	return 0;
}

void input_free(struct input *in)
{
	struct key_entry *idx = in->index, *e, *tmp;

	HASH_ITER(hh, idx, e, tmp) {
		HASH_DEL(idx, e);
		free(e);
	}
	for (unsigned int i = 0; i < in->nfindings; i++)
		finding_free(in->findings[i]);
	for (unsigned int i = 0; i < in->ndumps; i++)
		json_object_put(in->dumps[i].rec);
	for (unsigned int i = 0; i < in->nruns; i++)
		json_object_put(in->runs[i]);
	free(in->runs);
	free(in->findings);
	free(in->dumps);
	memset(in, 0, sizeof(*in));
}

/* Baselines: only the fingerprints matter. */
struct fp_entry {
	uint64_t fp;
	UT_hash_handle hh;
};
struct fpset {
	struct fp_entry *set;
};

struct fpset *fpset_read(const char *path)
{
	struct input in = { 0 };
	struct fpset *s = calloc(1, sizeof(*s));

	if (!s || input_read_path(&in, path) || in.no_evidence) {
		input_free(&in);
		free(s);
		return NULL;
	}
	for (unsigned int i = 0; i < in.nfindings; i++) {
		struct fp_entry *e;
		uint64_t fp = in.findings[i]->fingerprint;

		HASH_FIND(hh, s->set, &fp, sizeof(fp), e);
		if (e || !(e = calloc(1, sizeof(*e))))
			continue;
		e->fp = fp;
		HASH_ADD(hh, s->set, fp, sizeof(e->fp), e);
	}
	input_free(&in);
	return s;
}

bool fpset_has(const struct fpset *s, uint64_t fp)
{
	struct fp_entry *e = NULL;

	if (s)
		HASH_FIND(hh, s->set, &fp, sizeof(fp), e);
	return e != NULL;
}

void fpset_free(struct fpset *s)
{
	struct fp_entry *e, *tmp;

	if (!s)
		return;
	HASH_ITER(hh, s->set, e, tmp) {
		HASH_DEL(s->set, e);
		free(e);
	}
	free(s);
}
