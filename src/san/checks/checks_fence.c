// SPDX-License-Identifier: MIT
/*
 * The fence rules. The sanitizer follows each fence from the hook's events (it never reads a
 * struct dma_fence): its references, whether and by whom it was signalled, its queued callbacks,
 * and whether it was released. Each thread knows whether it is inside a signalling critical
 * section (dma_fence_begin_signalling, which dma_fence_signal enters around the callbacks).
 *
 * A container (dma_fence_array, dma_fence_chain) signals only when someone needs its signal and
 * its fences have signalled: its own signal is nobody's duty, so a live container at exit is
 * only ever a leak, whatever its state; the fences it holds are checked as fences.
 *
 * fence-callback-lost cannot see the ignored return value itself; it sees the consequence: a
 * callback rejected with -ENOENT lives in a kmalloc object, and that object is still allocated
 * at exit, so whatever the callback was meant to do with it (complete, free, hand on) never
 * happened. Callbacks on the stack or in static memory are not followed.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <linux/device.h>

#include "rt/fork.h"
#include "checks/checks.h"
#include "checks/checks_fence.h"
#include "checks/fence_table.h"
#include "checks/checks_dmabuf.h"
#include "rt/options.h"
#include "rt/services.h"

static __thread bool in_signalling __attribute__((tls_model("initial-exec")));
static __thread dmasan_stack_id signalling_stack __attribute__((tls_model("initial-exec")));

/* ---- reports ---- */

struct fence_report {
	struct dmasan_report r;
	char headline[160];
};

static void fence_report_start(struct fence_report *fr, enum dmasan_check c,
			       const struct san_fence *f, dmasan_stack_id stack)
{
	struct san_call call = { NULL, stack, dmasan_thread_id() };

	san_report_start(&fr->r, c, &call);
	snprintf(fr->headline, sizeof(fr->headline), "on fence %p (%s:%s context %llu seqno %llu)",
		 f->key, f->driver, f->timeline, (unsigned long long)f->context,
		 (unsigned long long)f->seqno);
	fr->r.headline_extra = fr->headline;
	dmasan_report_hex(&fr->r, "fence", (u64)(uintptr_t)f->key);
	dmasan_report_u64(&fr->r, "context", f->context);
	dmasan_report_u64(&fr->r, "seqno", f->seqno);
	dmasan_report_str(&fr->r, "timeline", f->timeline);
}

static void fence_report_stacks(struct fence_report *fr, const struct san_fence *f)
{
	dmasan_report_related(&fr->r, "fence_init", "fence created by", f->init_stack,
			      f->init_tid);
	if (f->signal_stack)
		dmasan_report_related(&fr->r, "fence_signal", "first signalled by",
				      f->signal_stack, f->signal_tid);
	if (f->release_stack)
		dmasan_report_related(&fr->r, "fence_release", "released (last put) by",
				      f->release_stack, f->release_tid);
}

static const char *const event_call[] = {
	[KDMA_FENCE_GET] = "dma_fence_get",
	[KDMA_FENCE_PUT] = "dma_fence_put",
	[KDMA_FENCE_SIGNAL] = "dma_fence_signal",
	[KDMA_FENCE_ADD_CALLBACK] = "dma_fence_add_callback",
	[KDMA_FENCE_REMOVE_CALLBACK] = "dma_fence_remove_callback",
	[KDMA_FENCE_WAIT] = "dma_fence_wait",
	[KDMA_FENCE_RESV_ADD] = "dma_resv_add_fence",
};

/* ---- the state machine, under the table lock ---- */

struct fence_step {
	enum kdma_fence_event ev;
	const struct kdma_fence_info *info;
	dmasan_stack_id stack;
	u32 tid;
	enum dmasan_check found; /* DMASAN_CHECK__COUNT: nothing */
	struct san_fence before;
};

static bool uaf_use(enum kdma_fence_event ev)
{
	return ev == KDMA_FENCE_GET || ev == KDMA_FENCE_PUT || ev == KDMA_FENCE_SIGNAL ||
	       ev == KDMA_FENCE_ADD_CALLBACK || ev == KDMA_FENCE_REMOVE_CALLBACK ||
	       ev == KDMA_FENCE_WAIT || ev == KDMA_FENCE_RESV_ADD;
}

