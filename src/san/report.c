/* SPDX-License-Identifier: MIT */
/* Reports (stub: counts only; the text and JSON writers follow). */
#include <string.h>
#include "report.h"
#include "options.h"

#define ERROR DMASAN_ERROR
#define WARNING DMASAN_WARNING
const struct dmasan_check_info dmasan_checks[DMASAN_CHECK__COUNT] = {
#define DMASAN_CHECK(E, id_, sev, grp, ksent, what_, fix_) \
	[DMASAN_CHECK_##E] = { id_, sev, #grp[0], ksent, what_, fix_ },
#include "../common/checks.inc"
#undef DMASAN_CHECK
};
#undef ERROR
#undef WARNING

static unsigned long n_errors, n_warnings, n_suppressed;

void dmasan_report_init(struct dmasan_report *r, enum dmasan_check check, struct device *dev)
{
	memset(r, 0, sizeof(*r));
	r->check = check;
	r->dev = dev;
	r->count = 1;
}

static void add_fact(struct dmasan_report *r, const char *key, enum dmasan_fact_kind kind, u64 num,
		     const char *str)
{
	if (r->nfacts >= DMASAN_MAX_FACTS)
		return;
	r->facts[r->nfacts++] = (struct dmasan_fact){ key, kind, num, str };
}

void dmasan_report_hex(struct dmasan_report *r, const char *key, u64 v)
{
	add_fact(r, key, DMASAN_FACT_HEX, v, NULL);
}

void dmasan_report_u64(struct dmasan_report *r, const char *key, u64 v)
{
	add_fact(r, key, DMASAN_FACT_U64, v, NULL);
}

void dmasan_report_str(struct dmasan_report *r, const char *key, const char *v)
{
	add_fact(r, key, DMASAN_FACT_STR, 0, v);
}

void dmasan_report_related(struct dmasan_report *r, const char *what, const char *title,
			   dmasan_stack_id stack, unsigned int tid)
{
	if (r->nrelated >= DMASAN_MAX_RELATED)
		return;
	r->related[r->nrelated++] = (struct dmasan_related){ what, title, stack, tid };
}

bool dmasan_report_emit(struct dmasan_report *r)
{
	if (!dmasan_check_enabled(r->check) || !dmasan_device_selected(r->dev))
		return false;
	if (dmasan_checks[r->check].severity == DMASAN_ERROR)
		__atomic_add_fetch(&n_errors, 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&n_warnings, 1, __ATOMIC_RELAXED);
	return true;
}

bool dmasan_check_enabled(enum dmasan_check c)
{
	return (unsigned int)c < DMASAN_CHECK__COUNT && dmasan_opts.check[c];
}

bool dmasan_device_selected(const struct device *dev)
{
	return true;
}

void dmasan_report_counts(unsigned long *errors, unsigned long *warnings, unsigned long *suppressed)
{
	if (errors)
		*errors = n_errors;
	if (warnings)
		*warnings = n_warnings;
	if (suppressed)
		*suppressed = n_suppressed;
}
