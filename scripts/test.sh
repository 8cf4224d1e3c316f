#!/usr/bin/env bash
# The whole test suite: install missing packages, build warnings-as-errors, run every test; then
# each libFuzzer target for a bounded time from its seeds (FUZZ_SECONDS, default 30; 0 skips):
# a crash, hang or sanitizer finding fails the run (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
BUILD=${BUILD:-build}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDMASAN_WERROR=ON >/dev/null
cmake --build "$BUILD" -j "$(nproc)"
ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)"

FUZZ_SECONDS=${FUZZ_SECONDS:-30}
if [ "$FUZZ_SECONDS" != 0 ]; then
	FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
	cmake -S . -B "$FUZZ_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
		-DDMASAN_FUZZ=ON -DDMASAN_FUZZ_SECONDS="$FUZZ_SECONDS" -DDMASAN_BUILD_BENCH=OFF \
		-DDMASAN_BUILD_EXAMPLES=OFF >/dev/null
	cmake --build "$FUZZ_BUILD" -j "$(nproc)" --target fuzz_api fuzz_options fuzz_suppress \
		fuzz_report
	ctest --test-dir "$FUZZ_BUILD" --output-on-failure -R '^fuzz_[a-z]+_run$'
fi
