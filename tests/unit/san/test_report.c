/* SPDX-License-Identifier: MIT */
/* Reports: text layout, JSON Lines records, dedup, max_reports, filters, suppressions, halting. */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "san/rt/options.h"
#include "san/report/report.h"
#include "san/rt/runtime.h"
#include <dmasan/dmasan.h>
#include <linux/device.h>

static char dir[64];

/* Start the runtime with reports going to files in a fresh directory. */
static void start(const char *extra)
{
	char opts[512];

	strcpy(dir, "/tmp/dmasan-report-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(opts, sizeof(opts), "log_path=%s/log:json_path=%s/out:%s", dir, dir,
		 extra ? extra : "");
	setenv("DMASAN_OPTIONS", opts, 1);
	dmasan_runtime_init();
}

static char *slurp_pid(const char *name, const char *suffix, int pid)
{
	char path[256];
	struct stat st;
	char *buf;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.%d%s", dir, name, pid, suffix);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return strdup("");
	fstat(fd, &st);
	buf = calloc(1, st.st_size + 1);
	cr_assert_eq(read(fd, buf, st.st_size), st.st_size);
	close(fd);
	return buf;
}

static char *log_text(void)
{
	return slurp_pid("log", "", getpid());
}

static char *json_text(void)
{
	return slurp_pid("out", ".jsonl", getpid());
}

static int occurrences(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* Every needle occurs in hay. */
#define assert_contains(hay, ...) assert_contains_all(hay, (const char *const[]){ __VA_ARGS__, NULL })
static void assert_contains_all(const char *hay, const char *const *needles)
{
	for (; *needles; needles++)
		cr_assert(strstr(hay, *needles), "'%s' not in:\n%s", *needles, hay);
}

/* Each line must parse as JSON (json-c, loaded at run time so the test needs no extra link). */
static void assert_json_lines(const char *text)
{
	void *lib = dlopen("libjson-c.so.5", RTLD_NOW);
	void *(*parse)(const char *);
	void (*put)(void *);
	char line[65536];

	cr_assert_not_null(lib, "json-c is needed to validate the JSON Lines output");
	parse = (void *(*)(const char *))dlsym(lib, "json_tokener_parse");
	put = (void (*)(void *))dlsym(lib, "json_object_put");
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		void *obj;

		cr_assert_lt(n, sizeof(line));
		memcpy(line, p, n);
		line[n] = 0;
		obj = parse(line);
		cr_assert_not_null(obj, "not JSON: %s", line);
		put(obj);
		p += n + (p[n] == '\n');
	}
}

static dmasan_stack_id map_stack;

static __attribute__((__noinline__)) void mapping_site(void)
{
	map_stack = dmasan_stack_capture(0);
	__asm__ volatile("" ::: "memory");
}

static __attribute__((__noinline__)) bool buggy_unmap_site(void)
{
	struct dmasan_report r;
	bool ret;

	dmasan_report_init(&r, DMASAN_CHECK_UNMAP_SIZE_MISMATCH, NULL);
	dmasan_report_hex(&r, "device address", 0xfee01000);
	dmasan_report_u64(&r, "map size", 4096);
	dmasan_report_u64(&r, "unmap size", 2048);
	dmasan_report_str(&r, "direction", "DMA_FROM_DEVICE");
	if (map_stack)
		dmasan_report_related(&r, "map", "mapped by", map_stack, 0);
	ret = dmasan_report_emit(&r);
	__asm__ volatile("" ::: "memory");
	return ret;
}

/* Each call site of emit_at is a different stack; calls from one site deduplicate. */
static __attribute__((__noinline__)) bool emit_at(enum dmasan_check c)
{
	struct dmasan_report r;
	bool ret;

	dmasan_report_init(&r, c, NULL);
	ret = dmasan_report_emit(&r);
	__asm__ volatile("" ::: "memory");
	return ret;
}

