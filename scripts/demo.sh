#!/usr/bin/env bash
# The main job on the built-in default account (a fresh account's default VPC
# in us-east-1): validate and plan the chapter's todobackend stack, then
# start tasknet's AWS endpoint and use the real aws CLI against it, exactly
# as the chapter does against AWS: `aws cloudformation deploy`, the
# describe-* calls, the t2.micro ENI trap in the service's events. As root it
# also brings the stack up for real (namespaces, nftables) and curls through
# its load balancer, one line per request. It ends by deleting the stack and
# by showing one broken variant being caught before any deploy.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/root.sh
tn_rerun_as_root "$0" "$@"
. scripts/lib/venv.sh
echo "== building tasknet (release; a cold build takes a few minutes, cargo shows its progress)" >&2
cargo build --release --locked -p tasknet || exit 2
tn=${CARGO_TARGET_DIR:-target}/release/tasknet
tn_venv || exit 2
state=$(mktemp -d)
server=
stop_server() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; server=; }
trap 'stop_server; rm -rf "$state"' EXIT
export TASKNET_STATE_DIR="$state"
port=${TASKNET_DEMO_PORT:-4566}
export AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
start_server() {
  $tn serve --port "$port" 2>"$state/serve.log" &
  server=$!
  for _ in $(seq 100); do
    curl -fs "$AWS_ENDPOINT_URL/_tasknet/health" >/dev/null 2>&1 && return 0
    kill -0 "$server" 2>/dev/null || break
    sleep 0.05
  done
  echo "tasknet serve did not start:"; cat "$state/serve.log"; exit 2
}
ex=examples/todobackend
params=$(tr '\n' ' ' < $ex/dev.cfg)
step() { echo; echo "== $*"; }

step "tasknet validate --template-file $ex/stack.yml --parameter-overrides \$(cat $ex/dev.cfg)"
$tn validate --template-file $ex/stack.yml --parameter-overrides $params || exit $?
step "tasknet plan --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides \$(cat $ex/dev.cfg)"
$tn plan --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides $params || exit $?
step "tasknet serve   # AWS's APIs on $AWS_ENDPOINT_URL, for the aws CLI, boto3 and the SDKs"
start_server
echo "export AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1"
step "aws secretsmanager create-secret --name todobackend/credentials   # the chapter creates the secret first"
aws secretsmanager create-secret --name todobackend/credentials \
  --secret-string '{"MYSQL_USER":"todobackend","MYSQL_PASSWORD":"demo-password-1"}' --query ARN --output text || exit $?
step "aws cloudformation deploy --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides \$(cat $ex/dev.cfg) --capabilities CAPABILITY_NAMED_IAM   # its Secrets and ECS task runner functions run"
aws cloudformation deploy --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides $params --capabilities CAPABILITY_NAMED_IAM || exit $?
step "aws logs filter-log-events --log-group-name /aws/lambda/todobackend-ecsTasks   # the migration's custom resource"
aws logs filter-log-events --log-group-name /aws/lambda/todobackend-ecsTasks --query 'events[].message' --output text \
  | tr '\t' '\n' | grep -E '^(Started ECS task|ECS task .* exited)' || exit $?
