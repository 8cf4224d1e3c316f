// SPDX-License-Identifier: MIT
/*
 * mapping-leak: what is still live when a device is destroyed (after its devres
 * were released, as the kernel's BUS_NOTIFY_UNBOUND_DRIVER) or at process exit; with
 * dump_at_exit, a device's leak also dumps its table before the entries are forgotten.
 * One report per leak site (device + mapping stack) with the count, instead of the kernel's
 * single "one of leaked entries". A leaked handle whose map error was never checked is also unchecked-map-error.
 * In a forked child, mappings inherited from the parent are not the child's leaks.
 */
#include <pthread.h>
#include <string.h>

#include "rt/fork.h"
#include "checks/checks.h"
#include "ownership/ownership_hooks.h"
#include "rt/options.h"
#include "rt/runtime.h"

#define MAX_SITES 1024

struct leak_site {
	struct device *dev;
	dmasan_stack_id stack;
	unsigned long count, unchecked;
	u64 bytes;
	struct san_entry first;
};

/* Leak checks are rare and may be large: one static site table, one at a time. */
static pthread_mutex_t leak_lock = PTHREAD_MUTEX_INITIALIZER;
static struct leak_site sites[MAX_SITES];
static unsigned int n_sites;
static __thread bool in_leak_check __attribute__((tls_model("initial-exec"))); /* a halting report may run the exit-time check */

static void site_add(const struct san_entry *e)
{
	struct leak_site *s = NULL;

	for (unsigned int i = 0; i < n_sites; i++) {
		if (sites[i].dev == e->dev && sites[i].stack == e->map_stack) {
			s = &sites[i];
			break;
		}
	}
	if (!s) {
		/* Past the table's size, the last site absorbs the rest (counts stay right). */
		s = &sites[n_sites < MAX_SITES ? n_sites++ : MAX_SITES - 1];
		if (!s->count) {
			s->dev = e->dev;
			s->stack = e->map_stack;
			san_entry_snapshot(&s->first, e);
		}
	}
	s->count++;
	s->bytes += san_size(e);
	if (san_entry_map_err(e) == SAN_MAPERR_NOT_CHECKED &&
	    !(san_entry_flags(e) & SAN_E_UNCHECKED_REPORTED))
		s->unchecked++;
}

/* A forked child's inherited mappings are its parent's to unmap, never the child's leaks. */
static bool visit_add(struct san_entry *e, void *arg)
{
	if (!san_entry_inherited(e))
		site_add(e);
	return false;
}

static void release(struct san_entry *e, void *arg)
{
	san_shadow_release(e);
	san_entry_free(e);
}

static void report_sites(const char *when)
{
	for (unsigned int i = 0; i < n_sites; i++) {
		struct leak_site *s = &sites[i];
		struct san_call call = { s->dev, s->stack, s->first.tid };
		struct dmasan_report r;

		san_report_start(&r, DMASAN_CHECK_MAPPING_LEAK, &call);
		r.count = s->count;
		dmasan_report_u64(&r, "count", s->count);
		dmasan_report_u64(&r, "bytes", s->bytes);
		dmasan_report_str(&r, "detected at", when);
		san_report_entry(&r, &s->first);
		/* the report's own stack is where the leaked mapping was made */
		dmasan_report_emit(&r);
		if (s->unchecked)
			san_report_unchecked(&call, &s->first, "leak");
	}
	memset(sites, 0, sizeof(sites[0]) * n_sites);
	n_sites = 0;
}

void san_leaks_device(struct device *dev)
{
	bool leaked;

	if (in_leak_check)
		return;
	in_leak_check = true;
	pthread_mutex_lock(&leak_lock);
	san_table_visit_all(dev, visit_add, NULL);
	leaked = n_sites != 0;
	report_sites("device destroy");
	pthread_mutex_unlock(&leak_lock);
	/* Like the kernel printing the leaked entries at unbind: the device's table as the leak left
	 * it, while the entries are still live (dump_on_error already dumped it after the report). */
	if (leaked && dmasan_opts.dump_at_exit && !dmasan_opts.dump_on_error)
		dmasan_runtime_dump_why(NULL, dev, DMASAN_DUMP_DESTROY);
	san_table_drain(dev, NULL, NULL, release, NULL);
	in_leak_check = false;
}

void san_leaks_at_exit(void)
{
	if (in_leak_check)
		return;
	in_leak_check = true;
	pthread_mutex_lock(&leak_lock);
	san_table_visit_all(NULL, visit_add, NULL);
	report_sites("exit");
	pthread_mutex_unlock(&leak_lock);
	in_leak_check = false;
}

void san_leaks_fork_lock(void)
{
	pthread_mutex_lock(&leak_lock);
}

void san_leaks_fork_unlock(bool child)
{
	pthread_mutex_unlock(&leak_lock);
}
