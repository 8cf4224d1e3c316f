/* SPDX-License-Identifier: MIT */
/*
 * Start-up, fork and exit of the sanitizer, and the public <dmasan/dmasan.h> functions (these
 * definitions interpose libkdma's inert fallbacks when libdmasan.so is preloaded).
 *
 * Exit status: the constructor registers an on_exit() handler before the program's start-up code
 * registers its own exit work, so it runs last (after the program's atexit handlers and the ELF
 * destructors) and it receives the status the program exited with. There it runs the leak check,
 * writes the summary, and when findings count toward failure and the program's status was 0 it
 * flushes stdio and _exit()s with `exitcode`. A non-zero status of the program is kept.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dmasan/dmasan.h>
#include "common/visibility.h"
#include "stacks/depot.h"
#include "report/log.h"
#include "rt/fork.h"
#include "rt/options.h"
#include "report/report.h"
#include "rt/runtime.h"


static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static bool initialized;
static __thread bool initializing __attribute__((tls_model("initial-exec")));
static bool preloaded; /* running as libdmasan.so (not linked into a unit test) */

/* The leak check (checks/leaks.c) and the table dump (report/dump.c) register themselves, so a
 * unit test can run the runtime with either left out or replaced. */
static void (*leak_cb)(void);
static void (*exit_checks_cb)(void);
static void (*dump_cb)(const char *device_filter, const struct device *dev,
		       enum dmasan_dump_reason why);

static sem_t dump_sem;

/* dump_signal: the handler only posts a semaphore (async-signal-safe); this thread dumps. */
static void *dump_thread(void *arg)
{
	for (;;) {
		while (sem_wait(&dump_sem))
			;
		dmasan_runtime_dump_why(NULL, NULL, DMASAN_DUMP_SIGNAL);
	}
	return arg;
}

static void on_dump_signal(int sig)
{
	sem_post(&dump_sem);
}

static void install_dump_signal(void)
{
	struct sigaction sa;
	sigset_t all, old;
	pthread_t t;

	if (!dmasan_opts.dump_signal || sem_init(&dump_sem, 0, 0))
		return;
	/* the dumping thread never takes the signal itself */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (!pthread_create(&t, NULL, dump_thread, NULL))
		pthread_detach(t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_dump_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(dmasan_opts.dump_signal, &sa, NULL))
		dmasan_log_printf("WARNING: DMASanitizer: cannot handle signal %d for dump_signal\n",
				  dmasan_opts.dump_signal);
}

static void do_init(void)
{
	initializing = true;
	dmasan_options_init();
	dmasan_log_check_paths();
	dmasan_report_setup();
	san_fork_init();
	install_dump_signal();
	if (dmasan_opts.verbosity >= 1)
		dmasan_log_printf("DMASanitizer: active in %s (options: %s)\n",
				  preloaded ? "libdmasan.so" : "a static build",
				  dmasan_options_string());
	__atomic_store_n(&initialized, true, __ATOMIC_RELEASE);
	initializing = false;
}

void dmasan_runtime_init(void)
{
	if (__atomic_load_n(&initialized, __ATOMIC_ACQUIRE) || initializing)
		return; /* initializing: a hook fired by our own start-up (an allocation) */
	pthread_once(&init_once, do_init);
}

bool dmasan_runtime_initialized(void)
{
	return __atomic_load_n(&initialized, __ATOMIC_ACQUIRE);
}

void dmasan_set_leak_callback(void (*fn)(void))
{
	leak_cb = fn;
}

void dmasan_set_exit_checks_callback(void (*fn)(void))
{
	exit_checks_cb = fn;
}

void dmasan_set_dump_reason_callback(void (*fn)(const char *device_filter,
						const struct device *dev,
						enum dmasan_dump_reason why))
{
	dump_cb = fn;
}

void dmasan_runtime_dump(const char *device_filter)
{
	dmasan_runtime_dump_why(device_filter, NULL, DMASAN_DUMP_REQUEST);
}

void dmasan_runtime_dump_why(const char *device_filter, const struct device *dev,
			     enum dmasan_dump_reason why)
{
	if (dump_cb)
		dump_cb(device_filter, dev, why);
	else
		dmasan_log_printf("DMASanitizer: no mapping table to dump\n");
}

static void on_process_exit(int status, void *arg)
{
	if (leak_cb && dmasan_opts.detect_leaks)
		leak_cb();
	if (exit_checks_cb && dmasan_opts.detect_leaks)
		exit_checks_cb();
	if (dmasan_opts.dump_at_exit) /* after the leak reports: the entries are still live */
		dmasan_runtime_dump_why(NULL, NULL, DMASAN_DUMP_EXIT);
	if (dmasan_opts.verbosity >= 1) {
		size_t stacks, bytes;

		dmasan_stack_stats(&stacks, &bytes);
		dmasan_log_printf("DMASanitizer: exit status %d; stack depot: %zu stacks, %zu bytes\n",
				  status, stacks, bytes);
	}
	dmasan_report_finish();
	if (status == 0 && dmasan_report_failed()) {
		fflush(NULL); /* _exit skips stdio's own flush, which would come after us */
		_exit(dmasan_opts.exitcode);
	}
}

/* Whether this code runs inside libdmasan.so (the preload) rather than a static test build. */
static bool in_shared_object(void)
{
	Dl_info dli;
	const char *base;

	if (!dladdr((void *)dmasan_runtime_init, &dli) || !dli.dli_fname)
		return false;
	base = strrchr(dli.dli_fname, '/');
	base = base ? base + 1 : dli.dli_fname;
	return !strncmp(base, "libdmasan", 9);
}

__attribute__((constructor)) static void dmasan_constructor(void)
{
	if (!in_shared_object())
		return; /* unit tests initialise on first use and keep their own exit status */
	preloaded = true;
	dmasan_thread_id(); /* the thread running constructors is T0 */
	dmasan_runtime_init();
	on_exit(on_process_exit, NULL);
	/* A DMA program (libkdma loaded) starts its JSON file now: if it dies before exit (a crash,
	 * kill -9, _exit), the run record without a summary record says so. Other processes (the
	 * shell, ctest) create theirs on first use, as late as at exit, so one that exec()s or
	 * _exit()s right after fork() is not taken for a process that died. */
	if (dlsym(RTLD_DEFAULT, "dmasim_device_create"))
		dmasan_json_fd();
}

/* ------------------------------------------------------------------ <dmasan/dmasan.h> */

DMASAN_EXPORT bool dmasan_is_active(void)
{
	return true;
}

DMASAN_EXPORT unsigned long dmasan_error_count(void)
{
	unsigned long e;

	dmasan_report_counts(&e, NULL, NULL);
	return e;
}

DMASAN_EXPORT unsigned long dmasan_warning_count(void)
{
	unsigned long w;

	dmasan_report_counts(NULL, &w, NULL);
	return w;
}

DMASAN_EXPORT void dmasan_dump_mappings(const char *device_filter)
{
	dmasan_runtime_init();
	dmasan_runtime_dump(device_filter);
}

DMASAN_EXPORT void dmasan_check_leaks(void)
{
	dmasan_runtime_init();
	if (leak_cb)
		leak_cb();
}
