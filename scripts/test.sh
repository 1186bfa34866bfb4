#!/usr/bin/env bash
# Every check CI runs (what .ci/run runs), in order: formatting, clippy with
# warnings as errors, the generated tables and models, every test of the
# workspace (unit, integration, snapshot and property tests), then the wire
# endpoint against the real aws CLI and boto3 (scripts/test-wire.sh, in a
# venv it makes from PyPI) and the console in headless Chromium (scripts/test-console.sh). As root it first installs ip, nft and curl,
# and runs the root-only tests too (`--include-ignored`: real namespaces, the
# differential check against the reach engine, `tasknet up`). Without root
# (and no password-less sudo) those are left out and the run says so.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/root.sh
tn_rerun_as_root "$0" "$@"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -q -- -D warnings
# The spec tables are generated: a hand edit (or new data) not regenerated
# fails here, byte for byte (crates/cfn/tests/spec_data.rs checks the same
# tables' contents without Python).
if command -v python3 >/dev/null 2>&1; then
  scripts/gen/cfn-spec.py check
else
  echo "test.sh: no python3, so scripts/gen/cfn-spec.py check did not run" >&2
fi
# The wire endpoint's trimmed botocore models are generated from the
# operation tables, with the pinned botocore of the test venv.
. scripts/lib/venv.sh
tn_venv
"$TN_PYTHON" scripts/gen/wire-models.py check
if tn_is_root; then
  scripts/install-deps.sh
  cargo test --workspace --locked -- --include-ignored
else
  cargo test --workspace --locked
  echo "test.sh: not root, so the root-only tests (marked #[ignore], 'ignored' above) did not run; run scripts/test.sh as root for them" >&2
fi
# The wire endpoint judged by real clients (the aws CLI and boto3 of the venv),
# against the tasknet binary the workspace's tests just built.
TASKNET_BIN="$PWD/target/debug/tasknet" scripts/test-wire.sh
# The web console in a real headless Chromium (tests/console).
TASKNET_BIN="$PWD/target/debug/tasknet" scripts/test-console.sh
