#!/bin/sh
# Install the build tree into a temporary prefix, then build and run an out-of-tree program
# against it three ways: pkg-config, pkg-config after moving the tree (relocatable .pc), and a
# CMake project using find_package(dmasan).
#   install_test.sh <build dir> <this source dir> <C compiler> <cmake>
set -eu
build=$1 src=$2 cc=$3 cmake=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmasan-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

step() { printf '== %s\n' "$*"; }

step "cmake --install into $tmp/prefix"
"$cmake" --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; exit 1; }

run_pkgconfig() {
	prefix=$1
	pc=$(find "$prefix" -name dmasan.pc | head -n 1)
	[ -n "$pc" ] || { echo "dmasan.pc not installed"; exit 1; }
	libdir=$(dirname "$(find "$prefix" -name 'libkdma.so' | head -n 1)")
	flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs dmasan)
	step "cc prog.c $flags"
	# shellcheck disable=SC2086 # the flags are words
	"$cc" -Wall -Werror -o "$tmp/prog" "$src/prog.c" $flags
	LD_LIBRARY_PATH=$libdir "$tmp/prog"
}

run_pkgconfig "$tmp/prefix"

step "move the installed tree: the .pc file is relative to itself"
mv "$tmp/prefix" "$tmp/moved"
run_pkgconfig "$tmp/moved"

step "find_package(dmasan) from a CMake project"
"$cmake" -S "$src/consumer" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$tmp/moved" \
	-DCMAKE_C_COMPILER="$cc" -DPROG_SOURCE="$src/prog.c" >"$tmp/consumer.log" 2>&1 ||
	{ cat "$tmp/consumer.log"; exit 1; }
"$cmake" --build "$tmp/consumer" >>"$tmp/consumer.log" 2>&1 ||
	{ cat "$tmp/consumer.log"; exit 1; }
libdir=$(dirname "$(find "$tmp/moved" -name 'libkdma.so' | head -n 1)")
LD_LIBRARY_PATH=$libdir "$tmp/consumer/prog"
step "all consumers built and ran"
