/* SPDX-License-Identifier: MIT */
/* The log and JSON Lines files, opened on first use, and one-off message lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "report/log.h"
#include "rt/options.h"
#include "rt/runtime.h"

/* The files are opened on first use: the log when there is something to say, the JSON file at
 * start-up for a DMA program and at the latest for the summary record at exit (so a process that
 * exec()s or _exit()s, as a child does right after fork(), leaves nothing). -2: not opened yet. */
static int log_fd = -2;
static int json_fd = -2;
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
/* log_path, json_path: start-up already said why their files cannot be created */
static bool log_path_bad, json_path_bad;
/* The JSON file failed after start-up (full disk, file size limit, I/O error, its directory
 * gone when a forked child opens its own): the errno, the records lost since, the file's name,
 * and where its last complete record ends (a cut record is taken back off). */
static int json_err;
static atomic_ulong json_lost;
static char json_name[4096];
static atomic_long json_good_end; /* written by reports and dumps, under different locks */
/* The text log failed after it was opened (full disk, I/O error, a closed descriptor): the errno
 * and descriptor of the first failure, and the text records (reports, dumps, lines) cut since.
 * Lock-free: a dump may write from a signal handler. */
static int log_err, log_failed_fd = -1;
static atomic_ulong log_lost;
static char log_name[4096];

/* Whether a path option names a file prefix (not empty, 'stderr' or 'stdout'). */
static bool names_file(const char *prefix)
{
	return prefix && *prefix && strcmp(prefix, "stderr") && strcmp(prefix, "stdout");
}

/*
 * Create the directory part of the file prefix like `mkdir -p` (0755 before the umask) and check
 * that files can be created in it. Returns 0 or an errno; dir receives the directory's name.
 */
static int make_output_dir(const char *prefix, char *dir, size_t size)
{
	struct stat st;
	char *slash;

	if (strlen(prefix) >= size)
		return ENAMETOOLONG;
	strcpy(dir, prefix);
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		strcpy(dir, "/");
	else
		*slash = '\0';
	for (char *p = dir + 1; strcmp(dir, "."); p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return errno;
		*p = c;
		if (!c)
			break;
	}
	if (stat(dir, &st))
		return errno;
	if (!S_ISDIR(st.st_mode))
		return ENOTDIR;
	return access(dir, W_OK | X_OK) ? errno : 0;
}

void dmasan_log_check_paths(void)
{
	static const char *const what[] = { "text reports go to stderr", "no JSON is written" };
	const char *names[] = { "log_path", "json_path" };
	const char *values[] = { dmasan_opts.log_path, dmasan_opts.json_path };
	bool *bad[] = { &log_path_bad, &json_path_bad };
	char dir[4096];

	for (int i = 0; i < 2; i++) {
		int err;

		if (!names_file(values[i]))
			continue;
		err = make_output_dir(values[i], dir, sizeof(dir));
		*bad[i] = err != 0;
		if (err)
			dmasan_err_printf("ERROR: DMASanitizer: %s=%s: cannot create files in %s: %s; "
					  "%s\n", names[i], values[i], dir, strerror(err), what[i]);
	}
}

/* Open "<prefix><suffix>" with the pid inserted; 'stderr'/'stdout' are the standard streams. */
static int open_output(const char *prefix, const char *suffix, int fallback, bool quiet)
{
	char path[4096];
	int fd, err;

	if (!prefix || !*prefix)
		return fallback;
	if (!strcmp(prefix, "stderr"))
		return 2;
	if (!strcmp(prefix, "stdout"))
		return 1;
	make_output_dir(prefix, path, sizeof(path)); /* removed since start-up: the open says why */
	snprintf(path, sizeof(path), "%s.%d%s", prefix, (int)getpid(), suffix);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	err = errno;
	if (fd < 0 && !quiet)
		dmasan_err_printf("DMASanitizer: cannot open %s: %s; writing to %s instead\n", path,
				  strerror(err), fallback == 2 ? "stderr" : "nothing");
	if (fallback == 2 && fd >= 0)
		strcpy(log_name, path);
	if (fallback < 0) {
		strcpy(json_name, path);
		if (fd < 0 && !quiet) { /* usable at start-up: what this process writes is lost */
			atomic_fetch_add(&json_lost, 1);
			__atomic_store_n(&json_err, err, __ATOMIC_RELEASE);
		}
	}
	return fd < 0 ? fallback : fd;
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
	__atomic_store_n(&json_err, 0, __ATOMIC_RELEASE); /* a forked child's file is its own */
	atomic_store(&json_lost, 0);
	atomic_store(&json_good_end, 0);
	json_name[0] = '\0';
	__atomic_store_n(&log_err, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&log_failed_fd, -1, __ATOMIC_RELAXED);
	atomic_store(&log_lost, 0);
	log_name[0] = '\0';
	pthread_mutex_unlock(&open_lock);
}

void dmasan_log_fork_lock(void)
{
	pthread_mutex_lock(&open_lock);
}

void dmasan_log_fork_unlock(void)
{
	pthread_mutex_unlock(&open_lock);
}

