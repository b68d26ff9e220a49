#!/usr/bin/env bash
# Sets everything up and runs the download against the bundled mock portal.
# Pass options through, e.g. `bash scripts/demo.sh --auto` where nobody is at the keyboard.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
exec .venv/bin/infonavit-fetch demo --out avisos-demo "$@"
