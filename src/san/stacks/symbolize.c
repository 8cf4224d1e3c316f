/* SPDX-License-Identifier: MIT */
/*
 * Symbolisation at report time: elfutils' libdw (dwfl_* over this process's modules) gives the
 * function, the inlined-call chain and file:line from DWARF; dladdr is the fallback for code
 * without debug info. We use a maintained library rather than a DWARF parser of our own. Results
 * are cached per PC with their strings copied into the arena, so a frame's strings live as long
 * as the process. libdw allocates with malloc: symbolisation runs outside every table lock.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <dwarf.h>
#include <fcntl.h>
#include <gelf.h>
#include <link.h>
#include <elfutils/libdwfl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "stacks/depot.h"
#include "rt/runtime.h"
#include "stacks/stack.h"
#include "stacks/unwind.h"

#define CACHE_SLOTS 4096

struct cache_entry {
	uintptr_t pc; /* as given; 0: empty */
	unsigned int n;
	struct dmasan_frame frames[DMASAN_MAX_INLINE];
};

static pthread_mutex_t sym_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache_entry *cache; /* arena memory, CACHE_SLOTS entries */
static Dwfl *dwfl;
static pid_t dwfl_owner_pid;
static char *debuginfo_path;
static const Dwfl_Callbacks dwfl_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

/* "<root>/src/" of this checkout, from this file's own path, to recognise our frames in static
 * builds (unit tests) where they are not in libdmasan.so. */
static const char *src_root(size_t *len)
{
	static const char self[] = __FILE__;
	static const char tail[] = "san/stacks/symbolize.c";
	size_t n = sizeof(self) - 1, t = sizeof(tail) - 1;

	*len = n >= t && !strcmp(self + n - t, tail) ? n - t : 0;
	return self;
}

static bool has_prefix(const char *s, const char *p, size_t n)
{
	return s && n && !strncmp(s, p, n);
}

int dmasan_frame_classify(const struct dmasan_frame *f)
{
	static const char *const startup[] = { "_start", "__libc_start_main", "__libc_start_main_impl",
					       "__libc_start_call_main", "start_thread", "clone", "clone3" };
	const char *base = f->module ? strrchr(f->module, '/') : NULL;
	size_t rlen;
	const char *root = src_root(&rlen);

	base = base ? base + 1 : f->module;
	if (base && !strncmp(base, "libdmasan", 9))
		return DMASAN_FRAME_SANITIZER;
	if (base && !strncmp(base, "libkdma", 7))
		return DMASAN_FRAME_KDMA;
	if (f->file && has_prefix(f->file, root, rlen)) {
		const char *rest = f->file + rlen;

		if (!strncmp(rest, "san/", 4) || !strncmp(rest, "common/", 7))
			return DMASAN_FRAME_SANITIZER;
		if (!strncmp(rest, "kdma/", 5))
			return DMASAN_FRAME_KDMA;
	}
	if (f->file && rlen > 4 && !strncmp(f->file, root, rlen - 4) &&
	    !strncmp(f->file + rlen - 4, "shim/", 5))
		return DMASAN_FRAME_KDMA;
	for (unsigned int i = 0; i < sizeof(startup) / sizeof(startup[0]); i++)
		if (f->function && !strcmp(f->function, startup[i]))
			return DMASAN_FRAME_STARTUP;
	return DMASAN_FRAME_USER;
}

static void dwfl_refresh(void)
{
	if (dwfl && dwfl_owner_pid != getpid()) {
		dwfl_end(dwfl); /* forked child: the maps are the parent's copy, re-read them */
		dwfl = NULL;
	}
	if (!dwfl) {
		dwfl = dwfl_begin(&dwfl_callbacks);
		if (!dwfl)
			return;
		dwfl_owner_pid = getpid();
	}
	dwfl_report_begin(dwfl);
	dwfl_linux_proc_report(dwfl, dwfl_owner_pid);
	dwfl_report_end(dwfl, NULL, NULL);
}

static Dwfl_Module *module_of(Dwarf_Addr addr)
{
	Dwfl_Module *mod = dwfl ? dwfl_addrmodule(dwfl, addr) : NULL;

	if (!mod) { /* a library loaded since the last look */
		dwfl_refresh();
		mod = dwfl ? dwfl_addrmodule(dwfl, addr) : NULL;
	}
	return mod;
}

