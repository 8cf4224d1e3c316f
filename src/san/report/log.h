/* SPDX-License-Identifier: MIT */
/*
 * Output without stdio: reports are formatted into fixed buffers and written with write(2), so a
 * report is safe inside an allocation or with the program's stdio locks held. The text log goes to
 * log_path (stderr by default, else "<log_path>.<pid>"); JSON Lines to "<json_path>.<pid>.jsonl".
 */
#ifndef DMASAN_SAN_LOG_H
#define DMASAN_SAN_LOG_H

#include <stdbool.h>
#include "common/buf.h"

/* Forget the open log and JSON files (a forked child: its own files, under its pid). The files
 * named by log_path and json_path are opened on first use; a file that cannot be opened gives a
 * message on stderr and falls back to stderr (log) or no JSON. */
void dmasan_log_open(void);
/* fork (rt/fork.c): the lock that guards opening them. */
void dmasan_log_fork_lock(void);
void dmasan_log_fork_unlock(void);
/* At start-up: create the directories of log_path and json_path (like mkdir -p) and say on stderr
 * when files cannot be created there, so a CI run does not lose its reports silently. */
void dmasan_log_check_paths(void);
/* File descriptors: the text log (stderr if none) and the JSON Lines file (-1 if none). The JSON
 * file is created with its "run" record on the first call. */
int dmasan_log_fd(void);
int dmasan_json_fd(void);
/* Whether the JSON file has been created (without creating it). */
bool dmasan_json_opened(void);
/* After a JSON record's last flush: a failed write (b->err) says so once on the log, takes a cut
 * record back off the file and stops JSON output; dmasan_json_fd() then returns -1 and counts
 * each record asked for as lost. */
void dmasan_json_written(const struct dmasan_buf *b);
/* Whether fd is the JSON file and its writes failed (a writer of several records stops). */
bool dmasan_json_failed_fd(int fd);
/* JSON records lost so far, and the errno that began it (0: none lost). */
unsigned long dmasan_json_lost(int *err);

/* Flush a buffer of text for the log (b->fd from dmasan_log_fd()). The first failed write says
 * once on stderr that the log failed, and later text goes to stderr; the records cut are counted
 * (dmasan_log_lost). A buffer on any other descriptor is only flushed. Signal-safe. */
void dmasan_log_flush(struct dmasan_buf *b);
/* Text records cut by failed log writes so far, and the errno of the first (0: none). */
unsigned long dmasan_log_lost(int *err);

/* A one-off message line "==PID==<text>\n" to the log (start-up notes, warnings). */
void dmasan_log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same to stderr, for option errors before the log is open. */
void dmasan_err_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
