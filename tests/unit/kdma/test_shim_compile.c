// SPDX-License-Identifier: MIT
/* Every shim header together (and after the C library headers a test typically uses), with the
 * macros exercised: types, min/max, GENMASK, ALIGN, container_of, err.h, bitops, lists, locks. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/barrier.h>
#include <asm/byteorder.h>
#include <asm/unaligned.h>
#include <linux/align.h>
#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/compiler_attributes.h>
#include <linux/completion.h>
#include <linux/container_of.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dma-direction.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/ioport.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/page-flags.h>
#include <linux/pci.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/dma-fence-array.h>
#include <linux/dma-fence-chain.h>
#include <linux/file.h>
#include <linux/sync_file.h>
#include <linux/dmaengine.h>
#include <linux/dma-buf.h>
#include <linux/iosys-map.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/printk.h>
#include <linux/refcount.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/etherdevice.h>
#include <linux/idr.h>
#include <linux/irq.h>
#include <linux/miscdevice.h>
#include <linux/netdevice.h>
#include <linux/pci_ids.h>
#include <linux/pci_regs.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/once.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/time64.h>
#include <linux/timekeeping.h>
#include <linux/topology.h>
#include <linux/uaccess.h>
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/uaccess.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <criterion/criterion.h>

struct outer {
	int a;
	struct list_head node;
	u64 tail;
};

struct flex {
	u32 n;
	u64 items[];
};

Test(shim, min_max_keep_types_and_evaluate_once)
{
	int i = 0;
	u8 small = 200;

	cr_assert_eq(min(3, 5), 3);
	cr_assert_eq(max(-3, 5), 5);
	cr_assert_eq(min_t(u8, 300, 7), 7, "min_t casts first: 300 becomes 44 then 7 wins");
	cr_assert_eq(min_t(u8, 300, 100), 44);
	cr_assert_eq(max_t(int, -1, (int)small), 200);
	cr_assert_eq(clamp(15, 0, 10), 10);
	cr_assert_eq(clamp_t(int, -5, 0, 10), 0);
	cr_assert_eq(clamp_val(small, 10, 100), 100);
	cr_assert_eq(min(i++, 10), 0);
	cr_assert_eq(i, 1, "arguments are evaluated once");
	cr_assert_eq(min3(4, 2, 9), 2);
	cr_assert_eq(max3(4, 2, 9), 9);
	cr_assert_eq(min_not_zero(0, 4), 4);
	{
		int x = 1, y = 2;

		swap(x, y);
		cr_assert(x == 2 && y == 1);
	}
}

Test(shim, bits_and_masks)
{
	DECLARE_BITMAP(map, 130);

	cr_assert_eq(BIT(3), 8UL);
	cr_assert_eq(BIT_ULL(40), 1ULL << 40);
	cr_assert_eq(GENMASK(7, 4), 0xf0UL);
	cr_assert_eq(GENMASK(63, 0), ~0UL);
	cr_assert_eq(GENMASK_ULL(39, 32), 0xff00000000ULL);
	cr_assert_eq(FIELD_PREP(GENMASK(11, 8), 0x5), 0x500UL);
	cr_assert_eq(FIELD_GET(GENMASK(11, 8), 0xa5aUL), 0xaUL);
	cr_assert_eq(fls(0), 0);
	cr_assert_eq(fls(1), 1);
	cr_assert_eq(fls(0x80000000u), 32);
	cr_assert_eq(fls64(1ULL << 40), 41);
	cr_assert_eq(__ffs(0x10UL), 4UL);
	cr_assert_eq(ffs(0x10), 5);
	cr_assert_eq(ffz(0x7UL), 3UL);
	cr_assert_eq(hweight32(0xf0f0), 8u);
	cr_assert_eq(hweight64(~0ULL), 64UL);
	cr_assert_eq(ilog2(4096), 12);
	cr_assert_eq(ilog2(1ULL << 40), 40);
	cr_assert(is_power_of_2(64));
	cr_assert_not(is_power_of_2(0));
	cr_assert_eq(roundup_pow_of_two(1000UL), 1024UL);
	cr_assert_eq(order_base_2(5), 3);

	bitmap_zero(map, 130);
	set_bit(129, map);
	cr_assert(test_bit(129, map));
	cr_assert(test_and_set_bit(129, map));
	cr_assert_not(test_and_set_bit(5, map));
	cr_assert(test_and_clear_bit(5, map));
	__set_bit(64, map);
	cr_assert_eq(find_first_bit(map, 130), 64UL);
	cr_assert_eq(find_next_bit(map, 130, 65), 129UL);
	cr_assert_eq(find_first_zero_bit(map, 130), 0UL);
	bitmap_set(map, 0, 10);
	cr_assert_eq(bitmap_weight(map, 130), 12u);
	cr_assert_eq(bitmap_find_next_zero_area(map, 130, 0, 4, 7), 16UL, "aligned to 8");
	bitmap_clear(map, 0, 10);
	cr_assert_eq(bitmap_find_free_region(map, 64, 2), 0);
	cr_assert_eq(bitmap_find_free_region(map, 64, 2), 4);
	bitmap_release_region(map, 0, 2);
	cr_assert_eq(bitmap_find_free_region(map, 64, 2), 0);
}

Test(shim, alignment_and_rounding)
{
	char buf[64];

	cr_assert_eq(ALIGN(13, 8), 16);
	cr_assert_eq(ALIGN(16, 8), 16);
	cr_assert_eq(ALIGN_DOWN(13, 8), 8);
	cr_assert(IS_ALIGNED(4096UL, 4096));
	cr_assert_not(IS_ALIGNED(4097UL, 4096));
	cr_assert_eq((uintptr_t)PTR_ALIGN(buf + 1, 16) % 16, 0);
	cr_assert_eq(DIV_ROUND_UP(10, 4), 3);
	cr_assert_eq(round_up(10, 8), 16);
	cr_assert_eq(round_down(10, 8), 8);
	cr_assert_eq(roundup(10, 6), 12);
	cr_assert_eq(upper_32_bits(0x123456789abcdef0ULL), 0x12345678u);
	cr_assert_eq(lower_32_bits(0x123456789abcdef0ULL), 0x9abcdef0u);
	cr_assert_eq(ARRAY_SIZE(buf), 64);
	cr_assert_eq(PAGE_ALIGN(1UL), PAGE_SIZE);
	cr_assert_eq(SZ_4K, 4096);
	cr_assert_eq(SZ_4G, 1ULL << 32);
	cr_assert_eq(L1_CACHE_BYTES, 64);
	cr_assert_eq(ARCH_DMA_MINALIGN, 128);
	cr_assert_eq(struct_size((struct flex *)NULL, items, 2), sizeof(struct flex) + 16);
	cr_assert_eq(array_size(SIZE_MAX, 2), SIZE_MAX);
	cr_assert_eq(cpu_to_le32(0x11223344), 0x11223344u);
	cr_assert_eq(be32_to_cpu(0x11223344), 0x44332211u);
}

Test(shim, container_of_and_lists)
{
	struct outer a = { .a = 1 }, b = { .a = 2 }, *pos, *n;
	LIST_HEAD(head);
	int sum = 0;

	cr_assert_eq(container_of(&a.node, struct outer, node), &a);
	cr_assert(list_empty(&head));
	list_add_tail(&a.node, &head);
	list_add_tail(&b.node, &head);
	cr_assert_eq(list_first_entry(&head, struct outer, node), &a);
	cr_assert_eq(list_last_entry(&head, struct outer, node), &b);
	list_for_each_entry(pos, &head, node)
		sum = sum * 10 + pos->a;
	cr_assert_eq(sum, 12);
	cr_assert_eq(list_count_nodes(&head), 2);
	list_for_each_entry_safe(pos, n, &head, node)
		list_del(&pos->node);
	cr_assert(list_empty(&head));
	cr_assert_null(list_first_entry_or_null(&head, struct outer, node));
}

Test(shim, err_ptr)
{
	void *e = ERR_PTR(-ENOMEM), *ok = &e;

	cr_assert(IS_ERR(e));
	cr_assert_eq(PTR_ERR(e), -ENOMEM);
	cr_assert_not(IS_ERR(ok));
	cr_assert(IS_ERR_OR_NULL(NULL));
	cr_assert(IS_ERR_OR_NULL(e));
	cr_assert_eq(PTR_ERR_OR_ZERO(ok), 0);
	cr_assert_eq(PTR_ERR_OR_ZERO(ERR_CAST(e)), -ENOMEM);
	cr_assert(IS_ERR(ERR_PTR(-MAX_ERRNO)));
	cr_assert_not(IS_ERR(ERR_PTR(-MAX_ERRNO - 1)));
	cr_assert_eq(EPROBE_DEFER, 517);
	cr_assert_eq(ENOTSUPP, 524);
	cr_assert_eq(EINVAL, 22);
}

Test(shim, warn_returns_condition_and_once_is_once)
{
	int i, hits = 0;

	cr_assert_eq(WARN_ON(0), 0);
	for (i = 0; i < 3; i++)
		hits += WARN_ON_ONCE(i >= 0);
	cr_assert_eq(hits, 3, "WARN_ON_ONCE returns the condition every time");
	cr_assert(WARN(1, "value %d\n", 42));
	for (i = 0; i < 3; i++)
		pr_info_once("printed once\n");
	BUILD_BUG_ON(sizeof(u32) != 4);
	cr_assert_eq(BUILD_BUG_ON_ZERO(0), 0);
}

Test(shim, bug_aborts, .signal = SIGABRT)
{
	BUG_ON(1 + 1 == 2);
}

Test(shim, locks_atomics_completion)
{
	DEFINE_SPINLOCK(lock);
	DEFINE_MUTEX(mtx);
	unsigned long flags;
	atomic_t v = ATOMIC_INIT(1);
	atomic64_t v64 = ATOMIC64_INIT(0);
	refcount_t rc = REFCOUNT_INIT(1);
	struct completion done;

	spin_lock_irqsave(&lock, flags);
	cr_assert_not(spin_trylock(&lock));
	spin_unlock_irqrestore(&lock, flags);
	spin_lock_bh(&lock);
	spin_unlock_bh(&lock);
	mutex_lock(&mtx);
	cr_assert(mutex_is_locked(&mtx));
	mutex_unlock(&mtx);
	cr_assert(mutex_trylock(&mtx));
	mutex_unlock(&mtx);
	cr_assert_eq(atomic_inc_return(&v), 2);
	cr_assert(atomic_dec_and_test(&v) == false);
	cr_assert_eq(atomic_cmpxchg(&v, 1, 5), 1);
	cr_assert_eq(atomic_read(&v), 5);
	atomic64_add(1LL << 40, &v64);
	cr_assert_eq(atomic64_read(&v64), 1LL << 40);
	refcount_inc(&rc);
	cr_assert_not(refcount_dec_and_test(&rc));
	cr_assert(refcount_dec_and_test(&rc));
	init_completion(&done);
	cr_assert_not(try_wait_for_completion(&done));
	cr_assert_eq(wait_for_completion_timeout(&done, 1), 0, "times out when nobody completes");
	complete(&done);
	cr_assert_gt(wait_for_completion_timeout(&done, msecs_to_jiffies(1000)), 0);
	cr_assert_not(completion_done(&done));
	cr_assert(time_after(jiffies + 1, jiffies - 1));
	cr_assert(time_before(ULONG_MAX - 5, 3UL), "time_before handles wrap-around");
}

static void *completer(void *arg)
{
	complete(arg);
	return NULL;
}

Test(shim, completion_across_threads)
{
	DECLARE_COMPLETION(done);
	pthread_t t;

	pthread_create(&t, NULL, completer, &done);
	wait_for_completion(&done);
	pthread_join(t, NULL);
}

Test(shim, mmio_on_plain_memory)
{
	u32 regs[4] = { 0 };
	void __iomem *base = regs;

	writel(0xdeadbeef, base + 4);
	cr_assert_eq(regs[1], 0xdeadbeef);
	cr_assert_eq(readl(base + 4), 0xdeadbeef);
	writeq_relaxed(0x1122334455667788ULL, base + 8);
	cr_assert_eq(readq(base + 8), 0x1122334455667788ULL);
	iowrite32(7, base);
	cr_assert_eq(ioread32(base), 7u);
	wmb();
	dma_rmb();
}

static int kref_released;

static void on_kref_release(struct kref *k)
{
	kref_released++;
}

/* Delays last at least what they ask, busy-waiting or sleeping (no upper bound: not a timing
 * test). */
