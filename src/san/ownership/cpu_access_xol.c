// SPDX-License-Identifier: MIT
/*
 * Out-of-line execution of a faulting instruction for the mprotect backend; see
 * cpu_access_xol.h.
 *
 * A slot holds the instruction's bytes and "jmp *0(%rip); .quad xol_tramp". The trampoline
 * saves what a C call may clobber (no vector register: xol_done and mp_reclose use
 * general-purpose registers only), lets xol_done close the pages and pop the thread's frame, and
 * returns to the instruction after the original one with "ret $128", which also gives back the
 * red zone it stepped over. Frames nest (a signal handler running between the slot and the
 * trampoline may fault in turn), up to XOL_DEPTH per thread; each level has its own slot.
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#include "ownership/cpu_access_xol.h"

#if defined(__x86_64__)

#define XOL_SLOT 64     /* bytes per slot: up to 15 of instruction, 14 of jump */
#define XOL_DEPTH 4     /* nested frames per thread */
#define XOL_THREADS 1024 /* threads that get slots; later ones single-step */

#define GPR_ONLY __attribute__((target("general-regs-only")))

struct xol_frame {
	uintptr_t resume; /* the instruction after the original one */
	uintptr_t orig;   /* the original instruction */
	uintptr_t pages[2];
};

/* initial-exec: the trampoline's C code must not call __tls_get_addr */
#define XOL_TLS __thread __attribute__((tls_model("initial-exec")))

static uint8_t *xol_mem;
static atomic_int xol_next_thread;
static XOL_TLS struct xol_frame xol_frames[XOL_DEPTH];
static XOL_TLS int xol_depth;
static XOL_TLS int xol_thread = -1; /* index of the thread's slots, -2: none left */

void xol_tramp(void);
uintptr_t xol_done(void);

__asm__(".text\n"
	".globl xol_tramp\n"
	".hidden xol_tramp\n"
	".type xol_tramp, @function\n"
	"xol_tramp:\n"
	"	endbr64\n"
	"	lea -136(%rsp), %rsp\n" /* the red zone, then the resume address's place */
	"	pushfq\n"
	"	cld\n"
	"	push %rax\n push %rcx\n push %rdx\n push %rsi\n push %rdi\n"
	"	push %r8\n push %r9\n push %r10\n push %r11\n push %rbp\n"
	"	mov %rsp, %rbp\n"
	"	and $-16, %rsp\n"
	"	call xol_done\n"
	"	mov %rbp, %rsp\n"
	"	mov %rax, 88(%rsp)\n" /* above the ten registers and the flags */
	"	pop %rbp\n pop %r11\n pop %r10\n pop %r9\n pop %r8\n"
	"	pop %rdi\n pop %rsi\n pop %rdx\n pop %rcx\n pop %rax\n"
	"	popfq\n"
	"	ret $128\n"
	".size xol_tramp, .-xol_tramp\n");

/* The thread's innermost frame is done: close its pages, return where the program goes on. */
GPR_ONLY uintptr_t xol_done(void)
{
	struct xol_frame *f = &xol_frames[xol_depth - 1];
	uintptr_t resume = f->resume;

	if (f->pages[0])
		mp_reclose(f->pages[0]);
	if (f->pages[1])
		mp_reclose(f->pages[1]);
	f->pages[0] = f->pages[1] = 0;
	__atomic_fetch_sub(&xol_depth, 1, __ATOMIC_RELAXED);
	return resume;
}

/* ------------------------------------------------------------------ decoder ---- */

/* One bit per one-byte opcode that has a ModRM byte (64-bit mode). */
static const uint32_t modrm_map0[8] = {
	0x0f0f0f0f, 0x0f0f0f0f, /* 00-3f: the ALU ops' four ModRM forms */
	0x00000000,             /* 40-5f: REX, push, pop */
	0x00000a08,             /* 60-7f: 63 movsxd, 69, 6b */
	0x0000fffb,             /* 80-9f: 80, 81, 83-8f (82 is invalid) */
	0x00000000,             /* a0-bf */
	0xff0f00c3,             /* c0-df: c0 c1 c6 c7, d0-d3, d8-df */
	0xc0c00000,             /* e0-ff: f6 f7 fe ff */
};

/* Two-byte (0f xx) opcodes with ModRM that qualify: no system instruction (00-03), no 3DNow! (0f),
 * no control/debug register move (20-23); ud1/ud0 and the escapes 38/3a are handled apart. */
static bool map1_has_modrm(unsigned int op)
{
	if (op <= 0x03 || op == 0x0f || (op >= 0x20 && op <= 0x23))
		return false;
	if (op == 0x0d || (op >= 0x10 && op <= 0x1f) || (op >= 0x28 && op <= 0x2f))
		return true;
	if (op >= 0x40 && op <= 0x7f)
		return op != 0x77; /* emms */
	if (op >= 0x90 && op <= 0x9f)
		return true; /* setcc */
	if (op == 0xa3 || op == 0xa4 || op == 0xa5 || op >= 0xab) /* bt.., shld/shrd, ... */
		return op < 0xc8 || op >= 0xd0;                    /* not bswap */
	return false;
}

static bool map1_has_imm8(unsigned int op)
{
	return (op >= 0x70 && op <= 0x73) || op == 0xa4 || op == 0xac || op == 0xba ||
	       op == 0xc2 || op == 0xc4 || op == 0xc5 || op == 0xc6;
}

