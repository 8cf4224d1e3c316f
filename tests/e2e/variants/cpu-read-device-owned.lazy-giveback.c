// SPDX-License-Identifier: MIT
/*
 * cpu-read-device-owned on a receive buffer mapped again after an unmap the CPU never followed
 * with a touch. Under cpu_access=mprotect such a page stays closed after the unmap, with its
 * bytes held aside (mprotect_lazy); the next map takes them back and owns the lines again with
 * no system call. The bug reads the buffer while the device owns it again: it must still trap.
 *
 * The fix exercises every way a held page opens again, each checking the device's bytes: loads
 * (a page touched after each unmap is held only now and then), read() into it (the kernel would
 * fail with EFAULT on a closed page), write() out of it, a forked child's load, kfree of an
 * untouched buffer, a map for the device to read (it must see the CPU's bytes), two threads
 * touching one just-unmapped buffer first at once, threads doing all that on their own buffers
 * at once, and the program installing its own SIGSEGV handler. It counts the mprotect calls of a map+unmap loop with no
 * CPU access between: the pages stay closed, so there are fewer calls than pairs.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/slab.h>

#include "e2e.h"

#define LOOPS 64

/* The sanitizer's mprotect calls land here (the program exports it: -rdynamic). */
static int mprotect_calls;

int mprotect(void *addr, size_t len, int prot)
{
	mprotect_calls++;
	return (int)syscall(SYS_mprotect, addr, len, prot);
}

static int bad;

static void expect(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "lazy-giveback: %s\n", what);
		bad = 1;
	}
}

/* One receive: map, the device writes `v` all over, unmap. The CPU does not touch it. */
static void receive(struct device *dev, u8 *buf, u8 v)
{
	u8 frame[PAGE_SIZE];
	dma_addr_t dma = dma_map_single(dev, buf, PAGE_SIZE, DMA_FROM_DEVICE);

	if (dma_mapping_error(dev, dma)) {
		bad = 1;
		return;
	}
	memset(frame, v, sizeof(frame));
	dmasim_dma_write(dev, dma, frame, sizeof(frame));
	dma_unmap_single(dev, dma, PAGE_SIZE, DMA_FROM_DEVICE);
}

static void on_segv(int sig)
{
	static const char msg[] = "lazy-giveback: the program's SIGSEGV handler ran\n";

	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(3);
}

static bool all(const u8 *p, size_t n, u8 v)
{
	for (size_t i = 0; i < n; i++)
		if (READ_ONCE(p[i]) != v)
			return false;
	return true;
}

static struct device *thread_dev;

/* Threads, each on its own buffer: give-backs, take-backs and first touches interleave. */
static void *receiver(void *arg)
{
	u8 *b = kmalloc(PAGE_SIZE, GFP_KERNEL);
	long id = (long)arg, i;

	if (!b) {
		bad = 1;
		return NULL;
	}
	for (i = 0; i < 300; i++) {
		u8 v = (u8)(id * 64 + i);

		receive(thread_dev, b, v);
		if (i % 3 == 2 && !all(b, PAGE_SIZE, v))
			expect(false, "a thread saw other bytes after its unmap");
	}
	kfree(b);
	return NULL;
}

/* Two threads read a just-unmapped buffer at once: neither may see it before its bytes are in. */
static pthread_barrier_t both;
static u8 *shared_buf;
static u8 shared_v;

static void *first_toucher(void *arg)
{
	int i;

	for (i = 0; i < 100; i++) {
		pthread_barrier_wait(&both);
		if (!all(shared_buf, PAGE_SIZE, shared_v))
			expect(false, "a thread reading at once with another saw other bytes");
		pthread_barrier_wait(&both);
	}
	return NULL;
}