Test(shim, delays_last_at_least_their_length)
{
	unsigned long long t0 = kdma_monotonic_ns();

	ndelay(500);
	cr_assert_geq(kdma_monotonic_ns() - t0, 500);
	t0 = kdma_monotonic_ns();
	udelay(20);
	cr_assert_geq(kdma_monotonic_ns() - t0, 20000);
	t0 = kdma_monotonic_ns();
	mdelay(1);
	cr_assert_geq(kdma_monotonic_ns() - t0, 1000000);
	t0 = kdma_monotonic_ns();
	fsleep(5);
	fsleep(30);
	usleep_range(10, 20);
	msleep(1);
	cr_assert_geq(kdma_monotonic_ns() - t0, 5000 + 30000 + 10000 + 1000000);
}

Test(shim, poll_unaligned_kref)
{
	u32 reg = 0x3;
	u32 val;
	u8 bytes[7] = { 0, 0x44, 0x33, 0x22, 0x11, 0, 0 };
	struct kref k;

	cr_assert_eq(readl_poll_timeout(&reg, val, val & 0x2, 0, 100), 0);
	cr_assert_eq(val, 3u);
	cr_assert_eq(readl_poll_timeout(&reg, val, val & 0x8, 1, 50), -ETIMEDOUT);
	cr_assert_eq(readl_poll_timeout_atomic(&reg, val, val & 0x1, 1, 50), 0);
	cr_assert_eq(readl_poll_timeout_atomic(&reg, val, val & 0x8, 1, 50), -ETIMEDOUT);
	cr_assert_eq(get_unaligned_le32(bytes + 1), 0x11223344u);
	cr_assert_eq(get_unaligned_be16(bytes + 1), 0x4433);
	put_unaligned_le16(0xbeef, bytes + 5);
	cr_assert_eq(bytes[5], 0xef);
	kref_init(&k);
	kref_get(&k);
	cr_assert_eq(kref_put(&k, on_kref_release), 0);
	cr_assert_eq(kref_put(&k, on_kref_release), 1);
	cr_assert_eq(kref_released, 1);
}

