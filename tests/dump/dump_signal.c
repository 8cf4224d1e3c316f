// SPDX-License-Identifier: MIT
/*
 * dump_signal=N: the program maps the fixture's buffers, sends itself signal N and waits until
 * the runtime's dump thread has written the dump to the report log (argv[1] is log_path: the
 * log is "<log_path>.<pid>"), then unmaps and exits 0. The wait ends on the log's content; its
 * time limit only bounds a failing run.
 */
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nic.h"

static bool log_has(const char *path, const char *text)
{
	static char buf[1 << 20];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct dump_fixture f;
	char path[4096];
	int sig = argc > 2 ? atoi(argv[2]) : SIGUSR1;

	if (argc < 2) {
		fprintf(stderr, "usage: %s LOG_PATH [SIGNAL]\n", argv[0]);
		return 2;
	}
	snprintf(path, sizeof(path), "%s.%d", argv[1], (int)getpid());
	if (fixture_map(&f))
		return 1;
	kill(getpid(), sig);
	for (int i = 0; i < 6000 && !log_has(path, "end of mapping table dump #1\n"); i++)
		nanosleep(&tick, NULL);
	if (!log_has(path, "end of mapping table dump #1\n")) {
		fprintf(stderr, "dump_signal: no dump in %s after 60 s\n", path);
		return 3;
	}
	fixture_unmap(&f);
	return 0;
}
