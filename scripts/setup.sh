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

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

if ! have_browser; then
  apt_install chromium || .venv/bin/python -m playwright install chromium
fi
