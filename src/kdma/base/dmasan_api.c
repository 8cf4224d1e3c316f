// SPDX-License-Identifier: MIT
/*
 * <dmasan/dmasan.h> without the sanitizer: inert fallbacks, so a test links and runs the same with
 * or without libdmasan.so. The preload interposes its own definitions (the test's calls bind to
 * the first definition in the lookup order, which is the preloaded library).
 */
#include <stdio.h>

#include <dmasan/dmasan.h>

#include "base/base.h"

bool dmasan_is_active(void)
{
	return false;
}

unsigned long dmasan_error_count(void)
{
	return 0;
}

unsigned long dmasan_warning_count(void)
{
	return 0;
}

void dmasan_dump_mappings(const char *device_filter)
{
	static atomic_bool said;

	if (!atomic_exchange(&said, true))
		fputs("dmasan: not loaded\n", stderr);
}

void dmasan_check_leaks(void)
{
}
