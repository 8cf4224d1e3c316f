// SPDX-License-Identifier: MIT
/* Stand-in for libdmasan.so: at load, append the records the runtime would write to
 * <json_path>.<pid>.jsonl (json_path taken from DMASAN_OPTIONS, the last one wins). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void fake_dmasan_init(void)
{
	const char *opts = getenv("DMASAN_OPTIONS"), *p, *jp = NULL;
	char path[4096];
	FILE *f;

	for (p = opts; p && (p = strstr(p, "json_path=")); p++)
		jp = p + strlen("json_path=");
	if (!jp)
		return;
	snprintf(path, sizeof(path), "%.*s.%d.jsonl", (int)strcspn(jp, ":"), jp, (int)getpid());
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "{\"type\":\"run\",\"dmasan\":1,\"pid\":%d,\"exe\":\"check_env\",\"options\":\"%s\"}\n",
		(int)getpid(), opts);
	if (getenv("FAKE_DMASAN_VIOLATION"))
		fputs("{\"type\":\"violation\",\"check\":\"double-unmap\",\"severity\":\"error\","
		      "\"message\":\"device driver tries to free DMA memory it has not allocated\","
		      "\"stack\":[{\"pc\":\"0x401000\",\"function\":\"rx_clean\",\"file\":\"rx.c\","
		      "\"line\":12}]}\n", f);
	fputs("{\"type\":\"summary\",\"errors\":0,\"warnings\":0,\"suppressed\":0}\n", f);
	fclose(f);
}