static void concurrent_first_touch(struct device *dev)
{
	pthread_t t[2];
	int i, k;

	pthread_barrier_init(&both, NULL, 3);
	for (k = 0; k < 2; k++)
		if (pthread_create(&t[k], NULL, first_toucher, NULL))
			exit(1);
	for (i = 0; i < 100; i++) {
		shared_buf = kmalloc(PAGE_SIZE, GFP_KERNEL); /* fresh: held at each unmap */
		if (!shared_buf)
			exit(1);
		shared_v = (u8)(0xa0 + i);
		receive(dev, shared_buf, shared_v);
		pthread_barrier_wait(&both);
		pthread_barrier_wait(&both);
		kfree(shared_buf);
	}
	for (k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	pthread_barrier_destroy(&both);
}

int main(void)
{
	/* 64-bit: the buffer does not bounce (a bounce slot is copied back at the unmap) */
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = e2e_device(&cfg);
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL), *other = kmalloc(PAGE_SIZE, GFP_KERNEL);
	u8 seen[PAGE_SIZE];
	int fds[2], i, calls, status;
	dma_addr_t dma;
	pid_t child;

	if (!buf || !other || pipe(fds))
		return 1;
	memset(buf, 0, PAGE_SIZE);

	/* map+unmap pairs with no CPU access between: the page stays closed */
	calls = mprotect_calls;
	for (i = 0; i < LOOPS; i++)
		receive(dev, buf, (u8)i);
	expect(mprotect_calls - calls < LOOPS, "every map+unmap pair changed the protection");

	/* the bug: mapped again (taken back with no system call), read before the unmap */
	dma = dma_map_single(dev, buf, PAGE_SIZE, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, dma))
		return 1;
	BUGGY((void)READ_ONCE(buf[100]), (void)0);
	dma_unmap_single(dev, dma, PAGE_SIZE, DMA_FROM_DEVICE);

	/* a load opens the page, with the device's bytes; a page touched after each unmap is
	 * given back lazily only now and then, the bytes are right either way */
	for (i = 0; i < 20; i++) {
		receive(dev, buf, (u8)(0x11 + i));
		expect(all(buf, PAGE_SIZE, (u8)(0x11 + i)), "a load after the unmap saw other bytes");
	}

	/* read() into a just-unmapped buffer: the kernel must find it open */
	receive(dev, buf, 0x22);
	memset(seen, 0x33, sizeof(seen));
	expect(write(fds[1], seen, 64) == 64, "write() to the pipe failed");
	expect(read(fds[0], buf, 64) == 64, "read() into a just-unmapped buffer failed");
	expect(all(buf, 64, 0x33) && all(buf + 64, PAGE_SIZE - 64, 0x22),
	       "read() into a just-unmapped buffer: wrong bytes");

	/* write() out of a just-unmapped buffer sends the device's bytes */
	receive(dev, buf, 0x44);
	expect(write(fds[1], buf, 64) == 64, "write() from a just-unmapped buffer failed");
	expect(read(fds[0], seen, 64) == 64 && all(seen, 64, 0x44),
	       "write() from a just-unmapped buffer sent other bytes");

	/* a forked child's first load opens its copy of the page */
	receive(dev, buf, 0x55);
	child = fork();
	if (child == 0)
		_exit(all(buf, PAGE_SIZE, 0x55) ? 0 : 1);
	expect(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
		       !WEXITSTATUS(status), "a forked child saw other bytes");
	expect(all(buf, PAGE_SIZE, 0x55), "the parent saw other bytes after the fork");

	/* the device reads what the CPU holds, taken from the held bytes */
	receive(dev, buf, 0x66);
	dma = dma_map_single(dev, buf, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, dma))
		return 1;
	dmasim_dma_read(dev, dma, seen, sizeof(seen));
	expect(all(seen, sizeof(seen), 0x66), "the device read other bytes than the CPU's");
	dma_unmap_single(dev, dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	expect(all(buf, PAGE_SIZE, 0x66), "a bidirectional round trip changed the bytes");

	/* kfree of an untouched buffer, then the allocator and the next owner use the memory */
	receive(dev, other, 0x77);
	kfree(other);
	other = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!other)
		return 1;
	memset(other, 0x88, PAGE_SIZE);
	expect(all(other, PAGE_SIZE, 0x88), "memory reused after kfree misbehaved");

	concurrent_first_touch(dev);
	thread_dev = dev;
	{
		pthread_t t[3];
		long k;

		for (k = 0; k < 3; k++)
			if (pthread_create(&t[k], NULL, receiver, (void *)k))
				return 1;
		for (k = 0; k < 3; k++)
			pthread_join(t[k], NULL);
	}

	/* the program installs its own SIGSEGV handler: held pages open first (a fresh buffer:
	 * buf, touched after its unmaps, is no longer held) */
	kfree(other);
	other = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!other)
		return 1;
	receive(dev, other, 0x99);
	signal(SIGSEGV, on_segv);
	expect(all(other, PAGE_SIZE, 0x99), "a held page after the program's own SIGSEGV handler");

	kfree(other);
	kfree(buf);
	dmasim_device_destroy(dev);
	return bad;
}
