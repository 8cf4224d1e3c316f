// SPDX-License-Identifier: MIT
/* Modules of a test program (<linux/module.h>): init and exit functions recorded at start-up by
 * module_init/module_exit, run by the harness when it loads and unloads them. */
#include <pthread.h>
#include <string.h>

#include <linux/module.h>

#include "base/base.h"
#include "mm/mm.h"

#define KDMA_MAX_MODULES 16

struct kdma_module {
	const char *file;
	int (*init)(void);
	void (*exit)(void);
	bool live; /* init ran and succeeded, exit not yet run */
};

static struct kdma_module modules[KDMA_MAX_MODULES];
static int nmodules;
static pthread_mutex_t modules_lock = PTHREAD_MUTEX_INITIALIZER;

void kdma_module_record(const char *file, int (*init)(void), void (*exit)(void))
{
	struct kdma_module *m = NULL;

	pthread_mutex_lock(&modules_lock);
	for (int i = 0; i < nmodules && !m; i++)
		if (!strcmp(modules[i].file, file))
			m = &modules[i];
	if (!m && nmodules < KDMA_MAX_MODULES) {
		m = &modules[nmodules++];
		m->file = file;
	}
	if (m) {
		if (init)
			m->init = init;
		if (exit)
			m->exit = exit;
	}
	pthread_mutex_unlock(&modules_lock);
	if (!m)
		kdma_warn(NULL, "module_init/module_exit in %s: more than %d modules", file,
			  KDMA_MAX_MODULES);
}

int kdma_modules_init(void)
{
	for (int i = 0; i < nmodules; i++) {
		struct kdma_module *m = &modules[i];
		int ret;

		if (m->live || !m->init) {
			m->live = m->live || !m->init;
			continue;
		}
		ret = m->init();
		if (ret) {
			kdma_warn(NULL, "module %s: init failed (%d)", m->file, ret);
			return ret;
		}
		m->live = true;
	}
	return 0;
}

void kdma_modules_exit(void)
{
	for (int i = nmodules - 1; i >= 0; i--) {
		struct kdma_module *m = &modules[i];

		if (!m->live)
			continue;
		m->live = false;
		if (m->exit)
			m->exit();
	}
}
