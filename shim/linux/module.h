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
#include <linux/moduleparam.h>

struct module;
#define THIS_MODULE ((struct module *)0)


#define MODULE_LICENSE(x) __KDMA_MODULE_NOTHING
#define MODULE_AUTHOR(x) __KDMA_MODULE_NOTHING
#define MODULE_DESCRIPTION(x) __KDMA_MODULE_NOTHING
#define MODULE_VERSION(x) __KDMA_MODULE_NOTHING
#define MODULE_ALIAS(x) __KDMA_MODULE_NOTHING
#define MODULE_FIRMWARE(x) __KDMA_MODULE_NOTHING
#define MODULE_SOFTDEP(x) __KDMA_MODULE_NOTHING
#define MODULE_IMPORT_NS(x) __KDMA_MODULE_NOTHING
#define MODULE_DEVICE_TABLE(type, name) __KDMA_MODULE_NOTHING
#define EXPORT_SYMBOL(sym) __KDMA_MODULE_NOTHING
#define EXPORT_SYMBOL_GPL(sym) __KDMA_MODULE_NOTHING
#define EXPORT_SYMBOL_NS_GPL(sym, ns) __KDMA_MODULE_NOTHING

/* module_init/module_exit record the functions at program start (a constructor); a harness runs
 * every recorded init with kdma_modules_init() and the exits, newest first, with
 * kdma_modules_exit(). A test may also call a driver's probe itself. */
void kdma_module_record(const char *file, int (*init)(void), void (*exit)(void));
int kdma_modules_init(void);
void kdma_modules_exit(void);
#define module_init(fn)                                                                       \
	static __attribute__((constructor)) void __kdma_module_init_##fn(void)               \
	{                                                                                      \
		kdma_module_record(__FILE__, fn, NULL);                                        \
	}
#define module_exit(fn)                                                                       \
	static __attribute__((constructor)) void __kdma_module_exit_##fn(void)               \
	{                                                                                      \
		kdma_module_record(__FILE__, NULL, fn);                                        \
	}
/* module_pci_driver() and friends: a module whose init registers the driver and whose exit
 * unregisters it, as the kernel's module_driver(). */
#define module_driver(__driver, __register, __unregister, ...)                               \
	static int __init __driver##_init(void)                                              \
	{                                                                                      \
		return __register(&(__driver), ##__VA_ARGS__);                                 \
	}                                                                                      \
	module_init(__driver##_init);                                                          \
	static void __exit __driver##_exit(void)                                              \
	{                                                                                      \
		__unregister(&(__driver), ##__VA_ARGS__);                                      \
	}                                                                                      \
	module_exit(__driver##_exit)
#define __module_get(m) do {} while (0)
#define try_module_get(m) 1
#define module_put(m) do {} while (0)

#endif
