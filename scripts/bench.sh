#!/usr/bin/env bash
# Benchmarks (figures, not assertions): `validate` of the example as a whole
# process, and the analysis of generated templates of 250..2000 resources.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p tasknet
ex=examples/todobackend
tn=${CARGO_TARGET_DIR:-target}/release/tasknet
export TASKNET_STATE_DIR=$(mktemp -d)
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 5 --runs 100 "$tn validate --template-file $ex/stack.yml --parameter-overrides $(cat $ex/dev.cfg | tr '\n' ' ')"
else
  runs=100
  start=$(date +%s%N)
  for _ in $(seq $runs); do $tn validate --template-file $ex/stack.yml --parameter-overrides $(cat $ex/dev.cfg) >/dev/null; done
  end=$(date +%s%N)
  echo "validate example (whole process): $(( (end - start) / runs / 1000 )) µs mean over $runs runs"
fi
cargo bench --locked -p stacks --bench validate -- --noplot
