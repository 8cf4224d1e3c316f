// SPDX-License-Identifier: MIT
/* The set of live object pointers (src/kdma/base/ptrset.c): states, growth, destroyed pointers
 * remembered while there is room, concurrent writers and lock-free readers, fork. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "kdma/base/base.h"

#define OBJ(i) ((const void *)(uintptr_t)(0x10000 + (uintptr_t)(i) * 64))

Test(ptrset, states)
{
	static struct kdma_ptrset set = KDMA_PTRSET_INIT;

	cr_assert_eq(kdma_ptrset_state(&set, OBJ(1)), KDMA_PTR_UNKNOWN, "empty set");
	cr_assert_eq(kdma_ptrset_add(&set, OBJ(1)), 0);
	cr_assert_eq(kdma_ptrset_state(&set, OBJ(1)), KDMA_PTR_LIVE);
	cr_assert_eq(kdma_ptrset_state(&set, OBJ(2)), KDMA_PTR_UNKNOWN);
	kdma_ptrset_del(&set, OBJ(1));
	cr_assert_eq(kdma_ptrset_state(&set, OBJ(1)), KDMA_PTR_DEAD);
	kdma_ptrset_del(&set, OBJ(1)); /* not live: nothing changes */
	cr_assert_eq(kdma_ptrset_state(&set, OBJ(1)), KDMA_PTR_DEAD);
	cr_assert_eq(kdma_ptrset_add(&set, OBJ(1)), 0, "an address reused by a new object");
	cr_assert_eq(kdma_ptrset_state(&set, OBJ(1)), KDMA_PTR_LIVE);
	/* NULL and odd pointers are never objects */
	cr_assert_eq(kdma_ptrset_add(&set, NULL), -EINVAL);
	cr_assert_eq(kdma_ptrset_add(&set, (const void *)0x10001), -EINVAL);
	cr_assert_eq(kdma_ptrset_state(&set, (const void *)0x10001), KDMA_PTR_UNKNOWN);
	cr_assert_eq(kdma_ptrset_state(&set, NULL), KDMA_PTR_UNKNOWN);
}

Test(ptrset, grows_and_forgets_only_the_dead)
{
	static struct kdma_ptrset set = KDMA_PTRSET_INIT;
	const int n = 20000;

	for (int i = 0; i < n; i++)
		cr_assert_eq(kdma_ptrset_add(&set, OBJ(i)), 0);
	for (int i = 0; i < n; i += 2)
		kdma_ptrset_del(&set, OBJ(i));
	/* churn: many create/destroy cycles at new addresses force rebuilds */
	for (int i = n; i < 8 * n; i++) {
		cr_assert_eq(kdma_ptrset_add(&set, OBJ(i)), 0);
		kdma_ptrset_del(&set, OBJ(i));
	}
	for (int i = 1; i < n; i += 2)
		cr_assert_eq(kdma_ptrset_state(&set, OBJ(i)), KDMA_PTR_LIVE, "object %d", i);
	for (int i = 0; i < n; i += 2)
		cr_assert_neq(kdma_ptrset_state(&set, OBJ(i)), KDMA_PTR_LIVE, "object %d", i);
	cr_assert_eq(kdma_ptrset_state(&set, OBJ(8 * n - 1)), KDMA_PTR_DEAD, "the latest dead");
}

static struct kdma_ptrset shared = KDMA_PTRSET_INIT;

static void *writer(void *arg)
{
	uintptr_t base = (uintptr_t)arg;

	for (uintptr_t i = 0; i < 5000; i++) {
		kdma_ptrset_add(&shared, OBJ(base + i));
		if (i % 3 == 0)
			kdma_ptrset_del(&shared, OBJ(base + i));
	}
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	/* the pinned object stays live whatever the writers rebuild */
	for (int i = 0; i < 50000; i++)
		if (kdma_ptrset_state(&shared, OBJ(1)) != KDMA_PTR_LIVE)
			return (void *)1;
	return NULL;
}

Test(ptrset, concurrent_writers_and_readers)
{
	pthread_t t[6];
	void *ret;

	cr_assert_eq(kdma_ptrset_add(&shared, OBJ(1)), 0);
	for (uintptr_t i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, writer, (void *)(100000 * (i + 1)));
	for (int i = 4; i < 6; i++)
		pthread_create(&t[i], NULL, reader, NULL);
	for (int i = 0; i < 6; i++) {
		pthread_join(t[i], &ret);
		cr_assert_null(ret, "a reader saw the pinned object not live");
	}
	for (uintptr_t w = 1; w <= 4; w++)
		for (uintptr_t i = 0; i < 5000; i++)
			cr_assert_eq(kdma_ptrset_state(&shared, OBJ(100000 * w + i)),
				     i % 3 == 0 ? KDMA_PTR_DEAD : KDMA_PTR_LIVE);
}

Test(ptrset, usable_in_a_forked_child)
{
	static struct kdma_ptrset set = KDMA_PTRSET_INIT;
	int status;
	pid_t pid;

	cr_assert_eq(kdma_ptrset_add(&set, OBJ(1)), 0);
	pid = fork();
	if (pid == 0) {
		/* inherited answers, and the lock is free in the child */
		bool ok = kdma_ptrset_state(&set, OBJ(1)) == KDMA_PTR_LIVE &&
			  kdma_ptrset_add(&set, OBJ(2)) == 0 &&
			  kdma_ptrset_state(&set, OBJ(2)) == KDMA_PTR_LIVE;
		_exit(ok ? 0 : 1);
	}
	cr_assert_gt(pid, 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	cr_assert_eq(kdma_ptrset_state(&set, OBJ(2)), KDMA_PTR_UNKNOWN, "the child's add is its own");
}
