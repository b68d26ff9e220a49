#!/usr/bin/env bash
# Prepares a checkout: a browser (one already on the machine, else Chromium from apt on Debian as root,
# else Playwright's own download), a virtual environment in .venv, and the project with its test extras.
# Sourced by demo.sh and test.sh; safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

have_browser() {
  [ -n "${INFONAVIT_BROWSER_PATH:-}" ] && [ -x "${INFONAVIT_BROWSER_PATH}" ] && return 0
  for b in /opt/google/chrome/chrome /opt/microsoft/msedge/msedge /usr/lib/chromium/chromium /usr/bin/chromium \
           /snap/bin/chromium "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" \
           "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"; do
    [ -x "$b" ] && return 0
  done
  for c in google-chrome google-chrome-stable microsoft-edge chromium chromium-browser; do
    command -v "$c" >/dev/null 2>&1 && return 0
  done
  return 1
}

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Instalando con apt: $*" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    return 0
  fi
  return 1
}

# pip's and setuptools' chatter goes to a log, shown only when the install fails.
quietly() {
  local log=.venv/install.log
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "Falló: $* (el detalle está arriba y en $log)" >&2
    return 1
  fi
}

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# The project is installed in editable mode: code changes need no reinstall, only pyproject.toml does.
stamp=".venv/.infonavit-fetch-installed"
wanted="$(.venv/bin/python -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' pyproject.toml)"
if [ ! -x .venv/bin/infonavit-fetch ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "Preparando el entorno de Python en .venv (solo la primera vez)…" >&2
  quietly .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  quietly .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
  echo "$wanted" >"$stamp"
fi

if ! have_browser; then
  apt_install chromium || .venv/bin/python -m playwright install chromium
fi
