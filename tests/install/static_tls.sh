#!/bin/sh
# SPDX-License-Identifier: MIT
# Usage: static_tls.sh <libdmasan.so>
# Every thread-local variable of the preload runtime is initial-exec: its hooks read them on every
# map and unmap, and its SIGSEGV handler (the mprotect backend) too. A general-dynamic one is a
# __tls_get_addr call each time (a tenth of a checked map+unmap once), and that is no place for
# a call that may allocate. Such a variable shows as a DTPMOD relocation.
set -eu
lib=$1
[ -f "$lib" ] || { echo "no such library: $lib"; exit 1; }
dyn=$(readelf -rW "$lib" | grep -c 'DTPMOD' || true)
if [ "$dyn" -ne 0 ]; then
	echo "$lib has $dyn general-dynamic TLS relocations (a __thread without tls_model(\"initial-exec\")):"
	readelf -rW "$lib" | grep 'DTPMOD\|DTPOFF'
	exit 1
fi
tp=$(readelf -rW "$lib" | grep -c 'TPOFF' || true)
[ "$tp" -gt 0 ] || { echo "no TLS relocations at all in $lib: is it libdmasan.so?"; exit 1; }
echo "$lib: $tp initial-exec TLS relocations, no general-dynamic one"
