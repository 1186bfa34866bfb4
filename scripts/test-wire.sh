#!/usr/bin/env bash
# The wire endpoint judged by real clients: builds tasknet, makes (once) the
# pinned venv (boto3, awscli, moto, pytest), and runs tests/wire with pytest.
# Each test module starts its own `tasknet serve` on a fresh state folder and
# a port the kernel picks, and kills it at the end even on failure.
# Extra arguments go to pytest (e.g. `scripts/test-wire.sh -k signing`).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/venv.sh
tn_venv
# test.sh passes the binary its `cargo test --workspace` built: building
# `-p tasknet` alone resolves features differently and compiles every
# dependency a second time (on CI's disk, once too many).
if [ -z "${TASKNET_BIN:-}" ]; then
  cargo build -p tasknet --locked -q
  export TASKNET_BIN="$PWD/target/debug/tasknet"
fi
# No profile, config or key of the machine's user may leak into the clients.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_DEFAULT_REGION
exec "$TN_PYTHON" -m pytest -p no:cacheprovider -q -rfEsxX tests/wire "$@"
