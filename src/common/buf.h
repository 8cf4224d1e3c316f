/* SPDX-License-Identifier: MIT */
/*
 * Output without stdio: text is formatted into a caller's fixed buffer and written with write(2)
 * when the buffer is full and on flush, so the runtime can report inside an allocation or with
 * the program's stdio locks held. dmasan-report renders through the same buffers (fd = fileno()
 * of its output after an fflush).
 */
#ifndef DMASAN_COMMON_BUF_H
#define DMASAN_COMMON_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* A fixed-size output buffer bound to a file descriptor (or, in dmasan-report, to a stdio
 * stream); flushed when full and on demand. */
struct dmasan_buf {
	int fd;
	size_t len;
	size_t cap;
	char *data;
	FILE *file; /* non-NULL: flushed with fwrite instead (never in the runtime) */
	int err;    /* errno of the first failed write; later flushes drop their text */
};

#define DMASAN_BUF_INIT(fd_, storage) { (fd_), 0, sizeof(storage), (storage), NULL, 0 }
#define DMASAN_BUF_FILE(file_, storage) { -1, 0, sizeof(storage), (storage), (file_), 0 }

void dmasan_buf_printf(struct dmasan_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dmasan_buf_vprintf(struct dmasan_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void dmasan_buf_puts(struct dmasan_buf *b, const char *s);
void dmasan_buf_putc(struct dmasan_buf *b, char c);
/* s as the inside of a JSON string (quotes not included). */
void dmasan_buf_json_str(struct dmasan_buf *b, const char *s);
void dmasan_buf_flush(struct dmasan_buf *b);

/* Write all of len bytes to fd (retrying on EINTR and short writes): 0, or the errno of the
 * write that failed (EIO when the file takes no more bytes). */
int dmasan_write_all(int fd, const char *p, size_t len);

#endif
