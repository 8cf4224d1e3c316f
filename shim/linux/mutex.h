/* SPDX-License-Identifier: MIT */
/* <linux/mutex.h> — sleeping locks on pthread mutexes. */
#ifndef _DMASAN_SHIM_LINUX_MUTEX_H
#define _DMASAN_SHIM_LINUX_MUTEX_H

#include <pthread.h>

#include <linux/types.h>

struct mutex {
	pthread_mutex_t m;
};

#define __MUTEX_INITIALIZER(name) { PTHREAD_MUTEX_INITIALIZER }
#define DEFINE_MUTEX(name) struct mutex name = __MUTEX_INITIALIZER(name)

static inline void mutex_init(struct mutex *lock)
{
	pthread_mutex_init(&lock->m, NULL);
}

static inline void mutex_destroy(struct mutex *lock)
{
	pthread_mutex_destroy(&lock->m);
}

static inline void mutex_lock(struct mutex *lock)
{
	pthread_mutex_lock(&lock->m);
}

static inline void mutex_unlock(struct mutex *lock)
{
	pthread_mutex_unlock(&lock->m);
}

/* 1 when the lock was taken, 0 when it is held (kernel convention). */
static inline int mutex_trylock(struct mutex *lock)
{
	return pthread_mutex_trylock(&lock->m) == 0;
}

/* No signals interrupt a wait here: always 0 (locked). */
static inline int mutex_lock_interruptible(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

#define mutex_lock_killable mutex_lock_interruptible
#define mutex_lock_nested(lock, subclass) mutex_lock(lock)
#define devm_mutex_init(dev, lock) (mutex_init(lock), 0)

static inline bool mutex_is_locked(struct mutex *lock)
{
	if (pthread_mutex_trylock(&lock->m) != 0)
		return true;
	pthread_mutex_unlock(&lock->m);
	return false;
}

#endif
