#!/usr/bin/env bash
# A custom resource's round trip inside a deploy (tests/wire/bench_custom.py):
# stacks whose one resource is a Lambda-backed custom resource against the
# same stacks with an SSM parameter instead, same server, same run. Builds
# tasknet in release (PROFILE=debug for the debug build); BENCH_ROUNDS (8).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/venv.sh
tn_venv
. scripts/lib/bench.sh
tn_bench_tasknet bench-custom
exec "$TN_PYTHON" tests/wire/bench_custom.py
