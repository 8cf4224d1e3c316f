// SPDX-License-Identifier: MIT
/*
 * dmasan-report's readers and writers: the input is a JSON Lines file and, after the first NUL, a
 * baseline file (both handed over as /proc/self/fd/N of memfds); the first byte picks the output
 * format. The tool runs whole (its main(), renamed), so every reader and writer is on the path.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int dmasan_report_main(int argc, char **argv);

static int memfd_with(const char *name, const uint8_t *data, size_t len, char *path, size_t cap)
{
	int fd = memfd_create(name, 0);

	if (fd < 0)
		return -1;
	if (len && write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	snprintf(path, cap, "/proc/self/fd/%d", fd);
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = { "text", "sarif", "junit", "summary", "dump" };
	const uint8_t *nul;
	char records[64], baseline[64];
	int rfd, bfd = -1, argc = 0;
	char *argv[16];
	uint8_t how;

	if (!size)
		return 0;
	how = data[0];
	data++, size--;
	nul = memchr(data, 0, size);
	rfd = memfd_with("records", data, nul ? (size_t)(nul - data) : size, records, sizeof(records));
	if (rfd < 0)
		return 0;
	if (nul)
		bfd = memfd_with("baseline", nul + 1, size - (size_t)(nul + 1 - data), baseline,
				 sizeof(baseline));
	argv[argc++] = "dmasan-report";
	argv[argc++] = "--format";
	argv[argc++] = (char *)formats[how % 5];
	argv[argc++] = "--dump-format";
	argv[argc++] = how & 8 ? "kernel" : "table";
	argv[argc++] = "--fail-on";
	argv[argc++] = how & 16 ? "warning" : "error";
	argv[argc++] = "-o";
	argv[argc++] = "/dev/null";
	if (how & 32)
		argv[argc++] = "--strip-path-prefix=/src/";
	if (bfd >= 0) {
		argv[argc++] = "--baseline";
		argv[argc++] = baseline;
	}
	argv[argc++] = records;
	argv[argc] = NULL;
	dmasan_report_main(argc, argv);
	close(rfd);
	if (bfd >= 0)
		close(bfd);
	return 0;
}
