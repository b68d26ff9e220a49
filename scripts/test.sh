#!/usr/bin/env bash
# Sets everything up (a browser, Xvfb for the visible-browser tests, .venv with the test extras: pytest, ruff,
# mypy…) and runs lint, types and tests. After a demo (the tool alone in .venv) it adds the test extras.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SETUP_EXTRAS=test
source scripts/setup.sh
# What the tests look for besides the browser: Xvfb (the visible browser), poppler's pdftoppm (the notice's
# pages as pictures) and imagemagick's import (the employee's whole window as a picture).
missing=()
command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)
command -v xauth >/dev/null 2>&1 || missing+=(xauth)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v import >/dev/null 2>&1 || missing+=(imagemagick)
if [ "${#missing[@]}" -gt 0 ]; then
  apt_install "${missing[@]}" || echo "Sin ${missing[*]}: las pruebas que los usan se omitirán." >&2
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# --under-load: the whole suite while every core is kept busy (an employee's laptop often is), three times.
load=0
if [ "${1:-}" = "--under-load" ]; then
  load=1
  shift
fi
# One worker more than the cores (TEST_WORKERS=N to choose): much of an end-to-end test's time is the browser
# waiting on the portal or on a step's time running out (2 cores: 2 workers 778-909 s, 3 workers 659-774 s,
# 4 workers 896 s).
workers="${TEST_WORKERS:-$(( $(nproc 2>/dev/null || echo 1) + 1 ))}"
run_suite() {
  .venv/bin/python -m pytest -n "$workers" "$@"
}
set +e
if [ "$load" = 1 ]; then
  cores="$(nproc 2>/dev/null || echo 2)"
  status=0
  for round in 1 2 3; do
    hogs=()
    for _ in $(seq "$cores"); do
      # A bounded busy loop: it ends by itself after an hour if this script is killed.
      timeout 3600 .venv/bin/python -c "while True: pass" &
      hogs+=($!)
    done
    echo "Ronda $round de 3 con $cores núcleos ocupados" >&2
    run_suite "$@"
    code=$?
    kill "${hogs[@]}" 2>/dev/null
    wait "${hogs[@]}" 2>/dev/null
    [ "$code" = 0 ] || status=$code
  done
else
  run_suite "$@"
  status=$?
fi
set -e
if [ "$status" = 5 ]; then
  echo "pytest no encontró pruebas: eso es un fallo." >&2
  exit 1
fi
exit "$status"
