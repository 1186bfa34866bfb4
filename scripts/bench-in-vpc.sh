#!/usr/bin/env bash
# An SDK call from inside a task, through a NAT gateway and then through a
# Secrets Manager interface endpoint (scripts/py/bench_in_vpc.py): the
# example examples/secret-reader under `tasknet up`, its application's own
# per-call figures from its awslogs stream; informational. Also the extra
# cost of the start-time pull checks per task start (simulated deploys of
# a service with and without a container secret). Root (namespaces);
# BENCH_CALLS (40) calls per path. Builds tasknet in release (PROFILE=debug
# for the debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/root.sh
tn_rerun_as_root "$0" "$@"
. scripts/lib/venv.sh
tn_venv
. scripts/lib/bench.sh
tn_bench_tasknet bench-in-vpc
exec "$TN_PYTHON" scripts/py/bench_in_vpc.py