/* A register rule "saved at CFA + off", which libdw spells DW_OP_call_frame_cfa followed by
 * DW_OP_plus_uconst off (the offset wrapping for negative values). */
static bool cfa_offset(const Dwarf_Op *ops, size_t n, int32_t *off)
{
	int64_t v;

	if (n == 1 && ops[0].atom == DW_OP_call_frame_cfa) {
		*off = 0;
		return true;
	}
	if (n != 2 || ops[0].atom != DW_OP_call_frame_cfa || ops[1].atom != DW_OP_plus_uconst)
		return false;
	v = (int64_t)ops[1].number;
	if (v < INT32_MIN || v > INT32_MAX)
		return false;
	*off = (int32_t)v;
	return true;
}

/* x86-64 DWARF register numbers */
#define CFI_REG_RBP 6
#define CFI_REG_RSP 7
#define CFI_REG_RA 16

/* The unwinder's rules come from the same modules the symboliser reads, so they share its Dwfl
 * and lock; libdw caches each object's CFI. */
static void cfi_rule_of(Dwarf_Frame *frame, struct dmasan_cfi_rule *out)
{
	Dwarf_Op mem[3], *ops;
	Dwarf_Addr start, end;
	bool signal = false;
	size_t n;
	int64_t off;

	if (dwarf_frame_info(frame, &start, &end, &signal) != CFI_REG_RA || signal ||
	    dwarf_frame_register(frame, CFI_REG_RA, mem, &ops, &n))
		return;
	if (n == 0 && ops == mem) {
		out->kind = DMASAN_CFI_OUTERMOST;
		return;
	}
	if (!cfa_offset(ops, n, &out->ra_off))
		return;
	if (dwarf_frame_cfa(frame, &ops, &n) || n != 1 || ops[0].atom != DW_OP_bregx ||
	    (ops[0].number != CFI_REG_RBP && ops[0].number != CFI_REG_RSP))
		return;
	off = (int64_t)ops[0].number2;
	if (off < INT32_MIN || off > INT32_MAX)
		return;
	out->cfa_off = (int32_t)off;
	out->cfa_rbp = ops[0].number == CFI_REG_RBP;
	if (dwarf_frame_register(frame, CFI_REG_RBP, mem, &ops, &n))
		return;
	if (n == 0)
		out->rbp = ops ? DMASAN_CFI_RBP_UNDEFINED : DMASAN_CFI_RBP_SAME;
	else if (cfa_offset(ops, n, &out->rbp_off))
		out->rbp = DMASAN_CFI_RBP_SAVED;
	else
		return;
	out->kind = DMASAN_CFI_FRAME;
}

void dmasan_cfi_rule_read(uintptr_t ra, struct dmasan_cfi_rule *out)
{
	Dwarf_Frame *frame = NULL;
	Dwarf_Addr bias = 0;
	Dwfl_Module *mod;
	Dwarf_CFI *cfi = NULL;

	memset(out, 0, sizeof(*out));
	out->kind = DMASAN_CFI_UNUSABLE;
	if (ra < 2)
		return;
	pthread_mutex_lock(&sym_lock);
	mod = module_of(ra - 1); /* the call instruction: ra may follow a noreturn call */
	if (mod && !(cfi = dwfl_module_eh_cfi(mod, &bias)))
		cfi = dwfl_module_dwarf_cfi(mod, &bias);
	if (cfi && !dwarf_cfi_addrframe(cfi, ra - 1 - bias, &frame))
		cfi_rule_of(frame, out);
	pthread_mutex_unlock(&sym_lock);
	free(frame);
}

static const char *attr_string(Dwarf_Die *die, unsigned int name)
{
	Dwarf_Attribute attr;

	return dwarf_attr_integrate(die, name, &attr) ? dwarf_formstring(&attr) : NULL;
}

static bool attr_udata(Dwarf_Die *die, unsigned int name, Dwarf_Word *v)
{
	Dwarf_Attribute attr;

	return dwarf_attr(die, name, &attr) && dwarf_formudata(&attr, v) == 0;
}

