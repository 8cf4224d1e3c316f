#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# shim_coverage.sh KERNEL_TREE FILE...: for each kernel source FILE (relative to KERNEL_TREE), the
# kernel headers it includes directly, split into those shim/ provides and those it lacks.
# Headers the shim lacks may still resolve to the C library's UAPI copies (/usr/include/linux),
# which declare none of the kernel-internal API: a driver fails on them later, not here.
set -euo pipefail
shim="$(cd "$(dirname "$0")/../../shim" && pwd)"
tree=$1
shift
for f in "$@"; do
	have=0
	lacking=()
	for h in $(grep -oE '^#include <(linux|asm|net|trace)/[^>]+>' "$tree/$f" | sed 's/^#include <//; s/>$//' | sort -u); do
		if [ -f "$shim/$h" ]; then
			have=$((have + 1))
		else
			lacking+=("$h")
		fi
	done
	echo "$f: $have provided, ${#lacking[@]} lacking${lacking:+: ${lacking[*]}}"
done
