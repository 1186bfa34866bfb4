#!/usr/bin/env bash
# How the store's cost grows with the stack (figures, not assertions):
# `deploy` and `delete-stack` of generated templates of N resources as whole
# processes, each in a fresh state folder, with wall time and peak memory.
# Two shapes: N security groups in the default VPC (what a new user tries
# first), and the mixed synthetic template of the stacks bench (VPCs,
# subnets, groups, route tables, task definitions and services).
# Usage: [RUNS=3] scripts/bench-store.sh [N ...]   (default: 125 250 500, CloudFormation's
# quota of resources per template)
# Each figure is the fastest of RUNS fresh runs, with that run's peak RSS.
# PEER=/path/to/an/older/tasknet runs the same templates through it too, in
# the same run (the machine is noisy: compare only figures of one run).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p tasknet
cargo build --release --locked -q -p stacks --example synthetic
target=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
tn=$target/release/tasknet
synthetic=$target/release/examples/synthetic
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@")
runs=${RUNS:-3}
[ ${#sizes[@]} -eq 0 ] && sizes=(125 250 500)
# The default account's VPC (deterministic IDs, as examples/todobackend/dev.cfg names it).
vpc=$(grep '^VpcId=' examples/todobackend/dev.cfg | cut -d= -f2)

groups_template() { # n: n security groups, each with one ingress rule
  echo "AWSTemplateFormatVersion: '2010-09-09'"
  echo "Resources:"
  for i in $(seq "$1"); do
    printf '  G%d:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g%d\n      VpcId: %s\n' "$i" "$i" "$vpc"
    printf '      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 8000, ToPort: 8000, CidrIp: 10.%d.%d.0/24}]\n' $((i / 256)) $((i % 256))
  done
}

once() { # command...: sets ms and kib for one run (wall time from bash, peak memory from GNU time)
  local start=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; return 1; }
  local end=$EPOCHREALTIME
  ms=$(( (${end/./} - ${start/./}) / 1000 )) kib=$(cat "$work/time")
}

[ -x /usr/bin/time ] || { echo "bench-store: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
bins=("this=$tn")
[ -n "${PEER:-}" ] && bins+=("peer=$PEER")
for shape in groups mixed; do
  for n in "${sizes[@]}"; do
    t=$work/$shape-$n.yml
    if [ $shape = groups ]; then groups_template "$n" > "$t"; else $synthetic "$n" > "$t"; fi
    for b in "${bins[@]}"; do
      name=${b%%=*} bin=${b#*=}
      # RUNS fresh deploy+delete pairs; the fastest of each is printed (the machine is noisy).
      best_d= best_x=
      for r in $(seq "$runs"); do
        export TASKNET_STATE_DIR=$work/state-$name-$shape-$n-$r
        once "$bin" deploy --quiet --template-file "$t" --stack-name "b$n" --capabilities CAPABILITY_NAMED_IAM || exit 1
        [ -z "$best_d" ] || [ "$ms" -lt "$best_d" ] && best_d=$ms kib_d=$kib
        once "$bin" delete-stack --stack-name "b$n" || exit 1
        [ -z "$best_x" ] || [ "$ms" -lt "$best_x" ] && best_x=$ms kib_x=$kib
        rm -rf "$TASKNET_STATE_DIR"
      done
      printf '%-28s %7s ms %9s KiB\n' "$name deploy $shape $n" "$best_d" "$kib_d" "$name delete $shape $n" "$best_x" "$kib_x"
    done
  done
done
