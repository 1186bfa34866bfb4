# Sourced: tn_venv makes (once) a Python venv at target/venv with the pinned
# clients of scripts/py/requirements.txt (boto3, botocore, awscli, moto) from
# PyPI and puts it first on PATH, so tests and benches use those exact
# versions on a machine that has only python3.
tn_venv() {
  local root venv req stamp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  venv="${TN_VENV:-$root/target/venv}"
  req="$root/scripts/py/requirements.txt"
  stamp="$venv/.requirements"
  if ! cmp -s "$req" "$stamp" 2>/dev/null; then
    echo "venv: installing boto3, awscli and moto into $venv (once)" >&2
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
      # Debian's python3 keeps venv (ensurepip) in a package of its own.
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        rm -rf "$venv"
        apt-get install -y --no-install-recommends python3-venv >/dev/null 2>&1 \
          || { apt-get update >/dev/null && apt-get install -y --no-install-recommends python3-venv >/dev/null; }
      fi
      python3 -m venv "$venv" || return 1
    fi
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
    cp "$req" "$stamp"
  fi
  export PATH="$venv/bin:$PATH" TN_PYTHON="$venv/bin/python"
}
