#!/usr/bin/env bash
# Measures a new user's first run: a clean copy of this repository (no .venv), then `bash scripts/demo.sh
# --auto`, timing each line it prints. Reports the seconds to the captcha prompt («Esperando el código de
# la imagen»), the longest silence while it installs, the whole run, and the size of the runtime-only
# .venv; with --with-tests, also the size after scripts/test.sh's set-up adds the test extras.
#
#   bash scripts/first_run.sh [--cold] [--with-tests] [--keep] [--dir DIR]
#
# --cold: no pip cache (PIP_NO_CACHE_DIR=1), as on a machine that never installed these packages.
# The copy holds the working tree's tracked and untracked, not ignored, files (what a clone of a commit
# of this tree would hold). Nothing outside DIR (default: a new folder under /tmp) is touched.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cold=0
with_tests=0
keep=0
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cold) cold=1 ;;
    --with-tests) with_tests=1 ;;
    --keep) keep=1 ;;
    --dir) dir="$2"; shift ;;
    *) echo "Uso: bash scripts/first_run.sh [--cold] [--with-tests] [--keep] [--dir DIR]" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$dir" ] || dir="$(mktemp -d /tmp/infonavit-first-run.XXXXXX)"
[ "$keep" = 1 ] || trap 'rm -rf "$dir"' EXIT
clone="$dir/infonavit-fetch"
mkdir -p "$clone"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$clone"
[ ! -e "$clone/.venv" ] || { echo "the copy has a .venv: not a first run" >&2; exit 1; }

since() { awk -v now="$(date +%s.%N)" -v then="$1" 'BEGIN { printf "%.1f", now - then }'; }

env_vars=(env -u DISPLAY -u WAYLAND_DISPLAY -u VIRTUAL_ENV)
[ "$cold" = 0 ] || env_vars+=(PIP_NO_CACHE_DIR=1)
log="$dir/first-run.log"
start="$(date +%s.%N)"
set +e
(cd "$clone" && "${env_vars[@]}" bash scripts/demo.sh --auto --out "$dir/avisos-demo" </dev/null 2>&1) |
  while IFS= read -r line; do
    printf '%7.1f  %s\n' "$(since "$start")" "$line"
  done | tee "$log"
status="${PIPESTATUS[0]}"
set -e
[ "$status" = 0 ] || { echo "the demo failed (exit $status)" >&2; exit 1; }

captcha="$(grep -m1 'Esperando el código de la imagen' "$log" | awk '{print $1}')"
total="$(tail -n 1 "$log" | awk '{print $1}')"
silence="$(sed -n '1,/Abriendo el portal/p' "$log" |
  awk '{ gap = $1 - last; if (gap > max) max = gap; last = $1 } END { printf "%.1f", max }')"
echo
echo "first run to the captcha prompt: ${captcha} s (whole demo ${total} s; longest silence while installing ${silence} s)"
echo "runtime .venv: $(du -sh "$clone/.venv" | cut -f1)"
if [ "$with_tests" = 1 ]; then
  t0="$(date +%s.%N)"
  (cd "$clone" && SETUP_EXTRAS=test "${env_vars[@]}" bash scripts/setup.sh)
  echo "test extras added in $(since "$t0") s; .venv with test extras: $(du -sh "$clone/.venv" | cut -f1)"
fi
echo "conditions: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime), pip cache $([ "$cold" = 1 ] && echo off || echo on)"
[ "$keep" = 0 ] || echo "kept in $dir"
