// SPDX-License-Identifier: MIT
/*
 * sigaction/signal, for the mprotect backend's lazy give-back: a page the CPU owns may stay
 * closed until its first touch, which only our SIGSEGV handler resolves. A program installing
 * its own SIGSEGV handler (docs/ownership.md: that turns the backend off) must not see such a
 * fault in a correct access, so the held pages open first and none are held afterwards.
 * libc's internal calls bypass these wrappers; they install no SIGSEGV handler.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>

#include "common/visibility.h"
#include "ownership/cpu_access_mprotect.h"

typedef int sigaction_fn(int, const struct sigaction *, struct sigaction *);
typedef sighandler_t signal_fn(int, sighandler_t);

static _Atomic(sigaction_fn *) next_sigaction;
static _Atomic(signal_fn *) next_signal;

/* Uninstrumented: a sanitizer runtime (TSan) installs its handlers through these wrappers while
 * it initialises, before instrumented code may run. */
#define EARLY __attribute__((no_sanitize_address, no_sanitize_thread))

static void before_segv_handler(const struct sigaction *act)
{
	if (act && !((act->sa_flags & SA_SIGINFO) && mp_is_handler(act->sa_sigaction)))
		mp_lazy_stop();
}

DMASAN_EXPORT EARLY int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	sigaction_fn *fn = atomic_load(&next_sigaction);

	if (!fn) {
		fn = (sigaction_fn *)dlsym(RTLD_NEXT, "sigaction");
		atomic_store(&next_sigaction, fn);
	}
	if (sig == SIGSEGV && mp_lazy_on())
		before_segv_handler(act);
	return fn(sig, act, old);
}

DMASAN_EXPORT EARLY sighandler_t signal(int sig, sighandler_t handler)
{
	signal_fn *fn = atomic_load(&next_signal);

	if (!fn) {
		fn = (signal_fn *)dlsym(RTLD_NEXT, "signal");
		atomic_store(&next_signal, fn);
	}
	if (sig == SIGSEGV && mp_lazy_on())
		mp_lazy_stop();
	return fn(sig, handler);
}
