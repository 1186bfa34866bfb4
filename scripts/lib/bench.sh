# Sourced by the bench scripts that drive tasknet from Python: builds it
# (release unless PROFILE=debug), exports TASKNET_BIN, and clears the
# caller's AWS settings so only the bench's own endpoint and keys count.
tn_bench_tasknet() { # name: the bench's name for its first line
  local profile="${PROFILE:-release}"
  if [ "$profile" = release ]; then
    cargo build -p tasknet --release --locked -q
  else
    cargo build -p tasknet --locked -q
  fi
  export TASKNET_BIN="$PWD/target/$profile/tasknet"
  export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
  unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_DEFAULT_REGION
  echo "$1: $TASKNET_BIN ($profile), $(nproc) cores"
}