step "aws cloudformation describe-stacks --stack-name todobackend"
aws cloudformation describe-stacks --stack-name todobackend --query 'Stacks[].[StackName,StackStatus]' --output table || exit $?
step "aws cloudformation describe-stack-events --stack-name todobackend (the newest five)"
aws cloudformation describe-stack-events --stack-name todobackend --max-items 5 --query 'StackEvents[].[Timestamp,LogicalResourceId,ResourceStatus]' --output table || exit $?
vpc=$(aws cloudformation describe-stack-resources --stack-name todobackend --query "StackResources[?ResourceType=='AWS::EC2::VPC'].PhysicalResourceId" --output text)
[ -n "$vpc" ] && [ "$vpc" != None ] || vpc=$(aws ec2 describe-vpcs --filters Name=is-default,Values=true --query 'Vpcs[0].VpcId' --output text)
step "aws ec2 describe-subnets --filters Name=vpc-id,Values=$vpc"
aws ec2 describe-subnets --filters Name=vpc-id,Values="$vpc" --query 'Subnets[].[SubnetId,AvailabilityZone,CidrBlock,AvailableIpAddressCount]' --output table || exit $?
step "aws ec2 describe-nat-gateways"
aws ec2 describe-nat-gateways --query 'NatGateways[].[NatGatewayId,SubnetId,State,NatGatewayAddresses[0].PublicIp]' --output table || exit $?
step "aws ec2 describe-route-tables --filters Name=vpc-id,Values=$vpc"
aws ec2 describe-route-tables --filters Name=vpc-id,Values="$vpc" --query 'RouteTables[].Routes[].[DestinationCidrBlock,GatewayId||NatGatewayId,State]' --output table || exit $?
cluster=$(aws ecs list-clusters --query 'clusterArns[0]' --output text)
service=$(aws ecs list-services --cluster "$cluster" --query 'serviceArns[0]' --output text)
step "aws ecs list-tasks --cluster ${cluster##*/}; aws ecs describe-tasks (each task's ENI and private IP)"
tasks=$(aws ecs list-tasks --cluster "$cluster" --query 'taskArns' --output text)
# shellcheck disable=SC2086
aws ecs describe-tasks --cluster "$cluster" --tasks $tasks --query 'tasks[].[taskArn,lastStatus,attachments[0].details[?name==`networkInterfaceId`].value|[0],attachments[0].details[?name==`privateIPv4Address`].value|[0]]' --output table || exit $?
step "aws elbv2 describe-target-health"
tg=$(aws elbv2 describe-target-groups --query 'TargetGroups[0].TargetGroupArn' --output text)
aws elbv2 describe-target-health --target-group-arn "$tg" --query 'TargetHealthDescriptions[].[Target.Id,Target.Port,TargetHealth.State]' --output table || exit $?
step "tasknet reach --from ApplicationLoadBalancer --to ApplicationService --port 8000"
$tn reach --from ApplicationLoadBalancer --to ApplicationService --port 8000 | head -25 || exit $?
step "tasknet reach --from ApplicationService --to internet --port 443 (through the NAT gateway)"
$tn reach --from ApplicationService --to internet --port 443 | head -3
step "tasknet reach --from internet --to ApplicationService --port 8000 (exit code 1 expected: every reason, every fix)"
$tn reach --from internet --to ApplicationService --port 8000 | sed -n '1,3p;/blocked by/,/^$/p' | head -12
step "tasknet audit --to ApplicationDatabase --port 3306"
$tn audit --to ApplicationDatabase --port 3306 || exit $?
step "aws ecs update-service --desired-count 3: a third task on two t2.micro instances (2 ENIs - 1 each) cannot be placed"
aws ecs update-service --cluster "$cluster" --service "$service" --desired-count 3 --query 'service.[serviceName,desiredCount]' --output text || exit $?
aws ecs describe-services --cluster "$cluster" --services "$service" --query 'services[0].events[0].message' --output text || exit $?
aws ecs update-service --cluster "$cluster" --service "$service" --desired-count 2 --query 'service.desiredCount' --output text >/dev/null || exit $?
step "aws cloudformation deploy again: no changes (--no-fail-on-empty-changeset: the aws CLI v1 exits 255 on an empty change set otherwise, as against AWS)"
aws cloudformation deploy --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides $params --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset || exit $?
if tn_is_root && scripts/install-deps.sh; then
  stop_server
  step "tasknet up --detach: every ENI in its own network namespace, security groups in nftables"
  $tn up --detach || exit $?
  trap '$tn down >/dev/null 2>&1; stop_server; rm -rf "$state"' EXIT
  step "curl http://127.0.0.1:8080/ six times: the load balancer alternates between the two tasks"
  for i in 1 2 3 4 5 6; do
    answer=$(curl -s -m 5 http://127.0.0.1:8080/ | tr -d '\n')
    task=$(printf '%s' "$answer" | sed -n 's/.*"task_id" *: *"\([^"]*\)".*/\1/p')
    address=$(printf '%s' "$answer" | sed -n 's/.*"address" *: *"\([^"]*\)".*/\1/p')
    echo "request $i: task ${task:-?} at ${address:-?}"
  done
  step "tasknet exec ApplicationService -- curl http://203.0.113.10:443/ (the internet sees the NAT gateway's Elastic IP)"
  $tn exec ApplicationService -- curl -sS -m 5 http://203.0.113.10:443/; echo
  step "tasknet exec ApplicationService -- curl http://203.0.113.10:80/ (no egress rule for 80: times out)"
  $tn exec ApplicationService -- curl -sS -m 2 http://203.0.113.10:80/; echo
  step "tasknet down"
  $tn down || exit $?
  trap 'stop_server; rm -rf "$state"' EXIT
  start_server
else
  step "tasknet up skipped: it needs root (run this script as root to see the stack run for real)"
fi
step "aws cloudformation delete-stack --stack-name todobackend; aws cloudformation wait stack-delete-complete"
aws cloudformation delete-stack --stack-name todobackend || exit $?
aws cloudformation wait stack-delete-complete --stack-name todobackend || exit $?
echo "network interfaces left in the account: $(aws ec2 describe-network-interfaces --query 'length(NetworkInterfaces)' --output text)"
stop_server
step "a reachability mistake planned: the load balancer's rules still aim at the container instances (chapter question 4)"
$tn plan --template-file $ex/broken/rules-on-instance-group.yml --stack-name todobackend --parameter-overrides $params | sed -n '/^warning\[TN5/,$p' || exit $?
step "a broken variant: the target group left at 'instance' (exit code 1 expected)"
$tn validate --template-file $ex/broken/target-group-instance-type.yml --parameter-overrides $params
code=$?
[ "$code" -eq 1 ] || { echo "expected exit code 1, got $code"; exit 1; }
