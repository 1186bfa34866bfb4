#!/usr/bin/env bash
# The main job on the built-in default account (a fresh account's default VPC
# in us-east-1): validate, plan and deploy the chapter's todobackend stack,
# show its tasks with their ENIs and the load balancer's targets, hit the
# ENI limit of t2.micro on purpose, and delete the stack again. It ends by
# showing one broken variant being caught before any deploy.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/root.sh
tn_rerun_as_root "$0" "$@"
cargo build --release --locked -q -p tasknet || exit 2
tn=${CARGO_TARGET_DIR:-target}/release/tasknet
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
export TASKNET_STATE_DIR="$state"
ex=examples/todobackend
params=$(tr '\n' ' ' < $ex/dev.cfg)
step() { echo; echo "== $*"; }

step "tasknet validate --template-file $ex/stack.yml --parameter-overrides \$(cat $ex/dev.cfg)"
$tn validate --template-file $ex/stack.yml --parameter-overrides $params || exit $?
step "tasknet plan --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides \$(cat $ex/dev.cfg)"
$tn plan --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides $params || exit $?
step "tasknet deploy --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides \$(cat $ex/dev.cfg) --capabilities CAPABILITY_NAMED_IAM"
$tn deploy --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides $params --capabilities CAPABILITY_NAMED_IAM || exit $?
step "tasknet describe tasks --stack-name todobackend"
$tn describe tasks --stack-name todobackend || exit $?
step "tasknet describe target-health"
$tn describe target-health || exit $?
step "tasknet reach --from ApplicationLoadBalancer --to ApplicationService --port 8000"
$tn reach --from ApplicationLoadBalancer --to ApplicationService --port 8000 | head -25 || exit $?
step "tasknet reach --from ApplicationService --to internet --port 443 (through the NAT gateway)"
$tn reach --from ApplicationService --to internet --port 443 | head -3
step "tasknet reach --from internet --to ApplicationService --port 8000 (exit code 1 expected: every reason, every fix)"
$tn reach --from internet --to ApplicationService --port 8000 | sed -n '1,3p;/blocked by/,/^$/p' | head -12
step "tasknet audit --to ApplicationDatabase --port 3306"
$tn audit --to ApplicationDatabase --port 3306 || exit $?
step "deploying again changes nothing"
$tn deploy --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides $params --capabilities CAPABILITY_NAMED_IAM || exit $?
if tn_is_root && scripts/install-deps.sh; then
  step "tasknet up --detach: every ENI in its own network namespace, security groups in nftables"
  $tn up --detach || exit $?
  trap '$tn down >/dev/null 2>&1; rm -rf "$state"' EXIT
  step "curl http://127.0.0.1:8080/ six times: the load balancer alternates between the two tasks"
  for i in 1 2 3 4 5 6; do { curl -s -m 5 http://127.0.0.1:8080/; echo; } | sed -n 's/.*"task_id":"\([^"]*\)".*"address":"\([^"]*\)".*/task \1 at \2/p'; done
  step "tasknet exec ApplicationService -- curl http://203.0.113.10:443/ (the internet sees the NAT gateway's Elastic IP)"
  $tn exec ApplicationService -- curl -sS -m 5 http://203.0.113.10:443/; echo
  step "tasknet exec ApplicationService -- curl http://203.0.113.10:80/ (no egress rule for 80: times out)"
  $tn exec ApplicationService -- curl -sS -m 2 http://203.0.113.10:80/; echo
  step "tasknet down"
  $tn down || exit $?
else
  step "tasknet up skipped: it needs root (run this script as root to see the stack run for real)"
fi
cluster=$($tn describe services --stack-name todobackend --output json | sed -n 's/.*"clusterArn": "\([^"]*\)".*/\1/p' | head -1)
service=$($tn describe services --stack-name todobackend --output json | sed -n 's/.*"serviceName": "\([^"]*\)".*/\1/p' | head -1)
step "a third task on two t2.micro instances (2 ENIs - 1 each): ECS cannot place it (exit code 1 expected)"
$tn update-service --cluster "$cluster" --service "$service" --desired-count 3
[ $? -eq 1 ] || { echo "expected exit code 1"; exit 1; }
$tn update-service --cluster "$cluster" --service "$service" --desired-count 2 >/dev/null || exit $?
step "tasknet delete-stack --stack-name todobackend"
$tn delete-stack --quiet --stack-name todobackend || exit $?
$tn describe network-interfaces || exit $?
step "a reachability mistake planned: the load balancer's rules still aim at the container instances (chapter question 4)"
$tn plan --template-file $ex/broken/rules-on-instance-group.yml --stack-name todobackend --parameter-overrides $params | sed -n '/^warning\[TN5/,$p' || exit $?
step "a broken variant: the target group left at 'instance' (exit code 1 expected)"
$tn validate --template-file $ex/broken/target-group-instance-type.yml --parameter-overrides $params
code=$?
[ "$code" -eq 1 ] || { echo "expected exit code 1, got $code"; exit 1; }
