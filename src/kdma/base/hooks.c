// SPDX-License-Identifier: MIT
/*
 * Attaching the sanitizer: look up the preload's hook getter once, with dlsym(RTLD_DEFAULT), on
 * the first device creation or API call. Without the preload the table stays NULL and every hook
 * site costs one predictable branch.
 */
#include <dlfcn.h>

#include "internal.h"

const struct kdma_hooks *kdma_hooks_table;
atomic_bool kdma_hooks_ready;
bool kdma_kmalloc_page_private;

static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

static void hooks_lookup(void)
{
	kdma_hooks_getter_t getter;

	/* dlsym returns void *; the POSIX-sanctioned way to turn it into a function pointer. */
	*(void **)&getter = dlsym(RTLD_DEFAULT, KDMA_HOOKS_SYMBOL);
	if (getter) {
		const struct kdma_hooks *t = getter();

		if (t && t->size >= sizeof(size_t))
			kdma_hooks_table = t;
	}
	kdma_kmalloc_page_private = KDMA_HOOK_PRESENT(kmalloc_page_private) &&
				    kdma_hooks_table->kmalloc_page_private();
	atomic_store_explicit(&kdma_hooks_ready, true, memory_order_release);
}

void kdma_hooks_init(void)
{
	pthread_once(&hooks_once, hooks_lookup);
}
