# Shared by scripts/run and scripts/test: create ./.venv and install the project into it.
# Re-installs only when pyproject.toml or the requested extras change, so both scripts are
# idempotent and fast on the second run.
ensure_venv() {
    local extras="$1"
    local python="${PYTHON:-python3}"
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "clusterscope: Python 3.11 or newer is needed (found: $("$python" --version 2>&1))" >&2
        exit 2
    fi
    if [ ! -x .venv/bin/python ]; then
        "$python" -m venv .venv
    fi
    local stamp=".venv/.clusterscope-installed"
    local want
    want="$(cat pyproject.toml | sha256sum | cut -c1-16) ${extras}"
    if [ ! -f "$stamp" ] || ! grep -qxF -- "$want" "$stamp"; then
        .venv/bin/python -m pip install --quiet --upgrade pip || return 1
        .venv/bin/python -m pip install --quiet -e ".${extras}" || return 1
        echo "$want" >> "$stamp"
    fi
}
