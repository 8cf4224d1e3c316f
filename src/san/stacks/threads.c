// SPDX-License-Identifier: MIT
/*
 * The thread registry: report ids ("T0" is the thread that ran the constructors) and each
 * thread's stack bounds, for map-from-stack on any thread's stack. A thread registers its bounds
 * (pthread_getattr_np) the first time it enters the sanitizer and unregisters at exit (a
 * pthread key destructor); the main thread's stack comes from /proc/self/maps at start-up.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/log.h"
#include "rt/fork.h"
#include "stacks/threads.h"


#define MAX_STACKS 1024

static struct {
	atomic_uintptr_t lo, hi;
} stacks[MAX_STACKS];
static atomic_int stacks_used; /* slots ever used: scans stop there */
static int main_slot = -1;
static atomic_bool full_noted;

__thread int san_my_stack_slot __attribute__((tls_model("initial-exec"))) = -1;
static __thread uintptr_t my_lo __attribute__((tls_model("initial-exec")));
static __thread uintptr_t my_hi __attribute__((tls_model("initial-exec")));
static pthread_key_t stack_key;
static pthread_once_t stack_once = PTHREAD_ONCE_INIT;

static void stack_unregister(void *slot_plus_one)
{
	int slot = (int)(uintptr_t)slot_plus_one - 1;

	if (slot >= 0 && slot < MAX_STACKS) {
		atomic_store(&stacks[slot].hi, 0);
		atomic_store(&stacks[slot].lo, 0);
	}
}

static void stack_key_create(void)
{
	pthread_key_create(&stack_key, stack_unregister);
}

static int stack_slot_add(uintptr_t lo, uintptr_t hi)
{
	for (int i = 0; i < MAX_STACKS; i++) {
		uintptr_t zero = 0;

		if (atomic_compare_exchange_strong(&stacks[i].lo, &zero, lo)) {
			int used = atomic_load(&stacks_used);

			atomic_store(&stacks[i].hi, hi);
			while (used <= i && !atomic_compare_exchange_weak(&stacks_used, &used, i + 1))
				;
			return i;
		}
	}
	return -1;
}

void san_thread_register_slow(void)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;

	san_my_stack_slot = -2; /* tried */
	if (pthread_getattr_np(pthread_self(), &attr))
		return;
	if (!pthread_attr_getstack(&attr, &addr, &size)) {
		my_lo = (uintptr_t)addr;
		my_hi = (uintptr_t)addr + size;
		if (getpid() != gettid()) { /* the main thread is registered from /proc */
			int slot = stack_slot_add(my_lo, my_hi);

			if (slot >= 0) {
				san_my_stack_slot = slot;
				pthread_once(&stack_once, stack_key_create);
				pthread_setspecific(stack_key, (void *)(uintptr_t)(slot + 1));
			} else if (!atomic_exchange(&full_noted, true)) {
				dmasan_log_printf("==%d==DMASanitizer: more than %d threads at once: "
						  "a buffer on the stack of a thread beyond them is seen "
						  "as stack memory only when that thread maps it\n",
						  getpid(), MAX_STACKS);
			}
		}
	}
	pthread_attr_destroy(&attr);
}

/* The main thread's [stack] line of /proc/self/maps (its stack may grow up to the rlimit, but
 * what is mapped is what can be mapped for DMA). Read with plain read(2): no stdio. */
static void main_stack_register(void)
{
	char buf[8192];
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	ssize_t n, have = 0;

	if (fd < 0)
		return;
	for (;;) {
		char *nl, *line = buf;

		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			break;
		have += n;
		buf[have] = 0;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			if (strstr(line, "[stack]")) {
				unsigned long lo = strtoul(line, &line, 16);
				unsigned long hi = strtoul(line + 1, NULL, 16);

				main_slot = stack_slot_add(lo, hi);
				close(fd);
				return;
			}
			line = nl + 1;
		}
		have = buf + have - line;
		memmove(buf, line, have);
	}
	close(fd);
}

void san_threads_init(void)
{
	main_stack_register();
	san_thread_register();
}

/* A forked child has only the forking thread: the other threads' slots are free again (their
 * key destructors never run there). */
void san_threads_fork_child(void)
{
	int used = atomic_load(&stacks_used);

	for (int i = 0; i < used; i++) {
		if (i == san_my_stack_slot || (i == main_slot && san_my_stack_slot < 0))
			continue;
		atomic_store(&stacks[i].hi, 0);
		atomic_store(&stacks[i].lo, 0);
	}
}

bool san_addr_on_stack(uintptr_t lo, uintptr_t hi, uintptr_t *stack_lo,
				  uintptr_t *stack_hi)
{
	if (my_hi && lo < my_hi && hi > my_lo) {
		*stack_lo = my_lo;
		*stack_hi = my_hi;
		return true;
	}
	int used = atomic_load_explicit(&stacks_used, memory_order_acquire);

	for (int i = 0; i < used; i++) {
		uintptr_t slo = atomic_load_explicit(&stacks[i].lo, memory_order_relaxed);
		uintptr_t shi = atomic_load_explicit(&stacks[i].hi, memory_order_relaxed);

		if (!slo && !shi)
			continue;
		if (shi && lo < shi && hi > slo) {
			*stack_lo = slo;
			*stack_hi = shi;
			return true;
		}
	}
	return false;
}

bool san_thread_stack(uintptr_t *lo, uintptr_t *hi)
{
	san_thread_register();
	*lo = my_lo;
	*hi = my_hi;
	return my_hi != 0;
}

bool san_stack_is_current(uintptr_t stack_lo)
{
	return my_hi && stack_lo == my_lo;
}

__thread unsigned int san_tid_plus1 __attribute__((tls_model("initial-exec")));

unsigned int san_thread_id_new(void)
{
	static unsigned int next_tid;

	san_tid_plus1 = __atomic_fetch_add(&next_tid, 1, __ATOMIC_RELAXED) + 1;
	return san_tid_plus1;
}
