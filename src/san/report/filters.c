// SPDX-License-Identifier: MIT
/*
 * Which findings are reported: per-check enables, device_filter and the suppressions file.
 */
#include <fnmatch.h>
#include <unistd.h>
#include <linux/device.h>
#include "common/suppress.h"
#include "report/log.h"
#include "report/report_impl.h"
#include "rt/options.h"
#include "rt/runtime.h"

struct dmasan_supp *san_supp_rules;

bool dmasan_check_enabled(enum dmasan_check c)
{
	if (__builtin_expect(!dmasan_runtime_initialized(), 0))
		dmasan_runtime_init();
	return (unsigned int)c < DMASAN_CHECK__COUNT && dmasan_opts.check[c];
}

bool dmasan_device_selected(const struct device *dev)
{
	const char *f = dmasan_opts.device_filter;
	const char *name, *drv;

	if (!f || !*f)
		return true;
	if (!dev)
		return false;
	name = dev_name(dev);
	if (name && !fnmatch(f, name, 0))
		return true;
	drv = dev_driver_string(dev);
	return drv && !fnmatch(f, drv, 0);
}

static void supp_load(void)
{
	char err[1024];

	if (!dmasan_opts.suppressions || !*dmasan_opts.suppressions)
		return;
	san_supp_rules = dmasan_supp_load(dmasan_opts.suppressions, err, sizeof(err));
	if (!san_supp_rules) {
		dmasan_err_printf("ERROR: DMASanitizer: failed to parse suppressions (suppressions=%s): %s\n",
				  dmasan_opts.suppressions, err);
		_exit(DMASAN_CONFIG_ERROR_EXIT);
	}
}

bool san_supp_match(enum dmasan_check c, const struct dmasan_frame *f, unsigned int n)
{
	struct dmasan_supp_frame sf[MAX_SYM_FRAMES];

	if (!san_supp_rules)
		return false;
	for (unsigned int i = 0; i < n; i++)
		sf[i] = (struct dmasan_supp_frame){ f[i].function, f[i].file, f[i].module };
	return dmasan_supp_match(san_supp_rules, dmasan_checks[c].id, sf, n) >= 0;
}

void dmasan_report_setup(void)
{
	supp_load();
}
