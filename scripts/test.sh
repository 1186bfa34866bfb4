#!/usr/bin/env bash
# Runs every test of the workspace (unit, integration, snapshot and property tests).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked
