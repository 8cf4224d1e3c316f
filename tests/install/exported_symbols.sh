#!/bin/sh
# SPDX-License-Identifier: MIT
# Usage: exported_symbols.sh <libkdma.so> <libkdma object files...>
# libkdma's dynamic symbol table holds the public API only: the kernel DMA API and helpers of
# shim/, dmasim_* (<dmasan/sim.h>), dmasan_* (<dmasan/dmasan.h>) and the kdma_* helpers that shim
# macros call. Any other defined symbol is a private one leaking out; they are printed. The other
# way round, every default-visible definition of the objects (a public header declares it) must be
# exported: exports.map must not hide public API.
set -eu
lib=$1
shift
[ -f "$lib" ] || { echo "no such library: $lib"; exit 1; }

allowed='^(dma_|dmam_|dmaengine_|dmasim_|dmasan_|sg_|__sg_|dev_|_dev_printk$|devres_|devm_|pci_|pcim_)'
allowed="$allowed|^(printk|_printk|__warn_printk)$"
allowed="$allowed|^(kmalloc|kzalloc|kcalloc|krealloc|kfree|kmemdup|kstrdup|kstrndup)"
allowed="$allowed|^(kvmalloc|kvzalloc|kvcalloc|kvrealloc|kvfree)"
allowed="$allowed|^(ksize|vmalloc|vmalloc_array|vmalloc_to_page|vmalloc_to_pfn|vzalloc|vcalloc)$"
allowed="$allowed|^(vfree|is_vmalloc_addr|get_dma_buf)$"
allowed="$allowed|^(alloc_pages|__free_pages|free_pages|__get_free_pages|get_zeroed_page)$"
allowed="$allowed|^(page_address|virt_to_page|page_to_phys|virt_to_phys|phys_to_virt|pfn_to_page)$"
allowed="$allowed|^(page_to_pfn|nth_page|get_page|put_page|page_ref_count|virt_addr_valid)$"
allowed="$allowed|^(device_initialize|device_del|get_device|put_device|set_dma_ops|get_dma_ops)$"
allowed="$allowed|^(kdma_bug|kdma_warn_slowpath)$"
allowed="$allowed|^kdma_(system_wq|alloc_workqueue|destroy_workqueue|queue_work|cancel_work)$"
allowed="$allowed|^kdma_(flush_work|flush_workqueue)$"
allowed="$allowed|^kdma_(pci_dev_init|pci_dev_del|pci_iomap_table)$"
allowed="$allowed|^(device_add|device_register|device_unregister|kthread_.*|wake_up_process|get_task_struct|put_task_struct|schedule_timeout|kdma_current)$"
allowed="$allowed|^(debugfs_.*|platform_driver_register|platform_driver_unregister|misc_register|misc_deregister|ida_.*)$"
allowed="$allowed|^(request_threaded_irq|free_irq|disable_irq|disable_irq_nosync|enable_irq|synchronize_irq|kdma_irq_raise)$"
allowed="$allowed|^(alloc_skb|__netdev_alloc_skb|napi_alloc_skb|skb_add_rx_frag|skb_put|skb_push|skb_pull|skb_padto)$"
allowed="$allowed|^(alloc_netdev|free_netdev|register_netdev|unregister_netdev|netif_receive_skb|netif_napi_.*|napi_.*|__napi_schedule)$"
allowed="$allowed|^(kdma_pci_probe|kdma_debugfs_(fops|open|release)|kdma_misc_(fops|open|release)|kdma_module_record|kdma_modules_(init|exit)|kdma_netdev_set_rx|kdma_platform_(device_init|device_del|probe)|kdma_stub_called)$"

syms=$(nm -D --defined-only "$lib" | awk '{ print $3 }' | sed 's/@.*//')
count=$(printf '%s\n' "$syms" | grep -c . || true)
[ "$count" -gt 100 ] || { echo "only $count exported symbols in $lib: is it libkdma?"; exit 1; }
bad=$(printf '%s\n' "$syms" | grep -Ev "$allowed" || true)
if [ -n "$bad" ]; then
	echo "$lib exports symbols outside the public API:"
	printf '  %s\n' $bad
	exit 1
fi
[ $# -gt 0 ] || { echo "no object files given"; exit 1; }
public=$(for o in "$@"; do
	readelf -sW "$o" | awk '$5 == "GLOBAL" && $6 == "DEFAULT" && $7 != "UND" { print $8 }'
done | sort -u)
hidden=$(printf '%s\n' "$public" | while read -r s; do
	printf '%s\n' "$syms" | grep -qxF "$s" || echo "$s"
done)
if [ -n "$hidden" ]; then
	echo "public symbols (default visibility) that $lib does not export (exports.map):"
	printf '  %s\n' $hidden
	exit 1
fi
echo "libkdma exports $count public symbols, nothing private"