Test(report, text_layout)
{
	char head[128];
	char *log;

	start(NULL);
	mapping_site();
	cr_assert(buggy_unmap_site());
	log = log_text();
	snprintf(head, sizeof(head),
		 "=================================================================\n"
		 "==%d==ERROR: DMASanitizer: unmap-size-mismatch thread T", (int)getpid());
	cr_assert(!strncmp(log, head, strlen(head)), "%s", log);
	assert_contains(log,
			"\ndevice driver frees DMA memory with different size "
			"[device address=0x00000000fee01000] [map size=4096] "
			"[unmap size=2048] [direction=DMA_FROM_DEVICE]\n    #0 0x",
			" in buggy_unmap_site ", "    #1 0x", "test_report.c:",
			"\n\nmapped by thread T0 here:\n    #0 0x", " in mapping_site ",
			"HINT: keep the mapped length", "DMASAN_OPTIONS=check_unmap_size_mismatch=0");
	cr_assert_null(strstr(log, "dmasan_report_emit"), "sanitizer frames shown: %s", log);
	char *summary = strstr(log, "SUMMARY: DMASanitizer: unmap-size-mismatch /");

	cr_assert_not_null(summary, "%s", log);
	cr_assert(strstr(summary, "test_report.c:"), "%s", summary);
	cr_assert(strstr(summary, " in buggy_unmap_site\n"), "%s", summary);
	free(log);
}

Test(report, warning_headline_and_exit_policy)
{
	char head[128];
	char *log;
	unsigned long e, w;

	start(NULL);
	cr_assert(emit_at(DMASAN_CHECK_SWIOTLB_FULL));
	log = log_text();
	snprintf(head, sizeof(head), "==%d==WARNING: DMASanitizer: swiotlb-full thread T",
		 (int)getpid());
	cr_assert(strstr(log, head), "%s", log);
	cr_assert(strstr(log, "\nswiotlb buffer is full\n"), "%s", log);
	dmasan_report_counts(&e, &w, NULL);
	cr_assert_eq(e, 0);
	cr_assert_eq(w, 1);
	cr_assert_not(dmasan_report_failed(), "warnings must not fail by default");
	dmasan_opts.fail_on = DMASAN_FAIL_ON_WARNING;
	cr_assert(dmasan_report_failed());
	free(log);
}

Test(report, json_records)
{
	char run[64], *json, *viol, *sum;

	start(NULL);
	mapping_site();
	buggy_unmap_site();
	{
		struct dmasan_report r;

		dmasan_report_init(&r, DMASAN_CHECK_DOUBLE_UNMAP, NULL);
		dmasan_report_str(&r, "note", "a \"quoted\"\nline\\");
		dmasan_report_emit(&r);
	}
	dmasan_report_finish();
	json = json_text();
	snprintf(run, sizeof(run), "{\"type\":\"run\",\"dmasan\":1,\"pid\":%d,", (int)getpid());
	cr_assert(!strncmp(json, run, strlen(run)), "%s", json);
	cr_assert(strstr(json, "\"exe\":\""), "%s", json);
	cr_assert(strstr(json, "\"options\":\"log_path="), "%s", json);
	viol = strstr(json, "\n{\"type\":\"violation\",\"id\":1,\"check\":\"unmap-size-mismatch\",\"severity\":\"error\",\"device\":null,");
	cr_assert_not_null(viol, "%s", json);
	assert_contains(viol,
			"\"message\":\"device driver frees DMA memory with different size [device address=0x00000000fee01000]",
			"\"stack\":[{\"pc\":\"0x", "\"function\":\"buggy_unmap_site\",\"file\":\"",
			"\"line\":", "\"module\":\"",
			"\"related\":[{\"what\":\"map\",\"title\":\"mapped by\",\"tid\":0,",
			"\"facts\":{\"device_address\":\"0x00000000fee01000\",\"map_size\":4096,\"unmap_size\":2048,\"direction\":\"DMA_FROM_DEVICE\"}}\n");
	cr_assert(strstr(json, "\"check\":\"double-unmap\""), "%s", json);
	cr_assert(strstr(json, "\"note\":\"a \\\"quoted\\\"\\nline\\\\\""), "%s", json);
	sum = strstr(json, "\n{\"type\":\"summary\",\"errors\":2,\"warnings\":0,\"suppressed\":0,");
	cr_assert_not_null(sum, "%s", json);
	cr_assert_eq(strlen(sum + 1), strcspn(sum + 1, "\n") + 1, "summary is not the last line");
	assert_json_lines(json);
	free(json);
}

