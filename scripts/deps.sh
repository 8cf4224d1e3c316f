#!/usr/bin/env bash
# Install what dmasan needs on Debian 12 (as root, or with sudo). Skips packages already present.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libcriterion-dev libunwind-dev uthash-dev libjson-c-dev
      libdw-dev libbsd-dev valgrind python3 python3-jsonschema
      linux-source-6.1 # tests/upstream: real kernel files, extracted at build time
      clang libclang-rt-14-dev # clang + libFuzzer: scripts/sanitize.sh fuzz
      linux-perf) # profiling bench/ (perf record -e cpu-clock: no hardware counters in a VM)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "dmasan: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
