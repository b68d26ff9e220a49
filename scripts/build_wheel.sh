#!/usr/bin/env bash
# Builds the file a person installs: dist/infonavit_fetch-<version>-py3-none-any.whl (the tool, its demo's
# test portal included; no tests, no developer tools). This is the file attached to each release;
# the README's «Instalarlo en tu computadora» installs it with `pipx install <file>`.
#
#   bash scripts/build_wheel.sh        # prints the wheel's path on stdout
#
# Uses .venv's Python if there is one, else a throwaway venv (nothing is installed anywhere else).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python=.venv/bin/python
scratch=""
if [ ! -x "$python" ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  "${PYTHON:-python3}" -m venv "$scratch/venv"
  python="$scratch/venv/bin/python"
fi
version="$("$python" -c 'import re,sys; print(re.search(r"__version__ = \"([^\"]+)\"", open(sys.argv[1]).read()).group(1))' \
  infonavit_fetch/__init__.py)"
wheel="dist/infonavit_fetch-${version}-py3-none-any.whl"
rm -f "$wheel"
mkdir -p dist
# setuptools' build/ and *.egg-info are ignored by git; the wheel is built from the source as it is.
"$python" -m pip wheel --quiet --disable-pip-version-check --no-deps --wheel-dir dist . >&2
rm -rf build
[ -f "$wheel" ] || { echo "No se creó $wheel" >&2; exit 1; }
# What a person gets: the tool and the demo's portal, nothing of the tests.
"$python" - "$wheel" <<'EOF' >&2
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
assert any(n.startswith("infonavit_fetch/mock_portal/") for n in names), "the demo's portal is missing"
assert not any(n.startswith(("tests/", "fixtures/", "scripts/")) for n in names), "tests or scripts inside"
EOF
echo "$wheel"