Test(report, dedup_counts_identical_reports)
{
	volatile int n = 3;
	unsigned long e, unique, printed;
	char *log, *json;

	start(NULL);
	for (int i = 0; i < n; i++)
		cr_assert(emit_at(DMASAN_CHECK_DOUBLE_UNMAP));
	dmasan_report_counts(&e, NULL, NULL);
	dmasan_report_unique(&unique, &printed);
	cr_assert_eq(e, 3);
	cr_assert_eq(unique, 1);
	cr_assert_eq(printed, 1);
	dmasan_report_finish();
	log = log_text();
	json = json_text();
	cr_assert_eq(occurrences(log, "ERROR: DMASanitizer: double-unmap"), 1, "%s", log);
	cr_assert(strstr(log, "SUMMARY: DMASanitizer: 3 occurrences, 1 unique (3 errors, 0 warnings), 0 suppressed"), "%s", log);
	cr_assert_eq(occurrences(json, "\"type\":\"violation\""), 1, "%s", json);
	cr_assert(strstr(json, "\"reports\":[{\"id\":1,\"occurrences\":3}]"), "%s", json);
	free(log);
	free(json);
}

Test(report, max_reports_limits_printing_not_counting)
{
	unsigned long e, unique, printed;
	char *log, *json;

	start("max_reports=1");
	emit_at(DMASAN_CHECK_DOUBLE_UNMAP);
	emit_at(DMASAN_CHECK_DOUBLE_UNMAP);
	dmasan_report_counts(&e, NULL, NULL);
	dmasan_report_unique(&unique, &printed);
	cr_assert_eq(e, 2);
	cr_assert_eq(unique, 2);
	cr_assert_eq(printed, 1);
	log = log_text();
	json = json_text();
	cr_assert_eq(occurrences(log, "ERROR: DMASanitizer:"), 1, "%s", log);
	cr_assert_eq(occurrences(json, "\"type\":\"violation\""), 2, "%s", json);
	free(log);
	free(json);
}

Test(report, disabled_checks_and_device_filter)
{
	unsigned long e;
	char *log;

	start("check_double_unmap=0:disable=invalid-unmap");
	cr_assert_not(emit_at(DMASAN_CHECK_DOUBLE_UNMAP));
	cr_assert_not(emit_at(DMASAN_CHECK_INVALID_UNMAP));
	cr_assert(emit_at(DMASAN_CHECK_UNKNOWN_UNMAP));
	dmasan_opts.device_filter = "eth*";
	cr_assert_not(emit_at(DMASAN_CHECK_UNKNOWN_UNMAP), "process-wide report passed a device filter");
	dmasan_report_counts(&e, NULL, NULL);
	cr_assert_eq(e, 1);
	log = log_text();
	cr_assert_eq(occurrences(log, "ERROR: DMASanitizer:"), 1, "%s", log);
	free(log);
}

/* Start with a suppressions file holding text (and more options); the file is gone after. */
static void start_with_suppressions(const char *text, const char *more)
{
	char supp[128], opts[256];
	FILE *f;

	strcpy(supp, "/tmp/dmasan-supp-XXXXXX");
	close(mkstemp(supp));
	f = fopen(supp, "w");
	fputs(text, f);
	fclose(f);
	snprintf(opts, sizeof(opts), "suppressions=%s:%s", supp, more);
	start(opts);
	unlink(supp);
}

static __attribute__((__noinline__)) bool suppressed_site(void)
{
	bool ret = emit_at(DMASAN_CHECK_UNMAP_SIZE_MISMATCH);

	__asm__ volatile("" ::: "memory"); /* no tail call: keep this frame */
	return ret;
}