unsigned int xol_insn_len(const uint8_t *ip)
{
	const uint8_t *p = ip;
	bool opsize = false, vex = false;
	unsigned int map, op, imm = 0, modrm, mod, reg, n;

	for (n = 0; n < 14; n++, p++) {
		if (*p == 0x66)
			opsize = true;
		else if (*p == 0x67)
			return 0; /* 32-bit addressing: rare, left to single-stepping */
		else if (*p != 0xf0 && *p != 0xf2 && *p != 0xf3 && *p != 0x2e && *p != 0x36 &&
			 *p != 0x3e && *p != 0x26 && *p != 0x64 && *p != 0x65)
			break;
	}
	if ((*p & 0xf0) == 0x40)
		p++; /* REX */
	if (*p == 0xc5) { /* two-byte VEX: map 0f */
		map = 1, vex = true;
		p += 2;
	} else if (*p == 0xc4) { /* three-byte VEX */
		map = p[1] & 0x1f, vex = true;
		p += 3;
	} else if (*p == 0x62) { /* EVEX */
		map = p[1] & 0x07, vex = true;
		p += 4;
	} else if (*p == 0x0f) {
		p++;
		map = *p == 0x38 ? 2 : *p == 0x3a ? 3 : 1;
		p += map > 1;
	} else {
		map = 0;
	}
	op = *p++;
	if (vex && (map == 0 || map == 4 || map == 7))
		return 0;
	switch (map) {
	case 0:
		if (!(modrm_map0[op >> 5] >> (op & 31) & 1))
			return 0;
		break;
	case 1:
		if (vex ? op == 0x77 : !map1_has_modrm(op))
			return 0;
		imm = map1_has_imm8(op);
		break;
	case 2: case 5: case 6:
		break;
	case 3:
		imm = 1;
		break;
	default:
		return 0;
	}
	modrm = *p++;
	mod = modrm >> 6;
	reg = (modrm >> 3) & 7;
	if (mod == 3)
		return 0; /* no memory operand */
	if (map == 0) {
		switch (op) {
		case 0x8d: case 0x8c: case 0x8e: /* lea, segment moves */
			return 0;
		case 0x8f: case 0xc6: case 0xc7: /* pop, mov: /0 only (xabort, xbegin, XOP) */
			if (reg)
				return 0;
			break;
		case 0xfe:
			if (reg > 1)
				return 0;
			break;
		case 0xff: /* inc, dec, push: the others are calls and jumps */
			if (reg != 0 && reg != 1 && reg != 6)
				return 0;
			break;
		}
		if (op == 0x69 || op == 0x81 || op == 0xc7 || (op == 0xf7 && reg < 2))
			imm = opsize ? 2 : 4;
		else if (op == 0x6b || op == 0x80 || op == 0x83 || op == 0xc0 || op == 0xc1 ||
			 op == 0xc6 || (op == 0xf6 && reg < 2))
			imm = 1;
	}
	if ((modrm & 7) == 4) { /* SIB */
		if (mod == 0 && (*p & 7) == 5)
			p += 4; /* no base: disp32 */
		p++;
	} else if (mod == 0 && (modrm & 7) == 5) {
		return 0; /* RIP-relative */
	}
	p += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	n = (unsigned int)(p - ip) + imm;
	return n <= 15 ? n : 0;
}

/* ------------------------------------------------------------------- slots ---- */

bool xol_init(void)
{
	void *m = mmap(NULL, (size_t)XOL_THREADS * XOL_DEPTH * XOL_SLOT,
		       PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);

	xol_mem = m == MAP_FAILED ? NULL : m;
	return xol_mem != NULL;
}

static uint8_t *xol_slot(int level)
{
	return xol_mem + ((size_t)xol_thread * XOL_DEPTH + level) * XOL_SLOT;
}

bool xol_begin(uintptr_t *rip, uintptr_t page)
{
	static const uint8_t jmp[6] = { 0xff, 0x25, 0, 0, 0, 0 }; /* jmp *0(%rip) */
	uintptr_t tramp = (uintptr_t)xol_tramp;
	unsigned int len;
	int level = xol_depth;
	uint8_t *slot;

	if (!xol_mem || level >= XOL_DEPTH || xol_thread == -2)
		return false;
	len = xol_insn_len((const uint8_t *)*rip);
	if (!len)
		return false;
	if (xol_thread == -1) {
		int t = atomic_fetch_add(&xol_next_thread, 1);

		xol_thread = t < XOL_THREADS ? t : -2;
		if (xol_thread == -2)
			return false;
	}
	slot = xol_slot(level);
	memcpy(slot, (const void *)*rip, len);
	memcpy(slot + len, jmp, sizeof(jmp));
	memcpy(slot + len + sizeof(jmp), &tramp, sizeof(tramp));
	xol_frames[level] = (struct xol_frame){ *rip + len, *rip, { page, 0 } };
	__atomic_fetch_add(&xol_depth, 1, __ATOMIC_RELAXED);
	*rip = (uintptr_t)slot;
	return true;
}

bool xol_running(uintptr_t rip, uintptr_t *orig)
{
	uint8_t *slot;

	if (!xol_depth || xol_thread < 0)
		return false;
	slot = xol_slot(xol_depth - 1);
	if (rip < (uintptr_t)slot || rip >= (uintptr_t)slot + XOL_SLOT)
		return false;
	*orig = xol_frames[xol_depth - 1].orig;
	return true;
}

int xol_add_page(uintptr_t page)
{
	struct xol_frame *f = &xol_frames[xol_depth - 1];

	if (f->pages[0] == page || f->pages[1] == page)
		return 0;
	if (f->pages[1])
		return -1;
	f->pages[1] = page;
	return 1;
}

#else /* !x86_64 */

unsigned int xol_insn_len(const uint8_t *ip)
{
	return 0;
}
bool xol_init(void)
{
	return false;
}
bool xol_begin(uintptr_t *rip, uintptr_t page)
{
	return false;
}
bool xol_running(uintptr_t rip, uintptr_t *orig)
{
	return false;
}
int xol_add_page(uintptr_t page)
{
	return -1;
}

#endif
