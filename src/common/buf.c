// SPDX-License-Identifier: MIT
/*
 * Raw output (buf.h). vsnprintf into a caller's fixed buffer takes no stdio lock and does not
 * allocate for the conversions used here (%s %d %u %lu %lx %llx %p), so the report path needs
 * neither malloc nor FILE locks after start-up.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "common/buf.h"

int dmasan_write_all(int fd, const char *p, size_t len)
{
	while (len) {
		/* the raw syscall: the sanitizer's output never goes through its own interposers */
		ssize_t n = syscall(SYS_write, fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return EIO;
		p += n;
		len -= n;
	}
	return 0;
}

void dmasan_buf_flush(struct dmasan_buf *b)
{
	if (b->len && b->file)
		fwrite(b->data, 1, b->len, b->file);
	else if (b->len && b->fd >= 0 && !b->err)
		b->err = dmasan_write_all(b->fd, b->data, b->len);
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
