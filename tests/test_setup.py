"""scripts/setup.sh, the first run's set-up: it says what it is doing at least every 10 s, in Spanish, and
installs for the demo only what the tool needs; scripts/test.sh's set-up adds the test extras, once.

Played in a scratch folder with a stand-in for .venv's Python whose `pip install` only takes time and
notes what it was asked: no network, nothing installed.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

FAKE_PYTHON = """#!/usr/bin/env bash
here="$(cd "$(dirname "$0")" && pwd)"
echo "$*" >>"$here/../calls"
if [ "$1 $2 $3" = "-m pip install" ]; then
  case " $* " in
    *" -e "*)
      echo "Collecting playwright>=1.51"
      sleep "${FAKE_PIP_SECONDS:-0}"
      echo "  Downloading playwright-1.55.0-py3-none-manylinux1_x86_64.whl (45.9 MB)"
      sleep "${FAKE_PIP_SECONDS:-0}"
      printf '#!/bin/sh\\n' >"$here/infonavit-fetch"
      chmod +x "$here/infonavit-fetch" ;;
  esac
fi
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "setup.sh").write_text((ROOT / "scripts" / "setup.sh").read_text())
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text(FAKE_PYTHON)
    (bin_dir / "python").chmod(0o755)
    return tmp_path


def setup(checkout: Path, *, extras: str = "", seconds: float = 0) -> tuple[list[tuple[float, str]], list[str]]:
    """Run the set-up; its stderr lines with the second each arrived, and the pip commands it ran."""
    calls = checkout / ".venv" / "calls"
    calls.unlink(missing_ok=True)
    env = {
        **os.environ,
        "SETUP_EXTRAS": extras,
        "FAKE_PIP_SECONDS": str(seconds),
        "INFONAVIT_BROWSER_PATH": "/bin/true",  # a browser is there: no browser step
    }
    started = time.monotonic()
    proc = subprocess.Popen(
        ["bash", "scripts/setup.sh"], cwd=checkout, env=env, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    )
    assert proc.stderr is not None
    lines = [(time.monotonic() - started, line.rstrip("\n")) for line in proc.stderr]
    assert proc.wait(timeout=120) == 0, lines
    lines.append((time.monotonic() - started, "(end)"))
    pip = [c for c in calls.read_text().splitlines() if c.startswith("-m pip install")] if calls.exists() else []
    return lines, pip


def test_the_first_run_says_what_it_does_every_few_seconds_and_installs_only_the_tool(checkout: Path) -> None:
    lines, pip = setup(checkout, seconds=6)
    said = [line for _, line in lines]
    assert said[0].startswith("Preparando todo para usar infonavit-fetch")
    assert said[1] == "Paso 1 de 2: actualizando el instalador de Python (pip)…"
    assert "Paso 2 de 2: instalando infonavit-fetch y lo que necesita (Playwright, typer, rich, pypdf)…" in said
    assert any("sigue trabajando" in line and "descargando playwright" in line for line in said), said
    gaps = [later - earlier for (earlier, _), (later, _) in itertools.pairwise(lines)]
    assert max(gaps) < 10, lines  # never ten seconds without a word
    assert [c.split()[-1] for c in pip] == ["pip", "."]  # the tool alone: no test extras
    assert (checkout / ".venv" / ".infonavit-fetch-installed").read_text().split()[1] == "runtime"


def test_the_tests_add_their_extras_once_and_a_later_demo_touches_nothing(checkout: Path) -> None:
    setup(checkout)  # a demo
    stamp = checkout / ".venv" / ".infonavit-fetch-installed"

    lines, pip = setup(checkout, extras="test")  # then scripts/test.sh
    assert [c.split()[-1] for c in pip] == ["pip", ".[test]"]
    assert any("herramientas de prueba (pytest, ruff, mypy)" in line for _, line in lines)
    assert stamp.read_text().split()[1] == "test"

    touched = stamp.stat().st_mtime_ns
    for extras in ("", "test", ""):  # a demo, the tests, a demo: nothing installed, nothing said
        lines, pip = setup(checkout, extras=extras)
        assert pip == [] and [line for _, line in lines] == ["(end)"]
    assert stamp.stat().st_mtime_ns == touched


def test_a_stamp_from_before_the_split_counts_as_the_test_extras(checkout: Path) -> None:
    setup(checkout, extras="test")
    stamp = checkout / ".venv" / ".infonavit-fetch-installed"
    stamp.write_text(stamp.read_text().split()[0] + "\n")  # what every set-up wrote when it installed [test]
    for extras in ("", "test"):
        assert setup(checkout, extras=extras)[1] == []


def test_a_changed_pyproject_reinstalls_what_is_asked(checkout: Path) -> None:
    setup(checkout, extras="test")
    with (checkout / "pyproject.toml").open("a") as handle:
        handle.write("\n# changed\n")
    assert [c.split()[-1] for c in setup(checkout)[1]] == ["pip", "."]
    assert [c.split()[-1] for c in setup(checkout, extras="test")[1]] == ["pip", ".[test]"]
