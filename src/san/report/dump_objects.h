/* SPDX-License-Identifier: MIT */
/* The fences, dma-buf attachments and dmaengine descriptors of a dump (dump_objects.c). */
#ifndef DMASAN_SAN_DUMP_OBJECTS_H
#define DMASAN_SAN_DUMP_OBJECTS_H

struct san_dump_objects_req {
	const char *filter;       /* NULL or "": all; else a '*' pattern of driver/device names */
	unsigned int id;          /* the dump's id */
	const char *reason, *time;
	int text_fd, json_fd;     /* -1: skip that form */
};

/* Writes nothing when there is no such object. Call with the dump lock held. */
void san_dump_objects(const struct san_dump_objects_req *req);

#endif
