#!/usr/bin/env bash
# dmasan checking itself (docs/reliability.md). Each mode builds its own tree next to build/:
#
#   scripts/sanitize.sh asan       ASan+UBSan build (build-asan): unit, conformance, fuzz corpora,
#                                  stress tests and the e2e programs under the preload
#   scripts/sanitize.sh tsan       ThreadSanitizer build (build-tsan): every test Criterion and
#                                  Valgrind leave to it (stress, e2e, exhaustion, ...)
#   scripts/sanitize.sh memcheck   libkdma's unit tests under Valgrind memcheck (build/)
#   scripts/sanitize.sh fuzz [S]   clang libFuzzer build (build-fuzz): every target for S seconds
#
# SANITIZE_TESTS=<ctest -R regex> narrows the tests run (the CI subset uses it). Exit status: 0
# clean, non-zero on any finding or failing test.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
jobs=${JOBS:-2}
common=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DDMASAN_WERROR=ON -DDMASAN_BUILD_BENCH=OFF
	-DDMASAN_BUILD_EXAMPLES=OFF)

build() { # build DIR CMAKE_ARGS...
	local dir=$1
	shift
	nice -n 10 cmake -S . -B "$dir" "${common[@]}" "$@" >/dev/null
	nice -n 10 cmake --build "$dir" -j "$jobs" >/dev/null
}

run_ctest() { # run_ctest DIR LABEL_REGEX
	local args=(--test-dir "$1" --output-on-failure -j "$jobs" -L "$2")
	[ -n "${SANITIZE_TESTS:-}" ] && args+=(-R "$SANITIZE_TESTS")
	[ -n "${SANITIZE_EXCLUDE:-}" ] && args+=(-E "$SANITIZE_EXCLUDE")
	nice -n 10 ctest "${args[@]}"
}

case "$mode" in
asan)
	build build-asan -DDMASAN_SANITIZE=address,undefined
	# halt_on_error: the first finding fails the test. The e2e programs are ASan-built and
	# preload libdmasan.so (ASan-built too) in front of libasan: ASan accepts that order.
	# Leak detection stays on; huge sizes get NULL as from libc.
	export ASAN_OPTIONS=halt_on_error=1:verify_asan_link_order=0:allocator_may_return_null=1:detect_leaks=1
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
	# Left out (docs/reliability.md): Valgrind does not run ASan-built programs
	# (backend_*valgrind*); ASan takes the deliberate SIGSEGV of stress_death_segv itself;
	# ASan's shadow reserves the MMIO window map-resource-ram_fixed maps.
	SANITIZE_EXCLUDE='valgrind|^stress_death_segv$|^e2e_map-resource-ram_fixed$|^stress_fork$' \
		run_ctest build-asan 'unit|conformance|fuzz-corpus|stress|e2e|exhaustion'
	# stress_fork without leak detection: a child forked while worker threads map and unmap
	# inherits their in-flight and per-thread cached shadow blocks, reachable only from
	# threads that do not exist in the child, which LeakSanitizer then calls leaks.
	if [ -z "${SANITIZE_TESTS:-}" ] || [[ stress_fork =~ ${SANITIZE_TESTS} ]]; then
		ASAN_OPTIONS=${ASAN_OPTIONS/detect_leaks=1/detect_leaks=0} \
			nice -n 10 ctest --test-dir build-asan --output-on-failure -R '^stress_fork$'
	fi
	;;
tsan)
	build build-tsan -DDMASAN_SANITIZE=thread
	# Every test but: the Criterion tests (unit, conformance, backend_criterion_gate*:
	# Criterion's inheritable arena fails to map under TSan); the backend_*valgrind* tests
	# (Valgrind does not run TSan-built programs); the freed-while-mapped programs that free
	# with free/realloc (TSan's runtime, in front, owns malloc and free: the sanitizer never
	# sees the free, so nothing is reported and the unmap reads the freed block);
	# cpu-read-device-owned.lazy-giveback_fixed (it counts mprotect calls through its own
	# exported mprotect, which TSan's own calls reach too); and the docs tests (they compare the
	# output of a default build). The tests preload the TSan runtime in front of libdmasan.so
	# (DMASAN_TEST_PRELOAD in tests/CMakeLists.txt).
	#   detect_deadlocks=0: fork() holds every runtime lock at once, more than TSan's deadlock
	#     detector can track (64); lock order is kept by rt/fork.c instead.
	#   handle_segv=0: stress_death_segv's deliberate SIGSEGV must kill it, not TSan's handler.
	#   die_after_fork=0: stress_fork's children start a thread (a lazy IOMMU's flush timer)
	#     after a fork from a threaded parent, which TSan refuses by default.
	#   history_size=7: a suppression (tools/tsan/dmasan.supp) matches a stack TSan must keep.
	# Reports go to files, so that one in a program that fails anyway (a buggy e2e program)
	# cannot pass unseen: any report fails the run.
	reports=$PWD/build-tsan/tsan-reports
	rm -rf "$reports"
	mkdir -p "$reports"
	export TSAN_OPTIONS=halt_on_error=1:detect_deadlocks=0:handle_segv=0:die_after_fork=0:history_size=7:suppressions=$PWD/tools/tsan/dmasan.supp:log_path=$reports/tsan
	status=0
	SANITIZE_EXCLUDE='valgrind|criterion|^e2e_freed-while-mapped\.(free|realloc|large-free)$|^e2e_cpu-read-device-owned\.lazy-giveback_fixed$' \
		run_ctest build-tsan 'stress|e2e|exhaustion|fuzz-corpus|backends|golden|report|upstream|install' ||
		status=1
	for f in "$reports"/tsan.*; do
		[ -e "$f" ] || continue
		cat "$f"
		status=1
	done
	exit $status
	;;
memcheck)
	[ -d build ] || build build
	nice -n 10 cmake --build build -j "$jobs" >/dev/null
	status=0
	for t in build/tests/kdma_test_*; do
		echo "memcheck: $t"
		nice -n 10 valgrind -q --error-exitcode=99 --trace-children=yes --leak-check=full \
			--errors-for-leak-kinds=definite --suppressions=tools/valgrind/dmasan.supp \
			"$t" --jobs 1 >/dev/null 2>"build/memcheck.$(basename "$t").log" || {
			echo "memcheck: $t failed (build/memcheck.$(basename "$t").log)"
			status=1
		}
	done
	exit $status
	;;
fuzz)
	build build-fuzz -DCMAKE_C_COMPILER=clang -DDMASAN_FUZZ=ON -DDMASAN_FUZZ_SECONDS="${2:-60}"
	nice -n 10 ctest --test-dir build-fuzz --output-on-failure -L '^fuzz$'
	;;
*)
	echo "usage: scripts/sanitize.sh asan|tsan|memcheck|fuzz [seconds]" >&2
	exit 2
	;;
esac
