// SPDX-License-Identifier: MIT
/* Suppression parsing and matching (src/common/suppress.c). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/suppress.h"

static struct dmasan_supp *parse_ok(const char *text)
{
	char err[512];
	struct dmasan_supp *s = dmasan_supp_parse(text, strlen(text), "t.supp", err, sizeof(err));

	cr_assert_not_null(s, "parse failed: %s", err);
	return s;
}

static const struct dmasan_supp_frame user_stack[] = {
	{ "dma_unmap_single_attrs", "src/kdma/dma/mapping.c", "/usr/lib/libkdma.so.0" },
	{ "e1000_clean_rx_irq", "/home/ci/src/drivers/net/e1000/e1000_main.c", "/build/tests/nic_test" },
	{ "main", "/home/ci/src/tests/nic_test.c", "/build/tests/nic_test" },
};
#define NUSER (sizeof(user_stack) / sizeof(user_stack[0]))

Test(suppress, function_substring)
{
	struct dmasan_supp *s = parse_ok("unmap-size-mismatch:clean_rx\n");

	cr_expect_eq(dmasan_supp_match(s, "unmap-size-mismatch", user_stack, NUSER), 0);
	cr_expect_eq(dmasan_supp_match(s, "double-unmap", user_stack, NUSER), -1,
		     "another check id must not match");
	dmasan_supp_free(s);
}

Test(suppress, file_and_module)
{
	struct dmasan_supp *s = parse_ok("double-unmap:e1000_main.c\nmapping-leak:nic_test$\n");

	cr_expect_eq(dmasan_supp_match(s, "double-unmap", user_stack, NUSER), 0);
	cr_expect_eq(dmasan_supp_match(s, "mapping-leak", user_stack, NUSER), 1);
	dmasan_supp_free(s);
}

Test(suppress, wildcards)
{
	struct dmasan_supp *s = parse_ok("double-unmap:e1000_*_rx\nmapping-leak:drivers/*/e1000/*.c\n");

	cr_expect_eq(dmasan_supp_match(s, "double-unmap", user_stack, NUSER), 0);
	cr_expect_eq(dmasan_supp_match(s, "mapping-leak", user_stack, NUSER), 1);
	cr_expect(dmasan_supp_pattern_match("a*b*c", "xxaZZbYYcxx"));
	cr_expect(!dmasan_supp_pattern_match("a*b*c", "xxaZZcYYbxx"));
	cr_expect(dmasan_supp_pattern_match("*", ""));
	cr_expect(dmasan_supp_pattern_match("**x**", "abxcd"));
	dmasan_supp_free(s);
}

Test(suppress, anchors)
{
	cr_expect(dmasan_supp_pattern_match("^e1000_", "e1000_clean_rx_irq"));
	cr_expect(!dmasan_supp_pattern_match("^clean", "e1000_clean_rx_irq"));
	cr_expect(dmasan_supp_pattern_match("rx_irq$", "e1000_clean_rx_irq"));
	cr_expect(!dmasan_supp_pattern_match("clean$", "e1000_clean_rx_irq"));
	cr_expect(dmasan_supp_pattern_match("^main$", "main"));
	cr_expect(!dmasan_supp_pattern_match("^main$", "domain"));
	cr_expect(!dmasan_supp_pattern_match("^main$", "mainly"));
	cr_expect(dmasan_supp_pattern_match("^e1000*irq$", "e1000_clean_rx_irq"));
	cr_expect(!dmasan_supp_pattern_match("^e1000*rx$", "e1000_clean_rx_irq"));
	/* Anchors apply to every frame separately: no match spanning the function and the file. */
	struct dmasan_supp *s = parse_ok("double-unmap:^nic_test.c\n");

	cr_expect_eq(dmasan_supp_match(s, "double-unmap", user_stack, NUSER), -1);
	dmasan_supp_free(s);
}

Test(suppress, comments_blank_and_whitespace)
{
	struct dmasan_supp *s = parse_ok("# known issues\n\n   \t\n  double-unmap : e1000_clean_rx_irq  \r\n"
					 "# trailing comment\nmapping-leak:main");

	cr_assert_eq(dmasan_supp_count(s), 2);
	cr_expect_str_eq(dmasan_supp_rule(s, 0, NULL), "double-unmap:e1000_clean_rx_irq");
	cr_expect_str_eq(dmasan_supp_rule(s, 1, NULL), "mapping-leak:main");
	cr_expect_null(dmasan_supp_rule(s, 2, NULL));
	dmasan_supp_free(s);
}

Test(suppress, empty_text)
{
	struct dmasan_supp *s = parse_ok("");

	cr_expect_eq(dmasan_supp_count(s), 0);
	cr_expect_eq(dmasan_supp_match(s, "double-unmap", user_stack, NUSER), -1);
	dmasan_supp_free(s);
}

