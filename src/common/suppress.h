/* SPDX-License-Identifier: MIT */
/*
 * Suppressions ("check-id:pattern" lines), shared by the runtime (suppressions=FILE) and
 * dmasan-report (--suppressions FILE). A pattern matches a frame's function, file or module:
 * '*' matches any run of characters, a leading '^' / trailing '$' anchors the match at the start /
 * end (as in sanitizer suppression files); without anchors it matches anywhere (substring).
 * Parsed rules are immutable; only the per-rule hit counters change (atomically), so matching is
 * thread-safe without a lock.
 */
#ifndef DMASAN_SUPPRESS_H
#define DMASAN_SUPPRESS_H

#include <stddef.h>

struct dmasan_supp; /* parsed suppressions */

struct dmasan_supp_frame {
	const char *function, *file, *module; /* any may be NULL */
};

/* Parse text ("check-id:pattern" lines, '#' comments, blank lines). Unknown check id or malformed
 * line: NULL and a message "FILE:LINE: unknown check id 'x'; valid ids: a, b, ..." in err. An empty
 * text gives a valid, empty set. */
struct dmasan_supp *dmasan_supp_parse(const char *text, size_t len, const char *filename, char *err,
				      size_t errlen);
/* Read and parse a file; an unreadable file is an error ("FILE: No such file or directory"). */
struct dmasan_supp *dmasan_supp_load(const char *path, char *err, size_t errlen);

/* Index of the first rule whose check id matches and whose pattern matches any frame's function,
 * file or module, or -1. Increments the rule's hit count. Thread-safe. */
int dmasan_supp_match(struct dmasan_supp *s, const char *check_id,
		      const struct dmasan_supp_frame *frames, unsigned int nframes);

unsigned int dmasan_supp_count(const struct dmasan_supp *s);
/* Rule i as written ("check:pattern"), and its hit count in *hits (if hits is not NULL). NULL if
 * i is out of range. */
const char *dmasan_supp_rule(const struct dmasan_supp *s, unsigned int i, unsigned long *hits);
void dmasan_supp_free(struct dmasan_supp *s);

/* The pattern matcher on its own (used by the tests and by dmasan-report). */
int dmasan_supp_pattern_match(const char *pattern, const char *str);

#endif