/* The compile unit containing addr. libdw 0.188 finds it through .debug_aranges, which clang does
 * not emit by default; without them, walk the units and ask each whether it covers addr. */
static Dwarf_Die *cu_of(Dwfl_Module *mod, Dwarf_Addr addr, Dwarf_Addr *bias)
{
	Dwarf_Die *cu = dwfl_module_addrdie(mod, addr, bias);

	if (cu)
		return cu;
	while ((cu = dwfl_module_nextcu(mod, cu, bias)))
		if (dwarf_haspc(cu, addr - *bias) > 0)
			return cu;
	return NULL;
}

/* file:line:column of addr from the line table of its unit. */
static void line_of(Dwfl_Module *mod, Dwarf_Die *cu, Dwarf_Addr bias, Dwarf_Addr addr,
		    struct dmasan_frame *f)
{
	Dwfl_Line *dl = dwfl_module_getsrc(mod, addr);
	Dwarf_Line *line;
	int lineno = 0, col = 0;

	if (dl) {
		f->file = dmasan_arena_strdup(dwfl_lineinfo(dl, NULL, &lineno, &col, NULL, NULL));
	} else if (cu && (line = dwarf_getsrc_die(cu, addr - bias))) {
		f->file = dmasan_arena_strdup(dwarf_linesrc(line, NULL, NULL));
		dwarf_lineno(line, &lineno);
		dwarf_linecol(line, &col);
	} else {
		return;
	}
	f->line = lineno;
	f->column = col;
}

static bool is_function(Dwarf_Die *die)
{
	int tag = dwarf_tag(die);

	return tag == DW_TAG_inlined_subroutine || tag == DW_TAG_subprogram;
}

/* The inlined-call chain at addr: out[0] the innermost function (its location comes from the
 * line table), then each function it was inlined into, located at the inlined call's
 * DW_AT_call_file/line. dwarf_getscopes() follows an inlined instance into its abstract
 * definition, so the callers come from the concrete DIE tree (dwarf_getscopes_die), as
 * eu-addr2line -i does. Returns the count. */
static unsigned int dwarf_chain(Dwarf_Die *cu, Dwarf_Addr bias, Dwarf_Addr addr,
				struct dmasan_frame *out, unsigned int max)
{
	Dwarf_Die *scopes = NULL, *chain = NULL, *inner = NULL, *prev;
	Dwarf_Files *files = NULL;
	size_t nfiles = 0;
	int nscopes, nchain;
	unsigned int n = 0;

	if ((nscopes = dwarf_getscopes(cu, addr - bias, &scopes)) <= 0)
		return 0;
	for (int i = 0; i < nscopes && !inner; i++)
		if (is_function(&scopes[i]))
			inner = &scopes[i];
	if (!inner)
		goto out;
	out[n++].function = dmasan_arena_strdup(attr_string(inner, DW_AT_name));
	if (dwarf_tag(inner) != DW_TAG_inlined_subroutine)
		goto out;
	nchain = dwarf_getscopes_die(inner, &chain);
	dwarf_getsrcfiles(cu, &files, &nfiles);
	prev = chain;
	for (int i = 1; i < nchain && n < max; i++) {
		Dwarf_Word file, line, col;

		if (!is_function(&chain[i]))
			continue;
		out[n].function = dmasan_arena_strdup(attr_string(&chain[i], DW_AT_name));
		if (attr_udata(prev, DW_AT_call_file, &file) && files && file < nfiles)
			out[n].file = dmasan_arena_strdup(dwarf_filesrc(files, file, NULL, NULL));
		if (attr_udata(prev, DW_AT_call_line, &line))
			out[n].line = (int)line;
		if (attr_udata(prev, DW_AT_call_column, &col))
			out[n].column = (int)col;
		n++;
		if (dwarf_tag(&chain[i]) == DW_TAG_subprogram)
			break;
		prev = &chain[i];
	}
	free(chain);
out:
	free(scopes);
	return n;
}