Test(report, suppressions_used_and_unused)
{
	unsigned long e, s;
	volatile int n = 2;
	char *log, *json;

	start_with_suppressions("# known bug\nunmap-size-mismatch:suppressed_site\n"
				"double-unmap:never_matches\n", "");
	for (int i = 0; i < n; i++)
		cr_assert_not(suppressed_site());
	cr_assert(emit_at(DMASAN_CHECK_UNMAP_SIZE_MISMATCH));
	dmasan_report_counts(&e, NULL, &s);
	cr_assert_eq(e, 1);
	cr_assert_eq(s, 2);
	dmasan_report_finish();
	log = log_text();
	json = json_text();
	cr_assert(strstr(log, "Suppressions used:\n"), "%s", log);
	cr_assert(strstr(log, "      2 unmap-size-mismatch:suppressed_site\n"), "%s", log);
	cr_assert(strstr(log, "suppressions that matched nothing:\n  double-unmap:never_matches\n"), "%s", log);
	cr_assert(strstr(json, "\"unused_suppressions\":[\"double-unmap:never_matches\"]"), "%s", json);
	cr_assert_eq(occurrences(log, "ERROR: DMASanitizer: unmap-size-mismatch"), 1, "%s", log);
	free(log);
	free(json);
}

Test(report, gen_suppressions_and_dedup_token)
{
	char *log;

	start("gen_suppressions=1:dedup_token_length=2");
	buggy_unmap_site();
	log = log_text();
	cr_assert(strstr(log, "\nunmap-size-mismatch:buggy_unmap_site\n"), "%s", log);
	cr_assert(strstr(log, "DEDUP_TOKEN: buggy_unmap_site--"), "%s", log);
	free(log);
}

Test(report, halt_on_error_exits_with_exitcode, .exit_code = 3)
{
	start("halt_on_error=1:exitcode=3");
	emit_at(DMASAN_CHECK_DOUBLE_UNMAP);
	cr_assert_fail("halt_on_error=1 returned from the report");
}

Test(report, halt_on_error_ignores_warnings)
{
	start("halt_on_error=1:exitcode=3");
	cr_assert(emit_at(DMASAN_CHECK_SWIOTLB_FULL));
}

Test(report, abort_on_error_aborts, .signal = SIGABRT)
{
	start("halt_on_error=1:abort_on_error=1");
	emit_at(DMASAN_CHECK_DOUBLE_UNMAP);
}

Test(report, forked_child_reports_under_its_pid)
{
	char *json, run[64];
	int status;
	pid_t pid;

	start(NULL);
	emit_at(DMASAN_CHECK_DOUBLE_UNMAP);
	pid = fork();
	if (pid == 0) {
		unsigned long e;

		emit_at(DMASAN_CHECK_DOUBLE_UNMAP); /* fresh dedup table: reported again */
		dmasan_report_counts(&e, NULL, NULL);
		_exit(e == 1 ? 0 : 2);
	}
	waitpid(pid, &status, 0);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child counts were not reset");
	json = slurp_pid("out", ".jsonl", pid);
	snprintf(run, sizeof(run), "{\"type\":\"run\",\"dmasan\":1,\"pid\":%d,", (int)pid);
	cr_assert(!strncmp(json, run, strlen(run)), "%s", json);
	cr_assert(strstr(json, "\"check\":\"double-unmap\""), "%s", json);
	free(json);
	json = json_text();
	cr_assert_eq(occurrences(json, "\"type\":\"violation\""), 1, "parent file written by the child: %s", json);
	free(json);
}

Test(report, keeps_only_the_outermost_libkdma_frame_on_top)
{
	/* as if the sanitizer was called from dev_name() called from dev_driver_string() called by
	 * the driver: the report starts at the API the driver called */
	uintptr_t pcs[] = { (uintptr_t)dmasan_report_emit + 8, (uintptr_t)dev_name + 8,
			    (uintptr_t)dev_driver_string + 8, (uintptr_t)mapping_site + 8 };
	struct dmasan_report r;
	char *log, *f0, *f1;

	start(NULL);
	dmasan_report_init(&r, DMASAN_CHECK_DOUBLE_UNMAP, NULL);
	r.stack = dmasan_stack_put(pcs, 4);
	cr_assert(dmasan_report_emit(&r));
	log = log_text();
	f0 = strstr(log, "    #0 0x");
	f1 = strstr(log, "    #1 0x");
	cr_assert(f0 && f1, "%s", log);
	char *api = strstr(f0, " in dev_driver_string ");

	cr_assert(api && api < f1, "%s", log);
	cr_assert(strstr(f1, " in mapping_site "), "%s", log);
	cr_assert_null(strstr(log, " in dev_name "), "%s", log);
	cr_assert(strstr(log, "SUMMARY: DMASanitizer: double-unmap "), "%s", log);
	cr_assert(strstr(strstr(log, "SUMMARY:"), " in mapping_site\n"), "%s", log);
	free(log);
}