static bool step_fn(struct san_fence *f, void *arg)
{
	struct fence_step *st = arg;
	const struct kdma_fence_info *in = st->info;

	st->before = *f;
	if (st->ev == KDMA_FENCE_INIT) {
		memset(f, 0, sizeof(*f));
		f->key = st->before.key;
		f->state = SAN_FENCE_LIVE;
		f->refs = 1;
		f->container = in->container;
		f->context = in->context;
		f->seqno = in->seqno;
		snprintf(f->driver, sizeof(f->driver), "%s", in->driver ? in->driver : "?");
		snprintf(f->timeline, sizeof(f->timeline), "%s", in->timeline ? in->timeline : "?");
		f->init_stack = st->stack;
		f->init_tid = st->tid;
		return false;
	}
	if (f->state == SAN_FENCE_RELEASED) {
		if (uaf_use(st->ev) && !f->uaf_reported) {
			f->uaf_reported = true; /* one report per released fence */
			st->found = DMASAN_CHECK_FENCE_USE_AFTER_FREE;
			return true;
		}
		return false;
	}
	switch (st->ev) {
	case KDMA_FENCE_GET:
		f->refs++;
		break;
	case KDMA_FENCE_PUT:
		f->refs--;
		break;
	case KDMA_FENCE_RELEASE:
		f->state = SAN_FENCE_RELEASED;
		f->release_stack = st->stack;
		f->release_tid = st->tid;
		f->refs = 0;
		if (!f->signalled && f->pending_cbs)
			st->found = DMASAN_CHECK_FENCE_NEVER_SIGNALLED;
		break;
	case KDMA_FENCE_SIGNAL:
		if (f->driver_signalled) {
			st->found = DMASAN_CHECK_FENCE_DOUBLE_SIGNAL;
			break;
		}
		f->driver_signalled = true;
		/* fall through */
	case KDMA_FENCE_SIGNAL_INTERNAL:
		if (!f->signalled) {
			f->signal_stack = st->stack;
			f->signal_tid = st->tid;
		}
		f->signalled = true;
		f->pending_cbs = 0;
		break;
	case KDMA_FENCE_ADD_CALLBACK:
		if (!f->signalled)
			f->pending_cbs++;
		break;
	case KDMA_FENCE_CALLBACK_REJECTED:
		if (f->pending_cbs && !f->signalled)
			f->pending_cbs--;
		break;
	case KDMA_FENCE_REMOVE_CALLBACK:
		if (in->ret && f->pending_cbs)
			f->pending_cbs--;
		break;
	case KDMA_FENCE_WAIT:
		if (in_signalling)
			st->found = DMASAN_CHECK_FENCE_WAIT_IN_SIGNALLING;
		break;
	default:
		break;
	}
	return st->found != DMASAN_CHECK__COUNT || st->ev == KDMA_FENCE_CALLBACK_REJECTED;
}

/* ---- callbacks rejected with -ENOENT ---- */

#define MAX_REJECTED 1024

struct rejected_cb {
	const void *cb, *obj;
	size_t obj_size;
	struct san_fence fence;
	dmasan_stack_id stack;
	u32 tid;
};

static struct rejected_cb rejected[MAX_REJECTED];
static unsigned int n_rejected;
static pthread_mutex_t rejected_lock = PTHREAD_MUTEX_INITIALIZER;

static void rejected_forget(const void *cb)
{
	pthread_mutex_lock(&rejected_lock);
	for (unsigned int i = 0; i < n_rejected; i++) {
		if (rejected[i].cb == cb) {
			rejected[i] = rejected[--n_rejected];
			break;
		}
	}
	pthread_mutex_unlock(&rejected_lock);
}

static void rejected_add(const void *cb, const struct san_fence *f, dmasan_stack_id stack,
			 u32 tid)
{
	size_t (*span)(const void *, const void **) = SAN_KDMA(kmalloc_span);
	const void *obj = NULL;
	size_t size = span ? span(cb, &obj) : 0;

	if (!size)
		return;
	rejected_forget(cb);
	pthread_mutex_lock(&rejected_lock);
	if (n_rejected < MAX_REJECTED)
		rejected[n_rejected++] = (struct rejected_cb){ cb, obj, size, *f, stack, tid };
	pthread_mutex_unlock(&rejected_lock);
}

/* ---- the hook ---- */

/* A wait on a fence the sanitizer does not follow (the shared stub, or one made before it). */
static void report_wait_in_signalling(const void *fence, dmasan_stack_id stack)
{
	struct san_fence f = { .key = fence, .driver = "?", .timeline = "?" };
	struct fence_report fr;

	fence_report_start(&fr, DMASAN_CHECK_FENCE_WAIT_IN_SIGNALLING, &f, stack);
	if (signalling_stack)
		dmasan_report_related(&fr.r, "signalling", "signalling section entered by",
				      signalling_stack, dmasan_thread_id());
	dmasan_report_emit(&fr.r);
}

void san_on_fence(const void *fence, enum kdma_fence_event ev, const struct kdma_fence_info *info)
{
	struct fence_step st = { .ev = ev, .info = info, .tid = dmasan_thread_id(),
				 .found = DMASAN_CHECK__COUNT };
	struct fence_report fr;
	struct san_fence f;

	if (ev == KDMA_FENCE_BEGIN_SIGNALLING) {
		in_signalling = true;
		signalling_stack = dmasan_stack_capture(0);
		return;
	}
	if (ev == KDMA_FENCE_END_SIGNALLING) {
		in_signalling = false;
		signalling_stack = 0;
		return;
	}
	if (ev == KDMA_FENCE_INIT || ev == KDMA_FENCE_SIGNAL || ev == KDMA_FENCE_RELEASE ||
	    ev == KDMA_FENCE_WAIT || ev == KDMA_FENCE_CALLBACK_REJECTED)
		st.stack = dmasan_stack_capture(0);
	if (ev == KDMA_FENCE_ADD_CALLBACK || ev == KDMA_FENCE_REMOVE_CALLBACK)
		rejected_forget(info->cb);
	if (ev == KDMA_FENCE_RESV_ADD)
		san_dmabuf_resv_add(info->resv, fence, info->usage);
	if (!san_fence_update(fence, ev == KDMA_FENCE_INIT, step_fn, &st, &f)) {
		if (ev == KDMA_FENCE_WAIT && in_signalling)
			report_wait_in_signalling(fence, st.stack);
		return;
	}
	if (ev == KDMA_FENCE_CALLBACK_REJECTED && st.found == DMASAN_CHECK__COUNT) {
		rejected_add(info->cb, &f, st.stack, st.tid);
		return;
	}
	fence_report_start(&fr, st.found, &f, st.stack ? st.stack : dmasan_stack_capture(0));
	switch (st.found) {
	case DMASAN_CHECK_FENCE_USE_AFTER_FREE:
		dmasan_report_str(&fr.r, "call", event_call[ev] ? event_call[ev] : "?");
		break;
	case DMASAN_CHECK_FENCE_NEVER_SIGNALLED:
		dmasan_report_u64(&fr.r, "pending callbacks", st.before.pending_cbs);
		dmasan_report_str(&fr.r, "detected at", "release");
		break;
	case DMASAN_CHECK_FENCE_WAIT_IN_SIGNALLING:
		if (signalling_stack)
			dmasan_report_related(&fr.r, "signalling", "signalling section entered by",
					      signalling_stack, st.tid);
		break;
	default:
		break;
	}
	fence_report_stacks(&fr, &f);
	dmasan_report_emit(&fr.r);
}

/* ---- at exit ---- */

#define EXIT_BATCH 8192
static struct san_fence exit_live[EXIT_BATCH];
static struct rejected_cb exit_rejected[MAX_REJECTED];

void san_fence_at_exit(void)
{
	size_t (*span)(const void *, const void **) = SAN_KDMA(kmalloc_span);
	unsigned int n = san_fence_live(exit_live, EXIT_BATCH), nr;

	for (unsigned int i = 0; i < n; i++) {
		const struct san_fence *f = &exit_live[i];
		struct fence_report fr;

		bool leak = f->signalled || f->container;

		if ((leak && f->refs <= 0) || f->inherited || f->unbind_reported)
			continue;
		/* The report's stack is where the fence was made: one report per creation site. */
		fence_report_start(&fr, leak ? DMASAN_CHECK_FENCE_LEAK
					     : DMASAN_CHECK_FENCE_NEVER_SIGNALLED,
				   f, f->init_stack);
		if (leak)
			dmasan_report_u64(&fr.r, "references", (u64)f->refs);
		else
			dmasan_report_u64(&fr.r, "pending callbacks", f->pending_cbs);
		dmasan_report_str(&fr.r, "detected at", "exit");
		fence_report_stacks(&fr, f);
		dmasan_report_emit(&fr.r);
	}

	pthread_mutex_lock(&rejected_lock);
	nr = n_rejected;
	memcpy(exit_rejected, rejected, nr * sizeof(rejected[0]));
	pthread_mutex_unlock(&rejected_lock);
	for (unsigned int i = 0; i < nr; i++) {
		const struct rejected_cb *rc = &exit_rejected[i];
		const void *obj = NULL;
		struct fence_report fr;

		/* freed (or reused) since: someone did the callback's work */
		if (!span || span(rc->cb, &obj) != rc->obj_size || obj != rc->obj)
			continue;
		fence_report_start(&fr, DMASAN_CHECK_FENCE_CALLBACK_LOST, &rc->fence, rc->stack);
		dmasan_report_hex(&fr.r, "callback", (u64)(uintptr_t)rc->cb);
		dmasan_report_hex(&fr.r, "object", (u64)(uintptr_t)rc->obj);
		dmasan_report_u64(&fr.r, "object size", rc->obj_size);
		dmasan_report_str(&fr.r, "detected at", "exit");
		fence_report_stacks(&fr, &rc->fence);
		dmasan_report_emit(&fr.r);
	}
}

/* ---- at a device's unbind ---- */

#define UNBIND_BATCH 64
static struct san_fence unbind_live[UNBIND_BATCH];
static pthread_mutex_t unbind_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * A fence names its driver (ops->get_driver_name), not its device. When a device goes, the fences
 * of its driver still unsignalled will never be: whoever would have signalled them is gone.
 * Each fence is reported once, at the first unbind of a device of its driver.
 */
void san_fence_device_destroy(struct device *dev)
{
	const char *driver = dev ? dev_driver_string(dev) : NULL;
	dmasan_stack_id stack;
	unsigned int n;

	if (!driver || !*driver)
		return;
	stack = dmasan_stack_capture(0);
	pthread_mutex_lock(&unbind_lock);
	while ((n = san_fence_take_unsignalled(driver, unbind_live, UNBIND_BATCH))) {
		for (unsigned int i = 0; i < n; i++) {
			const struct san_fence *f = &unbind_live[i];
			struct fence_report fr;

			fence_report_start(&fr, DMASAN_CHECK_FENCE_NEVER_SIGNALLED, f, stack);
			fr.r.dev = dev;
			dmasan_report_u64(&fr.r, "pending callbacks", f->pending_cbs);
			dmasan_report_str(&fr.r, "detected at", "device destroy");
			fence_report_stacks(&fr, f);
			dmasan_report_emit(&fr.r);
		}
	}
	pthread_mutex_unlock(&unbind_lock);
}

void san_fence_fork_lock(void)
{
	pthread_mutex_lock(&unbind_lock); /* outermost: held while it takes the table's lock */
	san_fence_table_fork_lock();
	pthread_mutex_lock(&rejected_lock);
}

/* The parent's fences and rejected callbacks are the parent's to report at its exit: the child
 * keeps following the fences it inherited but reports only its own at exit. */
void san_fence_fork_unlock(bool child)
{
	if (child)
		n_rejected = 0;
	pthread_mutex_unlock(&rejected_lock);
	san_fence_table_fork_unlock(child);
	pthread_mutex_unlock(&unbind_lock);
}
