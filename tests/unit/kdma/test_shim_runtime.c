// SPDX-License-Identifier: MIT
/* Shim pieces with behaviour: kthreads, ktime, math64, debugfs, modules, platform bus, stubs. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <dmasan/sim.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/once.h>
#include <linux/platform_device.h>
#include <linux/uaccess.h>

static int loops_until_stopped(void *data)
{
	atomic_t *loops = data;

	while (!kthread_should_stop()) {
		atomic_inc(loops);
		cond_resched();
	}
	return 42;
}

Test(kthread, runs_until_stopped_and_returns_its_result)
{
	atomic_t loops = ATOMIC_INIT(0);
	struct task_struct *t = kthread_create(loops_until_stopped, &loops, "worker/%d", 3);

	cr_assert(!IS_ERR(t));
	cr_assert_str_eq(t->comm, "worker/3");
	get_task_struct(t);
	cr_assert_eq(wake_up_process(t), 1);
	cr_assert_eq(wake_up_process(t), 0, "already running");
	while (atomic_read(&loops) < 10)
		cond_resched();
	cr_assert_eq(kthread_stop(t), 42);
	put_task_struct(t);
	cr_assert_not(kthread_should_stop(), "the test thread is no kthread");
	cr_assert_not_null(current);
}

Test(kthread, stopped_before_it_ran)
{
	struct task_struct *t = kthread_create(loops_until_stopped, NULL, "never");

	cr_assert_eq(kthread_stop(t), -EINTR);
}

Test(shim, ktime_and_math64)
{
	ktime_t a = ktime_get(), b = ktime_get();

	cr_assert_geq(ktime_sub(b, a), 0);
	cr_assert_eq(ktime_to_us(ms_to_ktime(3)), 3000);
	cr_assert_eq(div64_ul(1000, 100), 10);
	cr_assert_eq(int_sqrt64(0), 0);
	cr_assert_eq(int_sqrt64(99), 9);
	cr_assert_eq(int_sqrt64(100), 10);
	cr_assert_eq(int_sqrt64(~0ULL), 0xffffffffULL);
}

static int ncalls;

static void count(int by)
{
	ncalls += by;
}

Test(shim, do_once_and_stub_messages, .init = cr_redirect_stderr)
{
	for (int i = 0; i < 3; i++)
		DO_ONCE(count, 2);
	cr_assert_eq(ncalls, 2);
	kthread_bind(current, 0);
	kthread_bind(current, 1);
	fflush(stderr);
	cr_assert_stderr_eq_str("DMA-API: kthread_bind() is a stub in dmasan's kernel shim: it "
				"does nothing here\n");
}

static long echo_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	int v;

	if (copy_from_user(&v, (void __user *)arg, sizeof(v)))
		return -EFAULT;
	v += *(int *)file->private_data + (int)cmd;
	return copy_to_user((void __user *)arg, &v, sizeof(v)) ? -EFAULT : 0;
}

Test(debugfs, a_file_reaches_its_operations, .init = cr_redirect_stderr)
{
	static const struct file_operations fops = { .open = simple_open,
						     .unlocked_ioctl = echo_ioctl };
	static int base = 100;
	struct dentry *dir = debugfs_create_dir("drv", NULL);
	struct file f;
	int v = 1;

	cr_assert(!IS_ERR(debugfs_create_file("ctl", 0600, dir, &base, &fops)));
	cr_assert_eq(PTR_ERR(debugfs_create_file("ctl", 0600, dir, &base, &fops)), -EEXIST);
	cr_assert_eq(kdma_debugfs_open("drv/ctl", &f), 0);
	cr_assert_eq(f.private_data, &base, "simple_open");
	cr_assert_eq(kdma_debugfs_fops(&f)->unlocked_ioctl(&f, 5, (unsigned long)&v), 0);
	cr_assert_eq(v, 106);
	cr_assert_eq(kdma_debugfs_release(&f), 0);
	cr_assert_eq(kdma_debugfs_open("drv/none", &f), -ENOENT);
	debugfs_remove(dir);
	cr_assert_null(debugfs_lookup("drv", NULL));
	cr_assert_eq(kdma_debugfs_open("drv/ctl", &f), -ENOENT, "removed with its directory");
}

static int inits, exits;

static int __init mod_init(void)
{
	inits++;
	return 0;
}

static void __exit mod_exit(void)
{
	exits++;
}

module_init(mod_init);
module_exit(mod_exit);

static int plat_probed;

static int plat_probe(struct platform_device *pdev)
{
	void *p = alloc_pages_exact(3 * PAGE_SIZE, GFP_KERNEL);

	cr_assert_not_null(p);
	memset(p, 0, 3 * PAGE_SIZE);
	free_pages_exact(p, 3 * PAGE_SIZE);
	plat_probed = pdev->id;
	return 0;
}

static struct platform_driver plat_drv = { .probe = plat_probe, .driver = { .name = "plat" } };

Test(bus, modules_and_platform_drivers, .init = cr_redirect_stderr)
{
	struct platform_device pdev = { 0 }, other = { 0 };

	cr_assert_eq(kdma_modules_init(), 0);
	cr_assert_eq(kdma_modules_init(), 0, "a loaded module is not loaded again");
	cr_assert_eq(inits, 1);
	cr_assert_eq(platform_driver_register(&plat_drv), 0);
	kdma_platform_device_init(&pdev, "plat", 4);
	kdma_platform_device_init(&other, "unknown", -1);
	cr_assert_str_eq(dev_name(&pdev.dev), "plat.4");
	cr_assert_eq(kdma_platform_probe(&pdev), 0);
	cr_assert_eq(plat_probed, 4);
	cr_assert_eq(kdma_platform_probe(&other), -ENODEV);
	kdma_platform_device_del(&pdev);
	kdma_platform_device_del(&other);
	platform_driver_unregister(&plat_drv);
	kdma_modules_exit();
	cr_assert_eq(exits, 1);
}

static int hits[3];

static irqreturn_t count_irq(int irq, void *dev_id)
{
	hits[*(int *)dev_id]++;
	return IRQ_HANDLED;
}

static irqreturn_t wake_thread(int irq, void *dev_id)
{
	return IRQ_WAKE_THREAD;
}

Test(irq, lines_run_requested_handlers, .init = cr_redirect_stderr)
{
	static int a = 0, b = 1, c = 2;
	struct device *dev = dmasim_device_create(NULL);

	memset(hits, 0, sizeof(hits));
	cr_assert_eq(request_irq(40, count_irq, IRQF_SHARED, "a", &a), 0);
	cr_assert_eq(request_irq(40, count_irq, IRQF_SHARED, "b", &b), 0);
	cr_assert_eq(request_irq(40, count_irq, 0, "x", &c), -EBUSY, "not shared");
	cr_assert_eq(kdma_irq_raise(40), IRQ_HANDLED);
	cr_assert(hits[0] == 1 && hits[1] == 1);
	disable_irq(40);
	disable_irq(40);
	cr_assert_eq(kdma_irq_raise(40), 0, "held while disabled");
	enable_irq(40);
	cr_assert_eq(hits[0], 1);
	enable_irq(40);
	cr_assert(hits[0] == 2 && hits[1] == 2, "delivered when enabled again");
	cr_assert_str_eq(free_irq(40, &a), "a");
	cr_assert_eq(kdma_irq_raise(40), IRQ_HANDLED);
	cr_assert(hits[0] == 2 && hits[1] == 3);
	cr_assert_str_eq(free_irq(40, &b), "b");
	cr_assert_eq(kdma_irq_raise(40), -ENOENT);
	cr_assert_null(free_irq(40, &b));

	cr_assert_eq(devm_request_threaded_irq(dev, 41, wake_thread, count_irq, 0, "t", &c), 0);
	cr_assert_eq(kdma_irq_raise(41), IRQ_HANDLED);
	cr_assert_eq(hits[2], 1, "the threaded part ran");
	dmasim_device_destroy(dev);
	cr_assert_eq(kdma_irq_raise(41), -ENOENT, "devres freed the line");
}
