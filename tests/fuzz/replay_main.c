// SPDX-License-Identifier: MIT
/*
 * Without libFuzzer (gcc builds): run each file given, or each file of each directory given,
 * through the harness once. This is how the seed corpus and the regression inputs (inputs that
 * once crashed) run in every build, with or without clang.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		exit(2);
	}
	do {
		if (len == cap && !(buf = realloc(buf, cap = cap ? 2 * cap : 4096)))
			abort();
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 1;
}

static unsigned int run_path(const char *path)
{
	struct dirent **names;
	struct stat st;
	unsigned int runs = 0;
	int n;

	if (stat(path, &st) || !S_ISDIR(st.st_mode))
		return run_file(path);
	n = scandir(path, &names, NULL, alphasort); /* a stable order */
	for (int i = 0; i < n; i++) {
		char sub[4096];

		if (names[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
			runs += run_path(sub);
		}
		free(names[i]);
	}
	free(names);
	return runs;
}

int main(int argc, char **argv)
{
	unsigned int runs = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		runs += run_path(argv[i]);
	fprintf(stderr, "replayed %u inputs\n", runs);
	return runs ? 0 : 1;
}
