/* SPDX-License-Identifier: MIT */
/*
 * Writes docs/options.md from the option tables (src/san/rt/options.inc: DMASAN_OPTIONS,
 * src/kdma/base/options.inc: KDMA_OPTIONS) and the check catalogue (per-check enables), so the doc
 * cannot drift from the code.
 *
 *   gen_options_doc -o docs/options.md      regenerate
 *   gen_options_doc --check docs/options.md exit 1 if the file differs (a CTest test)
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *out;
static size_t out_len, out_cap;

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(out + out_len, out_cap - out_len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < out_cap - out_len)
			break;
		out_cap = out_cap * 2 + (size_t)n + 4096;
		out = realloc(out, out_cap);
		if (!out)
			exit(2);
	}
	out_len += (size_t)n;
}

/* Table cell text: '|' would end the cell and '<' start an HTML tag. */
static void cell(const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			emit("\\|");
		else if (*s == '<')
			emit("&lt;");
		else
			emit("%c", *s);
	}
}

static void choice_default(const char *choices)
{
	emit("`%.*s` (one of ", (int)strcspn(choices, "|"), choices);
	cell(choices);
	emit(")");
}

static void size_default(unsigned long long v)
{
	if (v && !(v % (1ULL << 30)))
		emit("%llu (%llu GiB)", v, v >> 30);
	else if (v && !(v % (1ULL << 20)))
		emit("%llu (%llu MiB)", v, v >> 20);
	else
		emit("%llu", v);
}

static void row(const char *name, const char *type, const char *desc)
{
	emit(" | %s | ", type);
	cell(desc);
	emit(" |\n");
	(void)name;
}

#define DEF_bool(d) emit("%d", (d) ? 1 : 0)
#define DEF_int(d) emit("%d", (int)(d))
#define DEF_u64(d) size_default((unsigned long long)(d))
#define DEF_str(d) emit("`%s`", (d)[0] ? (d) : "\"\"")
#define DEF_choice(d) choice_default(d)

