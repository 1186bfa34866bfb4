#!/usr/bin/env bash
# The main job: validate and plan the chapter's todobackend stack against the
# built-in default account (a fresh account's default VPC in us-east-1), then
# show one broken variant being caught.
set -uo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p tasknet || exit 2
tn=${CARGO_TARGET_DIR:-target}/release/tasknet
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
export TASKNET_STATE_DIR="$state"
ex=examples/todobackend
echo "== tasknet validate --template-file $ex/stack.yml --parameter-overrides \$(cat $ex/dev.cfg)"
$tn validate --template-file $ex/stack.yml --parameter-overrides $(cat $ex/dev.cfg) || exit $?
echo
echo "== tasknet plan --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides \$(cat $ex/dev.cfg)"
$tn plan --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides $(cat $ex/dev.cfg) || exit $?
echo
echo "== a broken variant: the target group left at 'instance' (exit code 1 expected)"
$tn validate --template-file $ex/broken/target-group-instance-type.yml --parameter-overrides $(cat $ex/dev.cfg)
code=$?
[ "$code" -eq 1 ] || { echo "expected exit code 1, got $code"; exit 1; }