static unsigned int symbolize_uncached(uintptr_t pc, struct dmasan_frame *out, unsigned int max)
{
	Dwarf_Addr addr = pc - 1; /* the call instruction, not the return address */
	Dwfl_Module *mod;
	const char *modname = NULL;
	Dwarf_Addr start = 0;
	unsigned int n = 0;
	Dl_info dli;

	memset(out, 0, sizeof(*out) * max);
	out[0].pc = addr;
	mod = module_of(addr);
	if (mod) {
		Dwarf_Addr bias = 0;
		Dwarf_Die *cu = cu_of(mod, addr, &bias);

		modname = dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
		n = cu ? dwarf_chain(cu, bias, addr, out, max) : 0;
		if (!n) {
			out[0].function = dmasan_arena_strdup(dwfl_module_addrname(mod, addr));
			n = 1;
		}
		line_of(mod, cu, bias, addr, &out[0]); /* the innermost location: the line table's */
	}
	if (!mod || !out[0].function) {
		n = 1;
		if (dladdr((void *)addr, &dli)) {
			if (!out[0].function)
				out[0].function = dmasan_arena_strdup(dli.dli_sname);
			if (!modname) {
				modname = dli.dli_fname;
				start = (uintptr_t)dli.dli_fbase;
			}
		}
	}
	modname = dmasan_arena_strdup(modname);
	for (unsigned int i = 0; i < n; i++) {
		out[i].pc = addr;
		out[i].module = modname;
		out[i].module_offset = modname ? addr - start : 0;
	}
	for (unsigned int i = 0; i < n; i++)
		out[i].internal = dmasan_frame_classify(&out[i]);
	return n;
}

unsigned int dmasan_symbolize_inline(uintptr_t pc, struct dmasan_frame *out, unsigned int max)
{
	struct dmasan_frame tmp[DMASAN_MAX_INLINE];
	struct cache_entry *e;
	unsigned int n;

	if (!max)
		return 0;
	pthread_mutex_lock(&sym_lock);
	if (!cache)
		cache = dmasan_arena_alloc(sizeof(*cache) * CACHE_SLOTS);
	e = cache ? &cache[(pc >> 2) % CACHE_SLOTS] : NULL;
	if (e && e->pc == pc) {
		n = e->n;
		memcpy(tmp, e->frames, sizeof(tmp[0]) * n);
	} else {
		n = symbolize_uncached(pc, tmp, DMASAN_MAX_INLINE);
		if (e) {
			e->pc = pc;
			e->n = n;
			memcpy(e->frames, tmp, sizeof(tmp[0]) * n);
		}
	}
	pthread_mutex_unlock(&sym_lock);
	if (n > max) { /* keep the innermost and the outermost (the real function) */
		tmp[max - 1] = tmp[n - 1];
		n = max;
	}
	memcpy(out, tmp, sizeof(tmp[0]) * n);
	return n;
}

void dmasan_symbolize(uintptr_t pc, struct dmasan_frame *out)
{
	dmasan_symbolize_inline(pc, out, 1);
}

void dmasan_symbolize_lock(void)
{
	pthread_mutex_lock(&sym_lock);
}

void dmasan_symbolize_unlock(void)
{
	pthread_mutex_unlock(&sym_lock);
}

struct exe_base {
	uintptr_t bias; /* load address of a PIE, 0 otherwise */
	bool found;
};

/* dl_iterate_phdr visits the main program first */
static int first_object_bias(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct exe_base *base = arg;

	base->bias = info->dlpi_addr;
	base->found = true;
	return 1;
}

/* The address of a function defined in the main executable, from its .symtab: a program's
 * dmasan_default_options() is found this way even when the executable exports nothing
 * (linked without -rdynamic, so the preload's weak reference cannot bind to it). 0 if absent
 * or stripped. Start-up only (it reads the file). */
uintptr_t dmasan_exe_symbol(const char *name)
{
	struct exe_base base = { 0, false };
	uintptr_t addr = 0;
	Elf_Scn *scn = NULL;
	Elf *elf;
	int fd;

	dl_iterate_phdr(first_object_bias, &base);
	if (!base.found || elf_version(EV_CURRENT) == EV_NONE)
		return 0;
	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	while (elf && !addr && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize ||
		    !(data = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			const char *sname;

			if (!gelf_getsym(data, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    sym.st_shndx == SHN_UNDEF)
				continue;
			sname = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (sname && !strcmp(sname, name)) {
				addr = base.bias + sym.st_value;
				break;
			}
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return addr;
}
