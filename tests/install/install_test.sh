#!/bin/sh
# Install the build tree into a temporary prefix, then build and run an out-of-tree program
# against it four ways: the README's "Installing" commands as written (only the prefix differs),
# pkg-config, pkg-config after moving the tree (relocatable .pc), and a CMake project using
# find_package(dmasan). No LD_LIBRARY_PATH anywhere: the .pc's rpath and CMake's build rpath
# must find libkdma.
#   install_test.sh <build dir> <this source dir> <C compiler> <cmake>
set -eu
build=$1 src=$2 cc=$3 cmake=$4
unset LD_LIBRARY_PATH PKG_CONFIG_PATH
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmasan-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

step() { printf '== %s\n' "$*"; }

step "README.md, Installing: the commands as written, into $tmp/readme"
readme=$src/../../README.md
awk '/<!-- install-test -->/ { on = 1; next } on && /^```sh/ { body = 1; next }
     body && /^```/ { exit } body { print }' "$readme" >"$tmp/readme.sh"
grep -q '^prefix=' "$tmp/readme.sh" || { echo "no install-test block in README.md"; exit 1; }
mkdir "$tmp/work"
cp "$src/prog.c" "$tmp/work/my_test.c"
ln -s "$(cd "$build" && pwd)" "$tmp/work/build"
sed "s|^prefix=.*|prefix=$tmp/readme|" "$tmp/readme.sh" >"$tmp/work/run.sh"
(cd "$tmp/work" && PATH=$(dirname "$cc"):$PATH sh -eux ./run.sh) >"$tmp/readme.log" 2>&1 ||
	{ cat "$tmp/readme.log"; exit 1; }
grep -q "DMASanitizer" "$tmp/readme.log" && { cat "$tmp/readme.log"; exit 1; }
step "the default prefix /usr/local needs no PKG_CONFIG_PATH"
pkg-config --variable pc_path pkg-config | tr ':' '\n' | grep -qx /usr/local/lib/pkgconfig ||
	{ echo "pkg-config does not search /usr/local/lib/pkgconfig"; exit 1; }

step "cmake --install into $tmp/prefix"
"$cmake" --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; exit 1; }

run_pkgconfig() {
	prefix=$1
	pc=$(find "$prefix" -name dmasan.pc | head -n 1)
	[ -n "$pc" ] || { echo "dmasan.pc not installed"; exit 1; }
	flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs dmasan)
	step "cc prog.c $flags"
	# shellcheck disable=SC2086 # the flags are words
	"$cc" -Wall -Werror -o "$tmp/prog" "$src/prog.c" $flags
	"$tmp/prog"
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
"$tmp/consumer/prog"
step "all consumers built and ran"
