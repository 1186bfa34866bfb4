#!/usr/bin/env bash
# The wire endpoint's benchmark: tasknet against moto's server, same machine,
# same run, same client (wrk replaying botocore-signed requests). Builds
# tasknet in release (PROFILE=debug for the debug build), makes the pinned
# venv once, installs wrk from Debian's packages if it is missing (as root).
# BENCH_SECS (5), BENCH_CONNS (16), BENCH_THREADS (2) tune the wrk runs.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/venv.sh
. scripts/lib/root.sh
tn_venv
if ! command -v wrk >/dev/null 2>&1; then
  if tn_is_root; then
    apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
  else
    echo "bench-wire: wrk is missing and this is not root: apt-get install -y wrk" >&2
    exit 1
  fi
fi
. scripts/lib/bench.sh
tn_bench_tasknet bench-wire
exec "$TN_PYTHON" tests/wire/bench_wire.py
