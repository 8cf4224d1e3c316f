/* SPDX-License-Identifier: MIT */
/* <linux/container_of.h> — the structure containing a member. */
#ifndef _DMASAN_SHIM_LINUX_CONTAINER_OF_H
#define _DMASAN_SHIM_LINUX_CONTAINER_OF_H

#include <stddef.h>

#include <linux/compiler.h>

#define typeof_member(T, m) __typeof__(((T *)0)->m)

/* Like the kernel: a compile error when ptr's type does not match the member's. */
#define container_of(ptr, type, member)                                                       \
	({                                                                                     \
		void *__mptr = (void *)(ptr);                                                  \
		_Static_assert(__same_type(*(ptr), ((type *)0)->member) ||                     \
				       __same_type(*(ptr), void),                              \
			       "pointer type mismatch in container_of()");                     \
		((type *)((char *)__mptr - offsetof(type, member)));                           \
	})

#define container_of_const(ptr, type, member) container_of(ptr, type, member)

#endif
