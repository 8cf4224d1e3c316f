/* SPDX-License-Identifier: MIT */
/*
 * The one export annotation. Both libraries are compiled with hidden visibility; a symbol that
 * must leave the shared object (an interceptor, a public call, the hook table) says so with
 * DMASAN_EXPORT. libkdma does not need it: its public headers are made default-visible as a
 * whole (src/kdma/public_api.h.in).
 */
#ifndef DMASAN_COMMON_VISIBILITY_H
#define DMASAN_COMMON_VISIBILITY_H

#define DMASAN_EXPORT __attribute__((visibility("default")))

#endif
