#!/usr/bin/env bash
# Sets everything up (a browser, Xvfb for the visible-browser tests, .venv) and runs lint, types and tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
if ! command -v xvfb-run >/dev/null 2>&1 || ! command -v xauth >/dev/null 2>&1; then
  apt_install xvfb xauth || echo "Sin Xvfb: las pruebas con navegador visible se omitirán si no hay pantalla." >&2
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
set +e
.venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
  echo "pytest no encontró pruebas: eso es un fallo." >&2
  exit 1
fi
exit "$status"
