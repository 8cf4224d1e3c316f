/* SPDX-License-Identifier: MIT */
/*
 * fork() with threads: rt/fork.c takes every lock of the runtime before fork() and releases
 * them after it, in the parent and in the child, so the child never inherits a lock another
 * thread held (which it could never release) nor data that thread was half-way through
 * changing. Each module that owns locks provides the pair below; fork.c calls them in one fixed
 * order (see there). san_X_fork_unlock(true) also resets what the child must not inherit.
 */
#ifndef DMASAN_SAN_RT_FORK_H
#define DMASAN_SAN_RT_FORK_H

#include <stdbool.h>

void san_dump_fork_lock(void);        /* report/dump.c */
void san_dump_fork_unlock(bool child);
void san_leaks_fork_lock(void);       /* checks/leaks.c */
void san_leaks_fork_unlock(bool child);
void san_fence_fork_lock(void);       /* checks/checks_fence.c, fence_table.c */
void san_fence_fork_unlock(bool child);
void san_dmabuf_fork_lock(void);      /* checks/checks_dmabuf.c */
void san_dmabuf_fork_unlock(bool child);
void san_dmaengine_fork_lock(void);   /* checks/checks_dmaengine.c */
void san_dmaengine_fork_unlock(bool child);
void san_shadow_fork_lock(void);      /* ownership/shadow.c */
void san_shadow_fork_unlock(bool child);
void san_mp_fork_lock(void);          /* ownership/cpu_access_mprotect.c */
void san_mp_fork_unlock(bool child);
void san_table_fork_lock(void);       /* table/ */
void san_table_fork_unlock(bool child);
void san_report_fork_lock(void);      /* report/dedup.c, log.c */
void san_report_fork_unlock(bool child);
void san_stacks_fork_lock(void);      /* stacks/symbolize.c, depot.c */
void san_stacks_fork_unlock(bool child);
void san_modules_fork_lock(void);     /* rt/modules.c */
void san_modules_fork_unlock(bool child);
void san_threads_fork_child(void);    /* stacks/threads.c: lock-free, child state only */

/* Registers the handlers (once; from the runtime's start-up). */
void san_fork_init(void);

#endif
