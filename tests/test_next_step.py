"""Every command the tool prints as a next step works when typed as printed, in a new terminal.

A new terminal is a fresh environment: no activated venv, PATH as the system sets it, another folder.
The printed command is run through a shell exactly as it was printed (with `--help` added).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import browser_executable

VENV_BIN = Path(sys.executable).parent
LAUNCHER = VENV_BIN / "infonavit-fetch"
SYSTEM_PATH = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin") if Path(p).is_dir())

pytestmark = pytest.mark.skipif(not LAUNCHER.is_file(), reason="the project is not installed beside this Python")


def new_terminal(path: str, cwd: Path) -> dict[str, str]:
    """The environment of a terminal just opened: only what a login shell would set (and PYTHONPATH, by
    which the break-check's copy of the package is the one imported)."""
    kept = {"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}
    return {"PATH": path, "HOME": str(cwd), "LANG": "C.UTF-8", "TERM": "xterm", **kept}


def demo(tmp_path: Path, path: str) -> str:
    """The demo as scripts/demo.sh runs it (its launcher in .venv/bin), with PATH as given; its next step."""
    env = new_terminal(path, tmp_path)
    env["INFONAVIT_BROWSER_PATH"] = browser_executable()
    run = subprocess.run(
        [str(LAUNCHER), "demo", "--auto", "--out", str(tmp_path / "avisos-demo")],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    found = re.search(r"^Siguiente paso: con tu cuenta, (.+)$", run.stderr, re.MULTILINE)
    assert found is not None, run.stderr
    return found.group(1)


def typed(command: str, path: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command typed as printed (plus --help) into a new terminal, elsewhere."""
    return subprocess.run(
        ["bash", "-c", command + " --help"],
        cwd=cwd,
        env=new_terminal(path, cwd),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_the_demos_next_step_works_in_a_new_terminal_without_the_venv_on_path(tmp_path: Path) -> None:
    printed = demo(tmp_path, SYSTEM_PATH)
    # Not on PATH: the printed command names the launcher by its full path.
    assert printed == f"{shlex.quote(str(LAUNCHER))} download --email-draft"
    elsewhere = tmp_path / "otra-carpeta"
    elsewhere.mkdir()
    run = typed(printed, SYSTEM_PATH, elsewhere)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Uso: ") and "--email-draft" in run.stdout
    # The help's own pointers work the same way.
    # (the help wraps at 80 columns, so a long checkout path moves «--help» to the next line)
    assert f"Los códigos de salida están en: {shlex.quote(str(LAUNCHER))} --help" in " ".join(run.stdout.split())


def test_the_bare_name_is_printed_only_where_path_finds_this_program(tmp_path: Path) -> None:
    on_path = os.pathsep.join((str(VENV_BIN), SYSTEM_PATH))
    printed = demo(tmp_path, on_path)
    assert printed == "infonavit-fetch download --email-draft"
    run = typed(printed, on_path, tmp_path)
    assert run.returncode == 0 and run.stdout.startswith("Uso: "), run.stderr

    # Another program of the same name first on PATH (an older install): the full path of this one.
    other = tmp_path / "otra"
    other.mkdir()
    impostor = other / "infonavit-fetch"
    impostor.write_text("#!/bin/sh\necho otro programa\nexit 3\n")
    impostor.chmod(0o755)
    shadowed = os.pathsep.join((str(other), str(VENV_BIN), SYSTEM_PATH))
    help_run = subprocess.run(
        [str(LAUNCHER), "--help"],
        cwd=tmp_path,
        env=new_terminal(shadowed, tmp_path),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert help_run.stdout.startswith(f"Empieza con: {shlex.quote(str(LAUNCHER))} demo\n"), help_run.stdout
    first = help_run.stdout.splitlines()[0].removeprefix("Empieza con: ")
    assert typed(first, shadowed, tmp_path).stdout.startswith("Uso: ")


def test_an_option_error_points_to_a_help_that_runs(tmp_path: Path) -> None:
    run = subprocess.run(
        [str(LAUNCHER), "download", "--no-such-option"],
        cwd=tmp_path,
        env=new_terminal(SYSTEM_PATH, tmp_path),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert run.returncode == 2
    found = re.search(r"Las opciones están en: (.+) --help \(o el --help", run.stderr.replace("\n", " "))
    assert found is not None, run.stderr
    assert typed(found.group(1), SYSTEM_PATH, tmp_path).stdout.startswith("Empieza con: ")


def test_paths_with_spaces_are_quoted_for_the_shell() -> None:
    from infonavit_fetch.cli.invocation import quoted

    if os.name == "nt":
        assert quoted(r"C:\Users\José Luis\infonavit-fetch.exe") == r'& "C:\Users\José Luis\infonavit-fetch.exe"'
    else:
        assert shlex.split(quoted("/home/josé luis/.venv/bin/infonavit-fetch")) == [
            "/home/josé luis/.venv/bin/infonavit-fetch"
        ]
