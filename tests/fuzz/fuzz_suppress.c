// SPDX-License-Identifier: MIT
/*
 * Suppression files (src/common/suppress.c), as the runtime and dmasan-report read them: the input
 * is the file's text; each parsed rule set is then matched against frames cut from the same bytes
 * and its rules listed, as the exit statistics do.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512], *copy = malloc(size + 1);
	struct dmasan_supp *s;
	struct dmasan_supp_frame fr[2];

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = 0;
	s = dmasan_supp_parse((const char *)data, size, "fuzz.supp", err, sizeof(err));
	if (s) {
		/* frames: the text itself, and its second half, as function/file/module names */
		fr[0] = (struct dmasan_supp_frame){ copy, NULL, copy + size / 2 };
		fr[1] = (struct dmasan_supp_frame){ NULL, copy + size / 2, NULL };
		for (unsigned int i = 0; i < dmasan_supp_count(s) + 1; i++) {
			unsigned long hits;
			const char *rule = dmasan_supp_rule(s, i, &hits);

			if (rule)
				dmasan_supp_match(s, rule, fr, 2);
		}
		dmasan_supp_match(s, "mapping-leak", fr, 2);
		dmasan_supp_free(s);
	} else if (!err[0]) {
		abort(); /* a refusal always says why */
	}
	dmasan_supp_pattern_match(copy, copy + size / 2);
	free(copy);
	return 0;
}
