#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the NIC example driver
# with a real-world bug (the receive path reads a packet before dma_sync_single_for_cpu) under
# dmasan. Pass another bug name to try it: scripts/quickstart.sh double-unmap
set -euo pipefail
cd "$(dirname "$0")/.."
bug=${1:-rx-read-before-sync}
bash scripts/deps.sh
BUILD=${BUILD:-build}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j "$(nproc)" >/dev/null
echo "\$ $BUILD/tools/dmasan -- $BUILD/examples/nic/nic_test --bug=$bug --frames=4"
status=0
"$BUILD/tools/dmasan" -- "$BUILD/examples/nic/nic_test" --bug="$bug" --frames=4 || status=$?
echo
if [ "$status" -ne 0 ]; then
  echo "dmasan: the buggy driver exits with status $status, as a CI job would see it."
  echo "The correct driver runs silent: $BUILD/tools/dmasan -- $BUILD/examples/nic/nic_test"
else
  echo "dmasan: no findings (exit status 0)."
fi