Test(suppress, unknown_id_lists_valid_ids)
{
	char err[4096];
	const char *text = "double-unmap:foo\n\nduoble-unmap:bar\n";
	struct dmasan_supp *s = dmasan_supp_parse(text, strlen(text), "known.supp", err, sizeof(err));

	cr_assert_null(s);
	cr_expect(strstr(err, "known.supp:3: unknown check id 'duoble-unmap'; valid ids: ") == err,
		  "got: %s", err);
	cr_expect(strstr(err, "invalid-unmap, unknown-unmap, double-unmap,") != NULL, "got: %s", err);
	cr_expect(strstr(err, "uninit-to-device") != NULL, "all ids listed: %s", err);
}

Test(suppress, malformed_lines)
{
	static const char *const bad[] = { "double-unmap\n", "double-unmap:\n", ":main\n",
					   "interceptor_via_fun\n" };
	char err[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dmasan_supp *s = dmasan_supp_parse(bad[i], strlen(bad[i]), "m.supp", err, sizeof(err));

		cr_expect_null(s, "'%s' accepted", bad[i]);
		cr_expect(strncmp(err, "m.supp:1: malformed suppression", 31) == 0, "got: %s", err);
		dmasan_supp_free(s);
	}
}

Test(suppress, small_error_buffer_is_truncated_not_overrun)
{
	char err[24];
	struct dmasan_supp *s = dmasan_supp_parse("nope:x", 6, "f", err, sizeof(err));

	cr_assert_null(s);
	cr_expect_eq(strlen(err), sizeof(err) - 1);
}

Test(suppress, hit_counts_and_unused)
{
	struct dmasan_supp *s = parse_ok("double-unmap:e1000\ndouble-unmap:main\nmapping-leak:nomatch\n");
	unsigned long hits;

	for (int i = 0; i < 3; i++)
		cr_expect_eq(dmasan_supp_match(s, "double-unmap", user_stack, NUSER), 0,
			     "the first matching rule wins");
	cr_expect_eq(dmasan_supp_match(s, "mapping-leak", user_stack, NUSER), -1);
	dmasan_supp_rule(s, 0, &hits);
	cr_expect_eq(hits, 3);
	dmasan_supp_rule(s, 1, &hits);
	cr_expect_eq(hits, 0, "shadowed rule is unused");
	dmasan_supp_rule(s, 2, &hits);
	cr_expect_eq(hits, 0, "unused rule");
	dmasan_supp_free(s);
}

Test(suppress, null_frame_fields)
{
	struct dmasan_supp *s = parse_ok("double-unmap:*\n");
	const struct dmasan_supp_frame unknown = { NULL, NULL, NULL };
	const struct dmasan_supp_frame only_module = { NULL, NULL, "/lib/x.so" };

	cr_expect_eq(dmasan_supp_match(s, "double-unmap", &unknown, 1), -1);
	cr_expect_eq(dmasan_supp_match(s, "double-unmap", &only_module, 1), 0);
	cr_expect_eq(dmasan_supp_match(s, "double-unmap", NULL, 0), -1);
	cr_expect_eq(dmasan_supp_match(NULL, "double-unmap", &only_module, 1), -1);
	dmasan_supp_free(s);
}

Test(suppress, load_file)
{
	char path[] = "/tmp/dmasan-supp-XXXXXX", err[512];
	int fd = mkstemp(path);
	const char text[] = "# from a file\nsync-unknown:^e1000_\n";

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	struct dmasan_supp *s = dmasan_supp_load(path, err, sizeof(err));

	unlink(path);
	cr_assert_not_null(s, "%s", err);
	cr_expect_eq(dmasan_supp_match(s, "sync-unknown", user_stack, NUSER), 0);
	dmasan_supp_free(s);
	cr_expect_null(dmasan_supp_load("/nonexistent/x.supp", err, sizeof(err)));
	cr_expect(strstr(err, "/nonexistent/x.supp: No such file") == err, "got: %s", err);
}

struct match_thread_arg {
	struct dmasan_supp *s;
	int matched;
};

static void *match_many(void *p)
{
	struct match_thread_arg *a = p;

	for (int i = 0; i < 10000; i++)
		a->matched += dmasan_supp_match(a->s, "double-unmap", user_stack, NUSER) == 1;
	return NULL;
}

Test(suppress, concurrent_matching_counts_every_hit)
{
	struct dmasan_supp *s = parse_ok("mapping-leak:main\ndouble-unmap:^e1000_clean_rx_irq$\n");
	struct match_thread_arg args[4];
	pthread_t t[4];
	unsigned long hits;

	for (int i = 0; i < 4; i++) {
		args[i] = (struct match_thread_arg){ s, 0 };
		cr_assert_eq(pthread_create(&t[i], NULL, match_many, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_expect_eq(args[i].matched, 10000);
	}
	dmasan_supp_rule(s, 1, &hits);
	cr_expect_eq(hits, 40000, "lost updates: %lu", hits);
	dmasan_supp_free(s);
}
