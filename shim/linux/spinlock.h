/* SPDX-License-Identifier: MIT */
/*
 * <linux/spinlock.h> — spinlocks on pthread mutexes (a waiting thread sleeps instead of
 * spinning, which a simulated device thread on a small machine needs). irqsave/bh variants take
 * the same lock; the saved flags are 0: there are no interrupts to mask.
 */
#ifndef _DMASAN_SHIM_LINUX_SPINLOCK_H
#define _DMASAN_SHIM_LINUX_SPINLOCK_H

#include <pthread.h>

#include <linux/types.h>
#include <linux/compiler.h>

typedef struct spinlock {
	pthread_mutex_t m;
} spinlock_t;
typedef spinlock_t raw_spinlock_t;

typedef struct {
	pthread_rwlock_t l;
} rwlock_t;

#define __SPIN_LOCK_UNLOCKED(name) { PTHREAD_MUTEX_INITIALIZER }
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define DEFINE_RAW_SPINLOCK(x) DEFINE_SPINLOCK(x)
#define __RW_LOCK_UNLOCKED(name) { PTHREAD_RWLOCK_INITIALIZER }
#define DEFINE_RWLOCK(x) rwlock_t x = __RW_LOCK_UNLOCKED(x)

static inline void spin_lock_init(spinlock_t *lock)
{
	pthread_mutex_init(&lock->m, NULL);
}

static inline void spin_lock(spinlock_t *lock)
{
	pthread_mutex_lock(&lock->m);
}

static inline void spin_unlock(spinlock_t *lock)
{
	pthread_mutex_unlock(&lock->m);
}

static inline int spin_trylock(spinlock_t *lock)
{
	return pthread_mutex_trylock(&lock->m) == 0;
}

#define spin_lock_bh spin_lock
#define spin_unlock_bh spin_unlock
#define spin_lock_irq spin_lock
#define spin_unlock_irq spin_unlock
#define spin_lock_nested(lock, subclass) spin_lock(lock)
#define spin_lock_irqsave(lock, flags)                                                        \
	do {                                                                                   \
		(flags) = 0;                                                                   \
		spin_lock(lock);                                                               \
	} while (0)
#define spin_lock_irqsave_nested(lock, flags, subclass) spin_lock_irqsave(lock, flags)
#define spin_unlock_irqrestore(lock, flags)                                                   \
	do {                                                                                   \
		(void)(flags);                                                                 \
		spin_unlock(lock);                                                             \
	} while (0)
#define spin_trylock_irqsave(lock, flags) ({ (flags) = 0; spin_trylock(lock); })
#define spin_trylock_bh spin_trylock
#define assert_spin_locked(lock) ((void)(lock))

#define raw_spin_lock_init spin_lock_init
#define raw_spin_lock spin_lock
#define raw_spin_unlock spin_unlock
#define raw_spin_trylock spin_trylock
#define raw_spin_lock_irqsave spin_lock_irqsave
#define raw_spin_unlock_irqrestore spin_unlock_irqrestore
#define raw_spin_lock_irq spin_lock
#define raw_spin_unlock_irq spin_unlock

static inline void rwlock_init(rwlock_t *lock)
{
	pthread_rwlock_init(&lock->l, NULL);
}

#define read_lock(lock) pthread_rwlock_rdlock(&(lock)->l)
#define read_unlock(lock) pthread_rwlock_unlock(&(lock)->l)
#define write_lock(lock) pthread_rwlock_wrlock(&(lock)->l)
#define write_unlock(lock) pthread_rwlock_unlock(&(lock)->l)
#define read_lock_bh read_lock
#define read_unlock_bh read_unlock
#define write_lock_bh write_lock
#define write_unlock_bh write_unlock
#define read_lock_irqsave(lock, flags) ((flags) = 0, read_lock(lock))
#define read_unlock_irqrestore(lock, flags) ((void)(flags), read_unlock(lock))
#define write_lock_irqsave(lock, flags) ((flags) = 0, write_lock(lock))
#define write_unlock_irqrestore(lock, flags) ((void)(flags), write_unlock(lock))

/* No interrupts to mask. */
#define local_irq_save(flags) ((flags) = 0)
#define local_irq_restore(flags) ((void)(flags))
#define local_irq_disable() do {} while (0)
#define local_irq_enable() do {} while (0)
#define local_bh_disable() do {} while (0)
#define local_bh_enable() do {} while (0)

#endif
