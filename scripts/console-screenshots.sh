#!/usr/bin/env bash
# Refreshes the console's screenshots in docs/console from its browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
TASKNET_SCREENSHOTS="$PWD/docs/console" exec scripts/test-console.sh "$@"
