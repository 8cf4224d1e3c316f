#!/bin/sh
# SPDX-License-Identifier: MIT
# Usage: exported_symbols.sh <source dir> <libkdma.so> <libkdma object files...>
# libkdma is compiled with hidden visibility; only declarations of the public headers (shim/,
# <dmasan/sim.h>, <dmasan/dmasan.h>) are default-visible. So the library's dynamic symbol table
# must equal the objects' default-visible definitions: an export without one is a private symbol
# leaking out (a source built without hidden visibility), and a default-visible definition that
# is not exported is public API that exports.map hides. And every export must be named in a public
# header, which catches the whole library losing its hidden default (everything would then be
# default-visible, and exports.map's wildcards would let private dma_* functions out).
set -eu
src=$1
lib=$2
shift 2
[ -f "$lib" ] || { echo "no such library: $lib"; exit 1; }

syms=$(nm -D --defined-only "$lib" | awk '{ print $3 }' | sed 's/@.*//')
count=$(printf '%s\n' "$syms" | grep -c . || true)
[ "$count" -gt 100 ] || { echo "only $count exported symbols in $lib: is it libkdma?"; exit 1; }
[ $# -gt 0 ] || { echo "no object files given"; exit 1; }
public=$(for o in "$@"; do
	readelf -sW "$o" | awk '$5 == "GLOBAL" && $6 == "DEFAULT" && $7 != "UND" { print $8 }'
done | sort -u)
hidden=$(printf '%s\n' "$public" | while read -r s; do
	printf '%s\n' "$syms" | grep -qxF "$s" || echo "$s"
done)
bad=$(printf '%s\n' "$syms" | while read -r s; do
	printf '%s\n' "$public" | grep -qxF "$s" || echo "$s"
done)
bad=$bad$(printf '%s\n' "$syms" | while read -r s; do
	grep -rqwF -- "$s" "$src/shim" "$src/include/dmasan" || echo "$s"
done)
if [ -n "$bad" ]; then
	echo "$lib exports symbols that no public header declares:"
	printf '  %s\n' $bad
	exit 1
fi
if [ -n "$hidden" ]; then
	echo "public symbols (default visibility) that $lib does not export (exports.map):"
	printf '  %s\n' $hidden
	exit 1
fi
echo "libkdma exports $count public symbols, nothing private"
