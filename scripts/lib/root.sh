# Sourced by the scripts that want root for part of their work (the data
# plane: namespaces, nftables). As root they go on; otherwise they re-run
# themselves through sudo only when sudo exists and needs no password, and
# else go on without root, leaving the root-only parts out and saying so.
# Why not always `sudo`: on a machine where you are root there is often no
# sudo at all, and a script must not stop at "command not found".
tn_is_root() { [ "$(id -u)" = 0 ]; }
tn_rerun_as_root() { # "$0" "$@": replaces this process with itself under sudo, when that can work
  tn_is_root && return 0
  [ -n "${TASKNET_NO_SUDO:-}" ] && return 0
  command -v sudo >/dev/null 2>&1 || return 0
  sudo -n true >/dev/null 2>&1 || return 0
  exec sudo -n env "PATH=$PATH" "HOME=$HOME" ${CARGO_HOME:+"CARGO_HOME=$CARGO_HOME"} ${RUSTUP_HOME:+"RUSTUP_HOME=$RUSTUP_HOME"} \
    ${CARGO_TARGET_DIR:+"CARGO_TARGET_DIR=$CARGO_TARGET_DIR"} "$@"
}
