#!/usr/bin/env bash
# A custom resource's round trip inside a deploy (tests/wire/bench_custom.py):
# stacks whose one resource is a Lambda-backed custom resource against the
# same stacks with an SSM parameter instead, same server, same run. Builds
# tasknet in release (PROFILE=debug for the debug build); BENCH_ROUNDS (8).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/venv.sh
tn_venv
profile="${PROFILE:-release}"
if [ "$profile" = release ]; then
  cargo build -p tasknet --release --locked -q
else
  cargo build -p tasknet --locked -q
fi
export TASKNET_BIN="$PWD/target/$profile/tasknet"
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_DEFAULT_REGION
echo "bench-custom: $TASKNET_BIN ($profile), $(nproc) cores"
exec "$TN_PYTHON" tests/wire/bench_custom.py