int dmasan_log_fd(void)
{
	int fd = __atomic_load_n(&log_fd, __ATOMIC_ACQUIRE);

	if (fd != -2)
		return fd;
	pthread_mutex_lock(&open_lock);
	if (log_fd == -2)
		__atomic_store_n(&log_fd, open_output(dmasan_opts.log_path, "", 2, log_path_bad), __ATOMIC_RELEASE);
	fd = log_fd;
	pthread_mutex_unlock(&open_lock);
	return fd;
}

int dmasan_json_fd(void)
{
	int fd = __atomic_load_n(&json_fd, __ATOMIC_ACQUIRE);
	bool opened = false;

	if (__atomic_load_n(&json_err, __ATOMIC_ACQUIRE)) {
		atomic_fetch_add(&json_lost, 1); /* every writer asks once per record */
		return -1;
	}
	if (fd != -2)
		return fd;
	pthread_mutex_lock(&open_lock);
	if (json_fd == -2) {
		__atomic_store_n(&json_fd, open_output(dmasan_opts.json_path, ".jsonl", -1, json_path_bad),
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
	return __atomic_load_n(&json_fd, __ATOMIC_ACQUIRE) >= 0 ||
	       __atomic_load_n(&json_err, __ATOMIC_ACQUIRE);
}

void dmasan_json_written(const struct dmasan_buf *b)
{
	int fd = __atomic_load_n(&json_fd, __ATOMIC_ACQUIRE);
	bool first = false;

	if (b->fd < 0 || b->fd != fd)
		return;
	if (!b->err) {
		atomic_store(&json_good_end, (long)lseek(fd, 0, SEEK_CUR));
		return;
	}
	pthread_mutex_lock(&open_lock);
	atomic_fetch_add(&json_lost, 1);
	if (!json_err) {
		/* a record cut by the failure comes off again, so that the file stays whole lines
		 * (only a file of our own: never the program's stdout) */
		if (fd > 2 && atomic_load(&json_good_end) >= 0)
			(void)!ftruncate(fd, (off_t)atomic_load(&json_good_end));
		__atomic_store_n(&json_err, b->err, __ATOMIC_RELEASE);
		first = true;
	}
	pthread_mutex_unlock(&open_lock);
	if (first) /* outside open_lock: the log may be opened now */
		dmasan_log_printf("ERROR: DMASanitizer: json_path: writing %s failed: %s; this and "
				  "later JSON records are lost (text reports continue)\n",
				  *json_name ? json_name : dmasan_opts.json_path, strerror(b->err));
}

bool dmasan_json_failed_fd(int fd)
{
	return fd >= 0 && fd == __atomic_load_n(&json_fd, __ATOMIC_ACQUIRE) &&
	       __atomic_load_n(&json_err, __ATOMIC_ACQUIRE);
}

unsigned long dmasan_json_lost(int *err)
{
	if (err)
		*err = __atomic_load_n(&json_err, __ATOMIC_ACQUIRE);
	return atomic_load(&json_lost);
}

void dmasan_log_flush(struct dmasan_buf *b)
{
	int fd, none = 0;

	dmasan_buf_flush(b);
	if (!b->err || b->fd < 0)
		return;
	fd = __atomic_load_n(&log_fd, __ATOMIC_ACQUIRE);
	if (b->fd != fd && b->fd != __atomic_load_n(&log_failed_fd, __ATOMIC_ACQUIRE))
		return; /* not the log: a caller's descriptor (dmasan_dump_fd) */
	atomic_fetch_add(&log_lost, 1);
	if (!__atomic_compare_exchange_n(&log_err, &none, b->err, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return; /* said already */
	__atomic_store_n(&log_failed_fd, b->fd, __ATOMIC_RELEASE);
	if (b->fd == 2)
		return; /* stderr itself fails: nowhere left to say it */
	/* Later text goes to stderr. The failed descriptor stays open: another thread may be
	 * writing to it, and a closed number could be reused by the program. */
	__atomic_store_n(&log_fd, 2, __ATOMIC_RELEASE);
	dmasan_err_printf("ERROR: DMASanitizer: log_path: writing %s failed: %s; this text is "
			  "lost, later text goes to stderr (checking continues)\n",
			  *log_name ? log_name : dmasan_opts.log_path, strerror(b->err));
}

unsigned long dmasan_log_lost(int *err)
{
	if (err)
		*err = __atomic_load_n(&log_err, __ATOMIC_ACQUIRE);
	return atomic_load(&log_lost);
}

/* A line for the log (log: a failed write is the log's failure) or for stderr. */
static __attribute__((format(printf, 3, 0))) void vline(int fd, bool log, const char *fmt,
							  va_list ap)
{
	char storage[1024];
	struct dmasan_buf b = DMASAN_BUF_INIT(fd, storage);

	dmasan_buf_printf(&b, "==%d==", (int)getpid());
	dmasan_buf_vprintf(&b, fmt, ap);
	if (log)
		dmasan_log_flush(&b);
	else
		dmasan_buf_flush(&b);
}

void dmasan_log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(dmasan_log_fd(), true, fmt, ap);
	va_end(ap);
}

void dmasan_err_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(2, false, fmt, ap);
	va_end(ap);
}
