/* SPDX-License-Identifier: MIT */
/*
 * <linux/rcupdate.h> — RCU-protected pointers. Publishing and reading are the kernel's (a
 * release store, a dependent load); read-side sections are compiler barriers and
 * synchronize_rcu() waits for no reader, so a test must not race a reader with the update that
 * removes what it reads.
 */
#ifndef _DMASAN_SHIM_LINUX_RCUPDATE_H
#define _DMASAN_SHIM_LINUX_RCUPDATE_H

#include <linux/compiler.h>

#define rcu_read_lock() barrier()
#define rcu_read_unlock() barrier()
#define rcu_read_lock_bh() barrier()
#define rcu_read_unlock_bh() barrier()
#define synchronize_rcu() barrier()
#define rcu_dereference(p) __atomic_load_n(&(p), __ATOMIC_CONSUME)
#define rcu_dereference_bh(p) rcu_dereference(p)
#define rcu_dereference_protected(p, c) (p)
#define rcu_dereference_raw(p) rcu_dereference(p)
#define rcu_access_pointer(p) READ_ONCE(p)
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v) WRITE_ONCE(p, v)

#endif
