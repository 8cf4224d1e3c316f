#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# shim_coverage.sh KERNEL_TREE [--complete] FILE... : for each kernel source FILE (relative to
# KERNEL_TREE), the kernel headers it includes directly: provided by shim/, taken from the
# extracted kernel tree itself (KERNEL_TREE/include), or lacking. Files after --complete must
# lack none (exit status 1 otherwise): the suite compiles them.
# Headers the shim lacks may still resolve to the C library's UAPI copies (/usr/include/linux),
# which declare none of the kernel-internal API: a driver fails on them later, not here.
set -euo pipefail
shim="$(cd "$(dirname "$0")/../../shim" && pwd)"
tree=$1
shift
complete=0
status=0
for f in "$@"; do
	if [ "$f" = --complete ]; then
		complete=1
		continue
	fi
	have=0
	kernel=0
	lacking=()
	for h in $(grep -oE '^#include <(linux|asm|net|trace)/[^>]+>' "$tree/$f" | sed 's/^#include <//; s/>$//' | sort -u); do
		if [ -f "$shim/$h" ]; then
			have=$((have + 1))
		elif [ -f "$tree/include/$h" ] || [ -f "$tree/include/uapi/$h" ]; then
			kernel=$((kernel + 1))
		else
			lacking+=("$h")
		fi
	done
	echo "$f: $have from shim/, $kernel from the kernel tree, ${#lacking[@]} lacking${lacking:+: ${lacking[*]}}"
	if [ $complete = 1 ] && [ ${#lacking[@]} -gt 0 ]; then
		status=1
	fi
done
exit $status
