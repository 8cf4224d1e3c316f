// SPDX-License-Identifier: MIT
/*
 * The check catalogue (common/checks.inc) as the runtime's table.
 */
#include "common/names.h"
#include "report/report.h"

#define ERROR DMASAN_ERROR
#define WARNING DMASAN_WARNING
const struct dmasan_check_info dmasan_checks[DMASAN_CHECK__COUNT] = {
#define DMASAN_CHECK(E, id_, sev, grp, ksent, what_, why_, fix_) \
	[DMASAN_CHECK_##E] = { id_, sev, #grp[0], ksent, what_, why_, fix_ },
#include "common/checks.inc"
#undef DMASAN_CHECK
};
#undef ERROR
#undef WARNING

_Static_assert(DMASAN_ERROR == 0 && DMASAN_WARNING == 1, "names.c's severity order");
