/* SPDX-License-Identifier: MIT */
/*
 * libkdma's services (src/common/kdma_hooks.h), as the sanitizer reaches them: the only way it
 * learns about libkdma's objects. NULL until libkdma attaches, and always in unit tests that run
 * the sanitizer's modules without libkdma; every caller has an answer for "unknown".
 */
#ifndef DMASAN_SAN_RT_SERVICES_H
#define DMASAN_SAN_RT_SERVICES_H

#include <stddef.h>

#include "common/kdma_hooks.h"

extern const struct kdma_services *san_kdma;

/* The member's function pointer, or NULL when libkdma is absent or older than the member. */
#define SAN_KDMA(member)                                                                      \
	(san_kdma && san_kdma->size >= offsetof(struct kdma_services, member) + sizeof(void *)   \
		 ? san_kdma->member                                                             \
		 : NULL)

#endif
