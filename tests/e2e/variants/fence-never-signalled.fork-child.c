// SPDX-License-Identifier: MIT
/*
 * fence-never-signalled in a forked child: the parent has a fence pending when it forks (it
 * signals it after the child is gone); the child inherits the record but the fence is the
 * parent's to signal. Only the fence the child makes itself is the child's to signal. The parent
 * exits with the child's status.
 * E2E_ONLY: yes
 */
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_fence.h"

static int child(struct e2e_timeline *tl)
{
	struct dma_fence *own = e2e_fence_new(tl);

	/* published (still referenced) at exit: the fix signals it and lets it go */
	BUGGY((void)own, (dma_fence_signal(own), dma_fence_put(own)));
	return 0;
}

int main(void)
{
	struct e2e_timeline tl;
	struct dma_fence *pending;
	int status;
	pid_t pid;

	e2e_timeline_init(&tl);
	pending = e2e_fence_new(&tl);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		exit(child(&tl));
	waitpid(pid, &status, 0);
	dma_fence_signal(pending);
	dma_fence_put(pending);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
}