static int dump_pipe[2];
static char dump_filter[64];
static int leak_checks;

static void dump_cb(const char *filter, const struct device *dev, enum dmasan_dump_reason why)
{
	snprintf(dump_filter, sizeof(dump_filter), "%s", filter ? filter : "(all)");
	if (dump_pipe[1] > 0)
		(void)!write(dump_pipe[1], "d", 1); /* runs on the dump thread */
}

static void leak_cb(void)
{
	leak_checks++;
}

Test(report, public_api_forwards_to_registered_callbacks)
{
	start(NULL);
	dmasan_set_dump_reason_callback(dump_cb);
	dmasan_set_leak_callback(leak_cb);
	dmasan_dump_mappings("eth*");
	cr_assert_str_eq(dump_filter, "eth*");
	dmasan_check_leaks();
	cr_assert_eq(leak_checks, 1);
	cr_assert(dmasan_is_active());
	emit_at(DMASAN_CHECK_DOUBLE_UNMAP);
	emit_at(DMASAN_CHECK_SWIOTLB_FULL);
	cr_assert_eq(dmasan_error_count(), 1);
	cr_assert_eq(dmasan_warning_count(), 1);
}

Test(report, dump_on_error_dumps_after_each_printed_report)
{
	start("dump_on_error=1");
	dmasan_set_dump_reason_callback(dump_cb);
	emit_at(DMASAN_CHECK_DOUBLE_UNMAP);
	cr_assert_str_eq(dump_filter, "(all)");
}

Test(report, dump_signal_dumps_from_a_thread)
{
	char c;

	cr_assert_eq(pipe(dump_pipe), 0);
	start("dump_signal=10"); /* SIGUSR1 */
	dmasan_set_dump_reason_callback(dump_cb);
	raise(SIGUSR1);
	cr_assert_eq(read(dump_pipe[0], &c, 1), 1); /* blocks until the dump thread ran */
	cr_assert_str_eq(dump_filter, "(all)");
}

Test(report, no_findings_still_ends_with_a_summary_record)
{
	char path[128], *json;

	/* A process that never reports (and has no libkdma: this test binary does not export it)
	 * leaves no log, but its JSON file has the run and summary records: a file without a
	 * summary is a process that died, and no file at all means dmasan was not loaded. */
	start("check_double_unmap=0");
	cr_assert_not(emit_at(DMASAN_CHECK_DOUBLE_UNMAP));
	dmasan_report_finish();
	snprintf(path, sizeof(path), "%s/log.%d", dir, (int)getpid());
	cr_assert_neq(access(path, F_OK), 0, "%s was created", path);
	json = json_text();
	cr_assert(!strncmp(json, "{\"type\":\"run\",", strlen("{\"type\":\"run\",")), "%s", json);
	cr_assert(strstr(json, "\n{\"type\":\"summary\",\"errors\":0,\"warnings\":0,"), "%s", json);
	cr_assert_eq(occurrences(json, "\"type\":\"violation\""), 0, "%s", json);
	free(json);
}

Test(report, print_suppressions_2_fails_on_unused_rules)
{
	start_with_suppressions("double-unmap:never_matches\n", "print_suppressions=2");
	cr_assert(dmasan_report_failed(), "an unused suppression must fail with print_suppressions=2");
	dmasan_opts.print_suppressions = 1;
	cr_assert_not(dmasan_report_failed());
}
