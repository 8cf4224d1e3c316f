/* SPDX-License-Identifier: MIT */
/*
 * <linux/moduleparam.h> — parameters keep the value the driver initialises them with; a harness
 * that needs another value compiles the driver with a define of its own.
 */
#ifndef _DMASAN_SHIM_LINUX_MODULEPARAM_H
#define _DMASAN_SHIM_LINUX_MODULEPARAM_H

/* A harmless file-scope declaration, so "MACRO(...);" is valid where the kernel allows it. */
#define __KDMA_MODULE_NOTHING extern int __kdma_module_unused_decl

#define MODULE_PARM_DESC(name, desc) __KDMA_MODULE_NOTHING
#define module_param(name, type, perm) __KDMA_MODULE_NOTHING
#define module_param_named(name, value, type, perm) __KDMA_MODULE_NOTHING
#define module_param_array(name, type, nump, perm) __KDMA_MODULE_NOTHING
#define module_param_string(name, string, len, perm) __KDMA_MODULE_NOTHING
#define module_param_cb(name, ops, arg, perm) __KDMA_MODULE_NOTHING

#endif
