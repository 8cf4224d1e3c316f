/* SPDX-License-Identifier: MIT */
/* <linux/circ_buf.h> — power-of-two ring buffer arithmetic, as the kernel's. */
#ifndef _DMASAN_SHIM_LINUX_CIRC_BUF_H
#define _DMASAN_SHIM_LINUX_CIRC_BUF_H

struct circ_buf {
	char *buf;
	int head;
	int tail;
};

/* entries in use, and free (one slot always stays empty) */
#define CIRC_CNT(head, tail, size) (((head) - (tail)) & ((size) - 1))
#define CIRC_SPACE(head, tail, size) CIRC_CNT((tail), ((head) + 1), (size))
#define CIRC_CNT_TO_END(head, tail, size)                                                     \
	({                                                                                     \
		int __end = (size) - (tail);                                                   \
		int __n = ((head) + __end) & ((size) - 1);                                     \
		__n < __end ? __n : __end;                                                     \
	})
#define CIRC_SPACE_TO_END(head, tail, size)                                                   \
	({                                                                                     \
		int __end = (size) - 1 - (head);                                               \
		int __n = (__end + (tail)) & ((size) - 1);                                     \
		__n <= __end ? __n : __end + 1;                                                \
	})

#endif