static int work_runs;

static void count_work(struct work_struct *w)
{
	__atomic_fetch_add(&work_runs, 1, __ATOMIC_SEQ_CST);
}

Test(shim, workqueues_run_flush_and_cancel)
{
	struct workqueue_struct *wq = alloc_workqueue("test", WQ_UNBOUND, 1);
	struct work_struct w;
	struct delayed_work dw, never;

	INIT_WORK(&w, count_work);
	INIT_DELAYED_WORK(&dw, count_work);
	INIT_DELAYED_WORK(&never, count_work);
	cr_assert(queue_work(wq, &w));
	flush_work(&w);
	cr_assert_eq(work_runs, 1);
	/* a delayed item far in the future runs at once when flushed */
	cr_assert(queue_delayed_work(wq, &dw, msecs_to_jiffies(60000)));
	cr_assert(delayed_work_pending(&dw));
	cr_assert_not(queue_delayed_work(wq, &dw, 1), "already pending");
	flush_delayed_work(&dw);
	cr_assert_eq(work_runs, 2);
	cr_assert(queue_delayed_work(wq, &never, msecs_to_jiffies(60000)));
	cr_assert(cancel_delayed_work_sync(&never));
	cr_assert_not(cancel_delayed_work_sync(&never));
	cr_assert(schedule_work(&w));
	flush_scheduled_work();
	cr_assert_eq(work_runs, 3);
	flush_workqueue(wq);
	destroy_workqueue(wq);
	cr_assert_eq(work_runs, 3, "the cancelled item never ran");
}

