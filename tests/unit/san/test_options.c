/* SPDX-License-Identifier: MIT */
/* DMASAN_OPTIONS parsing: every option type, checks, include=, precedence, malformed input. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "san/rt/options.h"

static struct dmasan_options o;

static void setup(void)
{
	dmasan_options_defaults(&o);
}

TestSuite(options, .init = setup);

/* Run parse(str) in a child; return its exit status and what it wrote on stderr. */
static int parse_in_child(const char *str, char *err, size_t errlen)
{
	int fds[2], status;
	ssize_t n, total = 0;
	pid_t pid;

	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		dmasan_options_parse(&o, str, "DMASAN_OPTIONS");
		_exit(0);
	}
	close(fds[1]);
	while (total + 1 < (ssize_t)errlen && (n = read(fds[0], err + total, errlen - 1 - total)) > 0)
		total += n;
	err[total] = 0;
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void expect_error(const char *str, const char *needle1, const char *needle2)
{
	char err[4096];

	cr_assert_eq(parse_in_child(str, err, sizeof(err)), DMASAN_CONFIG_ERROR_EXIT,
		     "'%s' should exit(2)", str);
	cr_assert(strstr(err, "ERROR: DMASanitizer:"), "no error line for '%s': %s", str, err);
	cr_assert(strstr(err, needle1), "'%s' not in: %s", needle1, err);
	if (needle2)
		cr_assert(strstr(err, needle2), "'%s' not in: %s", needle2, err);
}

Test(options, defaults_match_the_table)
{
	cr_assert_eq(o.halt_on_error, false);
	cr_assert_eq(o.exitcode, 1);
	cr_assert_eq(o.symbolize, true);
	cr_assert_eq(o.print_summary, true);
	cr_assert_eq(o.max_reports, 0);
	cr_assert_eq(o.detect_leaks, true);
	cr_assert_str_eq(o.log_path, "stderr");
	cr_assert_str_eq(o.json_path, "");
	cr_assert_eq(o.stack_depth, 16);
	cr_assert_eq(o.fast_unwind, false);
	cr_assert_eq(o.fail_on, DMASAN_FAIL_ON_ERROR);
	cr_assert_eq(o.cpu_access, DMASAN_CPU_ACCESS_AUTO);
	cr_assert_eq(o.line_size, 128);
	cr_assert_eq(o.poison, true);
	for (int i = 0; i < DMASAN_CHECK__COUNT; i++)
		cr_assert(o.check[i], "check %s disabled by default", dmasan_checks[i].id);
}

Test(options, every_type_and_separator)
{
	int unknown = dmasan_options_parse(&o,
		"halt_on_error=1:exitcode=3,stack_depth=32 verbosity=-1\tline_size=1K\n"
		"log_path='/tmp/a b' json_path=\"x:y\" fail_on=warning cpu_access=MPROTECT "
		"max_reports=0x10 poison=off symbolize=no abort_on_error=yes",
		"test");

	cr_assert_eq(unknown, 0);
	cr_assert_eq(o.halt_on_error, true);
	cr_assert_eq(o.exitcode, 3);
	cr_assert_eq(o.stack_depth, 32);
	cr_assert_eq(o.verbosity, -1);
	cr_assert_eq(o.line_size, 1024);
	cr_assert_str_eq(o.log_path, "/tmp/a b");
	cr_assert_str_eq(o.json_path, "x:y");
	cr_assert_eq(o.fail_on, DMASAN_FAIL_ON_WARNING);
	cr_assert_eq(o.cpu_access, DMASAN_CPU_ACCESS_MPROTECT);
	cr_assert_eq(o.max_reports, 16);
	cr_assert_eq(o.poison, false);
	cr_assert_eq(o.symbolize, false);
	cr_assert_eq(o.abort_on_error, true);
}

Test(options, later_values_win)
{
	dmasan_options_parse(&o, "exitcode=3", "first");
	dmasan_options_parse(&o, "exitcode=4:exitcode=5", "second");
	cr_assert_eq(o.exitcode, 5);
}

Test(options, per_check_enables_and_disable_list)
{
	dmasan_options_parse(&o, "check_unmap_size_mismatch=0:disable=double-unmap,map_from_stack",
			     "test");
	cr_assert_not(o.check[DMASAN_CHECK_UNMAP_SIZE_MISMATCH]);
	cr_assert_not(o.check[DMASAN_CHECK_DOUBLE_UNMAP]);
	cr_assert_not(o.check[DMASAN_CHECK_MAP_FROM_STACK]);
	cr_assert(o.check[DMASAN_CHECK_INVALID_UNMAP]);
	dmasan_options_parse(&o, "check_double_unmap=1", "test");
	cr_assert(o.check[DMASAN_CHECK_DOUBLE_UNMAP]);
}

