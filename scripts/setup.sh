#!/usr/bin/env bash
# Prepares a checkout: a browser (one already on the machine, else Chromium from apt on Debian as root,
# else Playwright's own download), a virtual environment in .venv, and the project: only what the tool
# needs to run, or with its test extras (pytest, ruff, mypy…) when SETUP_EXTRAS=test (scripts/test.sh).
# Sourced by demo.sh and test.sh; safe to run again. While it installs it says, in Spanish, which step it
# is on and, every few seconds, that it is still working and on what (pip's own words go to a log).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SETUP_EXTRAS="${SETUP_EXTRAS:-}"  # "" (run the tool) or "test" (run the tests too)

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
    mkdir -p .venv
    with_progress "Instalando con apt: $* (puede tardar unos minutos)…" apt-get update -q
    with_progress "" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
    return 0
  fi
  return 1
}

# What the log says is happening now, in a few Spanish words (pip's and apt's last line of activity).
activity() {
  local line
  line="$(grep -E '^(Collecting|Downloading|  Downloading|Installing collected|Building|Obtaining|Get:|Unpacking|Setting up|Preparing)' "$1" 2>/dev/null | tail -n 1)" || true
  case "$line" in
    Collecting*) line="${line#Collecting }"; echo ": revisando ${line%%[<>=!~ ;[]*}" ;;
    *Downloading*) line="${line#*Downloading }"; echo ": descargando ${line%%-[0-9]*}" ;;
    Installing\ collected*) echo ": copiando los paquetes a .venv" ;;
    Building*|Obtaining*|Preparing*) echo ": preparando infonavit-fetch" ;;
    Get:*) echo ": descargando paquetes del sistema" ;;
    Unpacking*|Setting\ up*) line="${line#* }"; echo ": instalando ${line%% *}" ;;
  esac
}

# Runs a command with its output in .venv/install.log, shown only when it fails. Says `what` first and then,
# every 5 s while the command runs, that it is still working, for how long and on what: nobody waits a
# minute in silence wondering whether it hung. Ctrl-C stops the command too.
with_progress() {
  local what="$1" log=.venv/install.log pid status=0 started=$SECONDS next=5
  shift
  [ -z "$what" ] || echo "$what" >&2
  "$@" >>"$log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null; exit 130' INT TERM
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if [ $((SECONDS - started)) -ge "$next" ] && kill -0 "$pid" 2>/dev/null; then
      echo "  … sigue trabajando ($((SECONDS - started)) s$(activity "$log"))" >&2
      next=$((next + 5))
    fi
  done
  wait "$pid" || status=$?
  trap - INT TERM
  if [ "$status" != 0 ]; then
    tail -n 40 "$log" >&2
    echo "Falló: $* (el detalle está arriba y en $log)" >&2
    return "$status"
  fi
}

PYTHON="${PYTHON:-python3}"
# The project is installed in editable mode: code changes need no reinstall, only pyproject.toml does.
# The stamp says for which pyproject.toml and with which extras: "<sha256> runtime" or "<sha256> test"
# (a stamp of the hash alone was written when every set-up installed the test extras).
stamp=".venv/.infonavit-fetch-installed"
wanted="$("$PYTHON" -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' pyproject.toml)"
read -r stamp_hash stamp_extras 2>/dev/null <"$stamp" || true
[ -z "${stamp_hash:-}" ] || [ -n "${stamp_extras:-}" ] || stamp_extras=test
need_venv=0
need_install=0
need_browser=0
[ -x .venv/bin/python ] || need_venv=1
if [ ! -x .venv/bin/infonavit-fetch ] || [ "${stamp_hash:-}" != "$wanted" ]; then
  need_install=1  # new, or pyproject.toml changed: what is wanted now, nothing else
  installed_extras="${SETUP_EXTRAS:-runtime}"
elif [ "$SETUP_EXTRAS" = test ] && [ "${stamp_extras:-}" != test ]; then
  need_install=1  # after a demo, the tests' extras on top of what is there
  installed_extras=test
fi
have_browser || need_browser=1
steps=$((need_venv + 2 * need_install + need_browser))
step=0
step_text=""
next_step() {
  step=$((step + 1))
  step_text="Paso $step de $steps: $1"
}

if [ "$steps" -gt 0 ]; then
  echo "Preparando todo para usar infonavit-fetch (solo la primera vez; tarda unos minutos y aquí se ve en qué va)…" >&2
fi
if [ "$need_venv" = 1 ]; then
  mkdir -p .venv
  : >.venv/install.log
  next_step "creando el entorno de Python en .venv…"
  with_progress "$step_text" "$PYTHON" -m venv .venv
fi
if [ "$need_install" = 1 ]; then
  : >.venv/install.log
  pip=(.venv/bin/python -m pip install --disable-pip-version-check --progress-bar off)
  next_step "actualizando el instalador de Python (pip)…"
  with_progress "$step_text" "${pip[@]}" --upgrade pip
  if [ "$installed_extras" = test ]; then
    next_step "instalando infonavit-fetch con las herramientas de prueba (pytest, ruff, mypy)…"
    with_progress "$step_text" "${pip[@]}" -e ".[test]"
  else
    next_step "instalando infonavit-fetch y lo que necesita (Playwright, typer, rich, pypdf)…"
    with_progress "$step_text" "${pip[@]}" -e .
  fi
  echo "$wanted $installed_extras" >"$stamp"
fi

if [ "$need_browser" = 1 ]; then
  next_step "no hay Chrome, Edge ni Chromium: se instala Chromium…"
  echo "$step_text" >&2
  apt_install chromium ||
    with_progress "Descargando el Chromium de Playwright (unos 170 MB)…" .venv/bin/python -m playwright install chromium
fi
if [ "$steps" -gt 0 ]; then
  echo "Listo: todo preparado." >&2
fi
