#!/usr/bin/env bash
# Benchmarks (figures, not assertions):
# - `validate` of the example as a whole process;
# - `deploy` of the example to a steady state as a whole process (a fresh
#   state folder per run, so every run creates the whole stack);
# - the analysis of generated templates of 250..2000 resources;
# - 1,000 tasks placed over 500 instances (control plane);
# - address allocation and release as subnets fill (account);
# - one reachability question on the example, and the whole audit of
#   generated VPCs of 1,000..10,000 ENIs (reach).
# PEER=/path/to/an/older/tasknet times the same whole-process runs with it
# too, alternating rounds (ROUNDS, default 3) so both see the same machine;
# each figure is the fastest round's mean.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p tasknet
ex=examples/todobackend
tn=${CARGO_TARGET_DIR:-target}/release/tasknet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TASKNET_STATE_DIR=$work/validate
params=$(tr '\n' ' ' < $ex/dev.cfg)

mean_us() { # runs, command, binary: mean wall time of a whole process, in µs
  local runs=$1; shift
  local start end
  start=$(date +%s%N)
  for i in $(seq "$runs"); do "$@" "$i" >/dev/null; done
  end=$(date +%s%N)
  echo $(( (end - start) / runs / 1000 ))
}
validate_once() { $1 validate --template-file $ex/stack.yml --parameter-overrides $params; }
deploy_once() {
  TASKNET_STATE_DIR=$work/deploy-$RANDOM-$2 $1 deploy --quiet --template-file $ex/stack.yml --stack-name todobackend \
    --parameter-overrides $params --capabilities CAPABILITY_NAMED_IAM --custom-outputs $ex/custom-outputs.json
}
bins=("tasknet=$tn")
[ -n "${PEER:-}" ] && bins+=("peer=$PEER")
declare -A best_v best_d
for round in $(seq "${ROUNDS:-3}"); do
  for b in "${bins[@]}"; do
    name=${b%%=*} bin=${b#*=}
    v=$(mean_us 100 validate_once "$bin") d=$(mean_us 20 deploy_once "$bin")
    [ -z "${best_v[$name]:-}" ] || [ "$v" -lt "${best_v[$name]}" ] && best_v[$name]=$v
    [ -z "${best_d[$name]:-}" ] || [ "$d" -lt "${best_d[$name]}" ] && best_d[$name]=$d
  done
done
for b in "${bins[@]}"; do
  name=${b%%=*}
  echo "$name: validate example (whole process): ${best_v[$name]} µs mean over 100 runs (fastest of ${ROUNDS:-3} rounds)"
  echo "$name: deploy example to steady state (whole process, fresh state): ${best_d[$name]} µs mean over 20 runs (fastest of ${ROUNDS:-3} rounds)"
done
cargo bench --locked -p stacks --bench validate -- --noplot
cargo bench --locked -p control --bench placement -- --noplot
cargo bench --locked -p account --bench addresses -- --noplot
cargo bench --locked -p reach --bench reach -- --noplot
