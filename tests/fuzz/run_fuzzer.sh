#!/bin/sh
# run_fuzzer.sh FUZZER WORKDIR SECONDS INPUT_DIR...: a bounded libFuzzer run from the seeds.
# Fails on any crash, leak, hang (-timeout=60 s per input: generous, as CI machines are shared)
# or sanitizer finding, and prints the executions and coverage reached. The sanitizer's text
# reports go to stdout, closed (-close_fd_mask=1). Crash inputs land in WORKDIR/artifacts/.
set -eu
fuzzer=$1 work=$2 seconds=$3
shift 3
mkdir -p "$work/corpus" "$work/artifacts"
# Huge sizes are fuzzed: libc's malloc returns NULL for them and so must ASan's.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1"
exec nice -n 10 "$fuzzer" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 \
	-max_len=4096 -close_fd_mask=1 -print_final_stats=1 \
	-artifact_prefix="$work/artifacts/" "$work/corpus" "$@"
