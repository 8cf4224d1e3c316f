/* SPDX-License-Identifier: MIT */
/*
 * Output without stdio: reports are formatted into fixed buffers and written with write(2), so a
 * report is safe inside an allocation or with the program's stdio locks held. The text log goes to
 * log_path (stderr by default, else "<log_path>.<pid>"); JSON Lines to "<json_path>.<pid>.jsonl".
 */
#ifndef DMASAN_SAN_LOG_H
#define DMASAN_SAN_LOG_H

#include <stdarg.h>
#include <stddef.h>

/* A fixed-size output buffer bound to a file descriptor; flushed when full and on demand. */
struct dmasan_buf {
	int fd;
	size_t len;
	size_t cap;
	char *data;
};

#define DMASAN_BUF_INIT(fd_, storage) { (fd_), 0, sizeof(storage), (storage) }

void dmasan_buf_printf(struct dmasan_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dmasan_buf_vprintf(struct dmasan_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void dmasan_buf_puts(struct dmasan_buf *b, const char *s);
void dmasan_buf_putc(struct dmasan_buf *b, char c);
/* s as the inside of a JSON string (quotes not included). */
void dmasan_buf_json_str(struct dmasan_buf *b, const char *s);
void dmasan_buf_flush(struct dmasan_buf *b);

/* Write all of len bytes to fd (retrying on EINTR and short writes). */
void dmasan_write_all(int fd, const char *p, size_t len);

/* Open the log and JSON files for the current pid from the options (log_path, json_path).
 * Called at start-up and again in a forked child. Errors opening a file: message on stderr and
 * fall back to stderr (log) or no JSON. */
void dmasan_log_open(void);
/* File descriptors: the text log (stderr if none) and the JSON Lines file (-1 if none). */
int dmasan_log_fd(void);
int dmasan_json_fd(void);

/* A one-off message line "==PID==<text>\n" to the log (start-up notes, warnings). */
void dmasan_log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same to stderr, for option errors before the log is open. */
void dmasan_err_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