Test(shim, strings)
{
	char buf[4];

	cr_assert_eq(strscpy(buf, "ab", sizeof(buf)), 2);
	cr_assert_eq(strscpy(buf, "abcdef", sizeof(buf)), -E2BIG);
	cr_assert_str_eq(buf, "abc");
	memzero_explicit(buf, sizeof(buf));
	cr_assert_eq(buf[0], 0);
}

static int dummy_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return 0;
}

static const struct pci_device_id dummy_ids[] = { { PCI_DEVICE(0x8086, 0x1234) }, { 0 } };
MODULE_DEVICE_TABLE(pci, dummy_ids);
MODULE_LICENSE("GPL");

static struct pci_driver dummy_driver = { .name = "dummy", .id_table = dummy_ids,
					  .probe = dummy_probe };
module_pci_driver(dummy_driver);

Test(shim, pci_device_dma_setup)
{
	struct pci_dev *pdev = calloc(1, sizeof(*pdev));
	static u32 bar0[64];
	u16 cmd;

	kdma_pci_dev_init(pdev, 0x8086, 0x1234);
	pdev->resource[0].start = virt_to_phys(bar0);
	pdev->resource[0].end = virt_to_phys(bar0) + sizeof(bar0) - 1;
	pdev->resource[0].flags = IORESOURCE_MEM;
	cr_assert_eq(dummy_driver.probe(pdev, &dummy_ids[0]), 0);
	cr_assert_eq(pci_enable_device(pdev), 0);
	pci_set_master(pdev);
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	cr_assert(cmd & PCI_COMMAND_MASTER);
	cr_assert_eq(pci_request_regions(pdev, "dummy"), 0);
	cr_assert_eq(pci_iomap(pdev, 0, 0), (void *)bar0);
	cr_assert_eq(to_pci_dev(&pdev->dev), pdev);
	cr_assert_eq(*pdev->dev.dma_mask, DMA_BIT_MASK(32), "PCI default mask");
	pci_set_drvdata(pdev, bar0);
	cr_assert_eq(pci_get_drvdata(pdev), bar0);
	cr_assert_eq(dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64)), 0);
	cr_assert_eq(*pdev->dev.dma_mask, DMA_BIT_MASK(64));
	pci_release_regions(pdev);
	pci_clear_master(pdev);
	pci_disable_device(pdev);
	kdma_pci_dev_del(pdev);
	free(pdev);
}