Test(options, unknown_option_warns_and_continues)
{
	char path[] = "/tmp/dmasan-opt-XXXXXX";
	int fd = mkstemp(path), saved = dup(2), unknown;
	char buf[1024] = { 0 };

	cr_assert_geq(fd, 0);
	dup2(fd, 2);
	unknown = dmasan_options_parse(&o, "no_such_option=1:exitcode=9", "DMASAN_OPTIONS");
	dup2(saved, 2);
	pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	unlink(path);
	cr_assert_eq(unknown, 1);
	cr_assert_eq(o.exitcode, 9);
	cr_assert(strstr(buf, "WARNING: DMASanitizer: DMASAN_OPTIONS: unknown option 'no_such_option'; "
			 "valid options: halt_on_error, exitcode,"), "%s", buf);
	cr_assert(strstr(buf, ", disable, check_<check id>, include, include_if_exists\n"), "%s", buf);
}

Test(options, include_file)
{
	char path[] = "/tmp/dmasan-inc-XXXXXX";
	char opts[256];
	int fd = mkstemp(path);
	const char text[] = "exitcode=7\nverbosity=2\n";

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	snprintf(opts, sizeof(opts), "exitcode=2:include=%s:max_reports=4", path);
	dmasan_options_parse(&o, opts, "test");
	unlink(path);
	cr_assert_eq(o.exitcode, 7);
	cr_assert_eq(o.verbosity, 2);
	cr_assert_eq(o.max_reports, 4);
	dmasan_options_parse(&o, "include_if_exists=/nonexistent/dmasan.opts", "test");
}

Test(options, malformed_bool_exits_naming_option_and_values)
{
	expect_error("halt_on_error=maybe",
		     "DMASAN_OPTIONS: halt_on_error: 'maybe' is not a boolean",
		     "(1/0, true/false, yes/no, on/off)");
}

Test(options, malformed_numbers_and_choices_exit)
{
	expect_error("exitcode=12abc", "exitcode", "integer");
	expect_error("line_size=-5", "line_size: '-5' is not a size",
		     "(a number with an optional K, M, G or T suffix)");
	expect_error("fail_on=sometimes", "fail_on", "error|warning");
	expect_error("cpu_access=x", "cpu_access", "auto|asan|valgrind|mprotect|off");
}

Test(options, out_of_range_values_exit)
{
	expect_error("stack_depth=65", "stack_depth", "1..64");
	expect_error("stack_depth=0", "stack_depth", NULL);
	expect_error("line_size=100", "line_size", "power of two");
	expect_error("exitcode=300", "exitcode", NULL);
}

Test(options, syntax_errors_exit)
{
	expect_error("halt_on_error", "expected '='", NULL);
	expect_error("log_path='unterminated", "unterminated", "log_path");
	expect_error("disable=double-unmap,no-such-check", "unknown check id 'no-such-check'",
		     "valid ids: invalid-unmap");
	expect_error("include=/nonexistent/dmasan.opts", "cannot open", NULL);
}

/* The whole-process path: exit status 2 (a configuration error, not a finding's exitcode 1) as
 * Criterion sees it. */
Test(options, malformed_env_exits_2, .exit_code = DMASAN_CONFIG_ERROR_EXIT)
{
	setenv("DMASAN_OPTIONS", "verbosity=loud", 1);
	dmasan_options_init();
	cr_assert_fail("dmasan_options_init returned on a malformed value");
}

const char *dmasan_default_options(void)
{
	return "exitcode=5:verbosity=1";
}

Test(options, precedence_defaults_hook_env)
{
	setenv("DMASAN_OPTIONS", "verbosity=3", 1);
	dmasan_options_init();
	cr_assert_eq(dmasan_opts.exitcode, 5, "dmasan_default_options() not applied");
	cr_assert_eq(dmasan_opts.verbosity, 3, "DMASAN_OPTIONS must override the hook");
	cr_assert_eq(dmasan_opts.stack_depth, 16);
	cr_assert(strstr(dmasan_options_string(), "verbosity=3"));
}

Test(options, help_lists_options_with_values)
{
	char path[] = "/tmp/dmasan-help-XXXXXX";
	int fd = mkstemp(path);
	static char buf[65536];
	ssize_t n;

	dmasan_options_parse(&o, "exitcode=42", "test");
	dmasan_options_print_help(&o, fd);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	unlink(path);
	cr_assert_gt(n, 0);
	buf[n] = 0;
	cr_assert(strstr(buf, "\texitcode\n\t\t- "));
	cr_assert(strstr(buf, "(Current Value: 42)"));
	cr_assert(strstr(buf, "\tfail_on\n"));
	cr_assert(strstr(buf, "(Current Value: error)"));
	cr_assert(strstr(buf, "\tcheck_unmap_size_mismatch\n"));
}
