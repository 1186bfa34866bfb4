#!/usr/bin/env bash
# Runs every test of the workspace (unit, integration, snapshot and property
# tests). As root it first installs ip, nft and curl, so the data plane's
# tests (real namespaces, the differential check against the reach engine)
# run too; without root they say they are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then
  scripts/install-deps.sh
fi
cargo test --workspace --locked
