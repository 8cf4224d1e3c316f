/* SPDX-License-Identifier: MIT */
/*
 * <linux/module.h> — module metadata compiles to nothing. module_init/module_exit keep the
 * functions referenced (no unused-function warnings); a test calls them, or the driver's probe,
 * directly.
 */
#ifndef _DMASAN_SHIM_LINUX_MODULE_H
#define _DMASAN_SHIM_LINUX_MODULE_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/init.h>

struct module;
#define THIS_MODULE ((struct module *)0)

/* A harmless file-scope declaration, so "MACRO(...);" is valid where the kernel allows it. */
#define __KDMA_MODULE_NOTHING extern int __kdma_module_unused_decl

#define MODULE_LICENSE(x) __KDMA_MODULE_NOTHING
#define MODULE_AUTHOR(x) __KDMA_MODULE_NOTHING
#define MODULE_DESCRIPTION(x) __KDMA_MODULE_NOTHING
#define MODULE_VERSION(x) __KDMA_MODULE_NOTHING
#define MODULE_ALIAS(x) __KDMA_MODULE_NOTHING
#define MODULE_FIRMWARE(x) __KDMA_MODULE_NOTHING
#define MODULE_SOFTDEP(x) __KDMA_MODULE_NOTHING
#define MODULE_IMPORT_NS(x) __KDMA_MODULE_NOTHING
#define MODULE_DEVICE_TABLE(type, name) __KDMA_MODULE_NOTHING
#define MODULE_PARM_DESC(name, desc) __KDMA_MODULE_NOTHING
#define module_param(name, type, perm) __KDMA_MODULE_NOTHING
#define module_param_named(name, value, type, perm) __KDMA_MODULE_NOTHING
#define module_param_array(name, type, nump, perm) __KDMA_MODULE_NOTHING
#define EXPORT_SYMBOL(sym) __KDMA_MODULE_NOTHING
#define EXPORT_SYMBOL_GPL(sym) __KDMA_MODULE_NOTHING
#define EXPORT_SYMBOL_NS_GPL(sym, ns) __KDMA_MODULE_NOTHING

#define module_init(fn) static __attribute__((used)) int (*__kdma_module_init_##fn)(void) = fn
#define module_exit(fn) static __attribute__((used)) void (*__kdma_module_exit_##fn)(void) = fn
#define __module_get(m) do {} while (0)
#define try_module_get(m) 1
#define module_put(m) do {} while (0)

#endif
