/* SPDX-License-Identifier: MIT */
/* Stack capture and depot (stub). */
#include <string.h>
#include "stack.h"

dmasan_stack_id dmasan_stack_capture(unsigned int skip)
{
	return 0;
}

unsigned int dmasan_stack_get(dmasan_stack_id id, const uintptr_t **pcs)
{
	*pcs = NULL;
	return 0;
}

void dmasan_symbolize(uintptr_t pc, struct dmasan_frame *out)
{
	memset(out, 0, sizeof(*out));
	out->pc = pc;
}

void dmasan_stack_stats(size_t *stacks, size_t *bytes)
{
	*stacks = 0;
	*bytes = 0;
}

unsigned int dmasan_thread_id(void)
{
	return 0;
}
