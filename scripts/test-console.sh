#!/usr/bin/env bash
# The web console in a real headless Chromium (Debian's, installed by
# scripts/install-deps.sh as root) driven by Playwright for Python (the venv's
# pin): tests/console with pytest. Screenshots go to $TASKNET_SCREENSHOTS
# (default target/console-screenshots; scripts/console-screenshots.sh
# refreshes docs/console). Without Chromium it says so and runs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/venv.sh
tn_venv
if [ ! -x "${TASKNET_CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "test-console.sh: no Chromium (as root, scripts/install-deps.sh installs Debian's), so the console's browser tests did not run" >&2
  exit 0
fi
if [ -z "${TASKNET_BIN:-}" ]; then
  cargo build -p tasknet --locked -q
  export TASKNET_BIN="$PWD/target/debug/tasknet"
fi
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_DEFAULT_REGION
exec "$TN_PYTHON" -m pytest -p no:cacheprovider -q -rfEsxX -s tests/console "$@"
