// SPDX-License-Identifier: MIT
/* The check catalogue (src/common/checks.inc) as data for the writers. */
#include <string.h>
#include "common/names.h"
#include "report.h"

#define ERROR SEV_ERROR
#define WARNING SEV_WARNING
const struct check_info check_table[] = {
#define DMASAN_CHECK(E, id_, sev, grp, ksent, what_, why_, fix_) \
	{ .id = id_, .kernel = ksent, .what = what_, .why = why_, .fix = fix_, .severity = sev, \
	  .group = #grp[0] },
#include "common/checks.inc"
#undef DMASAN_CHECK
};
#undef ERROR
#undef WARNING
const unsigned int check_count = sizeof(check_table) / sizeof(check_table[0]);

const struct check_info *check_find(const char *id)
{
	for (unsigned int i = 0; id && i < check_count; i++)
		if (!strcmp(check_table[i].id, id))
			return &check_table[i];
	return NULL;
}

const char *sev_name(enum sev s)
{
	return dmasan_severity_name(s == SEV_ERROR ? 0 : 1);
}
