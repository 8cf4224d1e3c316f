/* SPDX-License-Identifier: MIT */
/*
 * <dmasan/dmasan.h> — talking to the sanitizer from a test.
 *
 * These functions always link: libkdma defines them as inert fallbacks (no sanitizer loaded:
 * 0 errors, nothing dumped), and libdmasan.so, when preloaded, interposes its own definitions.
 * So a test can assert "no new DMA errors" whether or not it runs under dmasan.
 */
#ifndef DMASAN_DMASAN_H
#define DMASAN_DMASAN_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* True when libdmasan.so is loaded into this process. */
bool dmasan_is_active(void);

/* Errors (and warnings) reported so far in this process, suppressed ones excluded. */
unsigned long dmasan_error_count(void);
unsigned long dmasan_warning_count(void);

/* Print the live mapping table (all devices, or those whose name or driver matches the
 * pattern, '*' wildcards) to the report log, and record it in the JSON Lines file. */
void dmasan_dump_mappings(const char *device_filter);

/* Run leak checks for everything live now, as at exit (mapping-leak reports). */
void dmasan_check_leaks(void);

/*
 * Criterion integration: a violation inside a Criterion test must fail that test, but Criterion
 * ignores exit codes set after the test returns. Wrap the test body:
 *
 *     Test(nic, rx_refill) { DMASAN_TEST_BEGIN(); ...; DMASAN_TEST_END(); }
 *
 * or call dmasan_error_count() in a .fini fixture and cr_assert_eq on it.
 */
#define DMASAN_TEST_BEGIN() unsigned long __dmasan_errors0 = dmasan_error_count()
#define DMASAN_TEST_NEW_ERRORS() (dmasan_error_count() - __dmasan_errors0)
/* Expands to a Criterion assertion: include <criterion/criterion.h> where it is used. */
#define DMASAN_TEST_END()                                                                     \
	cr_assert_eq(DMASAN_TEST_NEW_ERRORS(), 0, "dmasan reported %lu DMA error(s) in this test", \
		     DMASAN_TEST_NEW_ERRORS())

#ifdef __cplusplus
}
#endif
#endif
