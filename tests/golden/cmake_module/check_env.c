// SPDX-License-Identifier: MIT
/* "marked": the preload and the options are set as DmasanTest.cmake promises; "unmarked": not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *pre = getenv("LD_PRELOAD"), *opts = getenv("DMASAN_OPTIONS");
	int marked = pre && strstr(pre, "fake_dmasan") && opts && strstr(opts, "json_path=") &&
		     strstr(opts, "detect_leaks=1");

	printf("LD_PRELOAD=%s\nDMASAN_OPTIONS=%s\n", pre ? pre : "", opts ? opts : "");
	if (argc > 1 && !strcmp(argv[1], "unmarked"))
		return marked ? 1 : 0;
	return marked ? 0 : 1;
}
