/* SPDX-License-Identifier: MIT */
/*
 * Raw output. vsnprintf into a caller's fixed buffer takes no stdio lock and does not allocate for
 * the conversions used here (%s %d %u %lu %lx %llx %p), so the report path needs neither malloc nor
 * FILE locks after start-up.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "report/log.h"
#include "rt/options.h"
#include "rt/runtime.h"

/* The files are opened on first use, so processes that never report (the shell, ctest, python
 * under `dmasan -- ctest`) leave no files behind. -2: not opened yet. */
static int log_fd = -2;
static int json_fd = -2;
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;

void dmasan_write_all(int fd, const char *p, size_t len)
{
	while (len) {
		/* the raw syscall: the sanitizer's output never goes through its own interposers */
		ssize_t n = syscall(SYS_write, fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= n;
	}
}

void dmasan_buf_flush(struct dmasan_buf *b)
{
	if (b->len && b->fd >= 0)
		dmasan_write_all(b->fd, b->data, b->len);
	b->len = 0;
}

static void buf_append(struct dmasan_buf *b, const char *s, size_t n)
{
	while (n) {
		size_t room = b->cap - b->len;

		if (!room) {
			dmasan_buf_flush(b);
			room = b->cap;
		}
		if (room > n)
			room = n;
		memcpy(b->data + b->len, s, room);
		b->len += room;
		s += room;
		n -= room;
	}
}

void dmasan_buf_vprintf(struct dmasan_buf *b, const char *fmt, va_list ap)
{
	char tmp[512]; /* one formatted piece; longer pieces are cut (only paths can be that long) */
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);

	if (n < 0)
		return;
	buf_append(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void dmasan_buf_printf(struct dmasan_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dmasan_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void dmasan_buf_puts(struct dmasan_buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void dmasan_buf_putc(struct dmasan_buf *b, char c)
{
	buf_append(b, &c, 1);
}

void dmasan_buf_json_str(struct dmasan_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

		if (c == '"' || c == '\\') {
			buf_append(b, "\\", 1);
			buf_append(b, (const char *)&c, 1);
		} else if (c == '\n') {
			buf_append(b, "\\n", 2);
		} else if (c == '\t') {
			buf_append(b, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f) {
			buf_append(b, esc, sizeof(esc));
		} else {
			buf_append(b, (const char *)&c, 1);
		}
	}
}

/* Open "<prefix><suffix>" with the pid inserted; 'stderr'/'stdout' are the standard streams. */
static int open_output(const char *prefix, const char *suffix, int fallback)
{
	char path[4096];
	int fd;

	if (!prefix || !*prefix)
		return fallback;
	if (!strcmp(prefix, "stderr"))
		return 2;
	if (!strcmp(prefix, "stdout"))
		return 1;
	snprintf(path, sizeof(path), "%s.%d%s", prefix, (int)getpid(), suffix);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		dmasan_err_printf("DMASanitizer: cannot open %s: %s; writing to %s instead\n", path,
				  strerror(errno), fallback == 2 ? "stderr" : "nothing");
		return fallback;
	}
	return fd;
}

void dmasan_log_open(void)
{
	pthread_mutex_lock(&open_lock);
	if (log_fd > 2)
		close(log_fd);
	if (json_fd > 2)
		close(json_fd);
	__atomic_store_n(&log_fd, -2, __ATOMIC_RELEASE);
	__atomic_store_n(&json_fd, -2, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&open_lock);
}

int dmasan_log_fd(void)
{
	int fd = __atomic_load_n(&log_fd, __ATOMIC_ACQUIRE);

	if (fd != -2)
		return fd;
	pthread_mutex_lock(&open_lock);
	if (log_fd == -2)
		__atomic_store_n(&log_fd, open_output(dmasan_opts.log_path, "", 2), __ATOMIC_RELEASE);
	fd = log_fd;
	pthread_mutex_unlock(&open_lock);
	return fd;
}

int dmasan_json_fd(void)
{
	int fd = __atomic_load_n(&json_fd, __ATOMIC_ACQUIRE);
	bool opened = false;

	if (fd != -2)
		return fd;
	pthread_mutex_lock(&open_lock);
	if (json_fd == -2) {
		__atomic_store_n(&json_fd, open_output(dmasan_opts.json_path, ".jsonl", -1),
				 __ATOMIC_RELEASE);
		opened = json_fd >= 0;
	}
	fd = json_fd;
	pthread_mutex_unlock(&open_lock);
	if (opened)
		dmasan_report_write_run(); /* a file starts with its run record */
	return fd;
}

bool dmasan_json_opened(void)
{
	return __atomic_load_n(&json_fd, __ATOMIC_ACQUIRE) >= 0;
}

static __attribute__((format(printf, 2, 0))) void vline(int fd, const char *fmt, va_list ap)
{
	char storage[1024];
	struct dmasan_buf b = DMASAN_BUF_INIT(fd, storage);

	dmasan_buf_printf(&b, "==%d==", (int)getpid());
	dmasan_buf_vprintf(&b, fmt, ap);
	dmasan_buf_flush(&b);
}

void dmasan_log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(dmasan_log_fd(), fmt, ap);
	va_end(ap);
}

void dmasan_err_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(2, fmt, ap);
	va_end(ap);
}