static void dmasan_section(void)
{
	emit("## DMASAN_OPTIONS (libdmasan.so)\n\n"
	     "Read once at start-up. Syntax as in AddressSanitizer's `ASAN_OPTIONS`: `name=value` items "
	     "separated by `:`, `,` or whitespace; values may be quoted with `'` or `\"` (quote values "
	     "that contain `:` such as PCI device names); `include=FILE` reads more options from a file "
	     "(`include_if_exists=FILE` ignores a missing one; `%%p` and `%%b` in the path become the "
	     "pid and the executable's name). Booleans take `0/1/true/false/yes/no/on/off`; sizes "
	     "take binary `K`, `M`, `G`, `T` suffixes (`4K` is 4096).\n\n"
	     "Precedence, lowest first: the defaults below, the string returned by the program's "
	     "`const char *dmasan_default_options(void)` (found in the executable's symbol table, so "
	     "the executable must not be stripped, or exported with `-rdynamic`), then "
	     "`DMASAN_OPTIONS`. An unknown option prints a warning and is ignored; a malformed value "
	     "prints an error naming the option and its accepted values, and the process exits with "
	     "status 1.\n\n"
	     "| option | default | type | description |\n|---|---|---|---|\n");
#define DMASAN_OPTION(type, name, def, desc) \
	emit("| `%s` | ", #name); \
	DEF_##type(def); \
	row(#name, #type, desc);
#include "../src/san/rt/options.inc"
#undef DMASAN_OPTION
	emit("\n### Per-check enables\n\n"
	     "Every check of docs/checks.md has an option `check_<id with underscores>` (default 1); "
	     "`=0` disables it. `disable=id1,id2` disables several at once (ids with `-` or `_`; "
	     "an unknown id is an error that lists the valid ones).\n\n"
	     "| option | check | severity |\n|---|---|---|\n");
#define DMASAN_CHECK(E, id, sev, grp, ksent, what, why, fix)                \
	do {                                                                  \
		emit("| `check_");                                            \
		for (const char *c = id; *c; c++)                             \
			emit("%c", *c == '-' ? '_' : *c);                       \
		emit("` | `%s` | %s |\n", id, #sev[0] == 'E' ? "error" : "warning"); \
	} while (0);
#include "../src/common/checks.inc"
#undef DMASAN_CHECK
	emit("\n### Notes\n\n"
	     "- **Exit status.** With `halt_on_error=0` the program runs on after a report; at exit, "
	     "if errors were reported (or warnings with `fail_on=warning`) and the program's own "
	     "status was 0, the process exits with `exitcode`. A non-zero status of the program is "
	     "kept. With `halt_on_error=1` the first error ends the process with `exitcode`, or "
	     "`abort()` with `abort_on_error=1`. A configuration error found at start-up (a malformed "
	     "option value, a suppressions file that cannot be read) ends the process with exit "
	     "status 2 before the program runs, whatever `exitcode` is: it is not a finding.\n"
	     "- **Unwinding.** By default each return address's DWARF call-frame rule is read once "
	     "(libdw) and cached, and a stack is walked by those rules, every step checked against "
	     "the thread's stack; a stack the walk cannot follow with certainty (a signal frame, "
	     "code without unwind tables) is taken by libunwind. Both are correct for code built "
	     "with or without frame pointers. **`fast_unwind=1`** follows frame pointers only: "
	     "complete only when every function on the stack — the program, the driver, libkdma "
	     "and the libraries in between — is built with `-fno-omit-frame-pointer`; otherwise "
	     "callers go missing.\n"
	     "- **Files.** `log_path=P` writes `P.<pid>`; `json_path=P` writes `P.<pid>.jsonl` (one "
	     "JSON record per line, schema in docs/report-format.md). Every process writes its JSON "
	     "file, also when it found nothing, and ends it with a summary record at exit (a file "
	     "without one comes from a process that died). A forked child writes its own files "
	     "under its own pid. Missing directories are created at start-up (like `mkdir -p`, mode "
	     "0755); a path where no file can be created is an error on stderr at start-up, and "
	     "checking goes on (text reports to stderr, no JSON). A write that fails later (a full "
	     "disk, an I/O error, a closed descriptor) is said once on stderr and checking goes on: "
	     "for the text log, later text goes to stderr and the exit says how many text records "
	     "were lost; for JSON, see docs/reliability.md (\"Resource exhaustion\").\n"
	     "- **Deduplication.** A finding with the same check and the same stack as an earlier one "
	     "is counted but not printed again; the JSON summary record carries the counts.\n\n");
}

static void kdma_section(void)
{
	emit("## KDMA_OPTIONS (libkdma)\n\n"
	     "libkdma's platform switches, read once from `KDMA_OPTIONS` with the same syntax and the "
	     "same parser (no `include=`). "
	     "They model kernel command-line and Kconfig choices (swiotlb=force, iommu.strict, ...). "
	     "libkdma never ends the program over its options: an unknown option prints a warning, "
	     "a malformed value prints an error naming the option and its accepted values, and the "
	     "option keeps its default.\n\n"
	     "| option | default | type | description |\n|---|---|---|---|\n");
#define KDMA_OPTION(type, name, def, desc) \
	emit("| `%s` | ", #name); \
	DEF_##type(def); \
	row(#name, #type, desc);
#include "../src/kdma/base/options.inc"
#undef KDMA_OPTION
	emit("\n");
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	bool check = argc == 3 && !strcmp(argv[1], "--check");
	FILE *f;

	if (argc != 3 || (!check && strcmp(argv[1], "-o"))) {
		fprintf(stderr, "usage: %s -o FILE | --check FILE\n", argv[0]);
		return 2;
	}
	emit("# Options\n\n"
	     "<!-- Generated by tools/gen_options_doc.c from src/san/rt/options.inc, src/kdma/base/options.inc "
	     "and src/common/checks.inc. Do not edit: run `cmake --build BUILD --target options_doc`. -->\n\n");
	dmasan_section();
	kdma_section();
	if (check) {
		size_t len = 0;
		char *old = read_file(argv[2], &len);

		if (!old || len != out_len || memcmp(old, out, len)) {
			fprintf(stderr, "%s is stale: regenerate it with `cmake --build <build> --target options_doc`\n",
				argv[2]);
			return 1;
		}
		return 0;
	}
	f = fopen(argv[2], "w");
	if (!f || fwrite(out, 1, out_len, f) != out_len || fclose(f)) {
		perror(argv[2]);
		return 2;
	}
	return 0;
}
