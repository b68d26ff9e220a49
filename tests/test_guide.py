"""The guide on screen: a live display with steps and a captcha countdown on a terminal, plain lines
elsewhere."""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import browser_executable


def run_on_a_terminal(
    args: list[str], cwd: Path, *, until: str | None = None, timeout: float = 90, display: str | None = None
) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal; stop it with Ctrl-C once `until` shows."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFONAVIT_")}
    env.update(TERM="xterm-256color", COLUMNS="100", INFONAVIT_BROWSER_PATH=browser_executable())
    env.pop("DISPLAY", None)
    if display:
        env["DISPLAY"] = display
    proc = subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        start_new_session=True,  # its own process group, so Ctrl-C reaches all of it as on a terminal
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + timeout
    interrupted = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if until and not interrupted and until.encode() in seen:
            os.killpg(proc.pid, signal.SIGINT)
            interrupted = True
        if proc.poll() is not None and not ready:
            break
    proc.wait(timeout=30)
    os.close(master)
    return proc.returncode, seen.decode("utf-8", "replace")


def test_steps_are_ticked_on_a_terminal(tmp_path: Path) -> None:
    code, screen = run_on_a_terminal(
        [sys.executable, "-m", "infonavit_fetch", "demo", "--auto", "--headless", "-o", str(tmp_path)], tmp_path
    )
    assert code == 0, screen
    for step in ("Abriendo el portal Mi Cuenta Infonavit", "Sesión iniciada", "Entrando a «Mi Espacio Infonavit»",
                 "Descargando el aviso", "Aviso guardado en"):  # fmt: skip
        assert step in screen
    assert "✓" in screen and "→ " not in screen  # ticked steps, no plain lines
    assert "\x1b[" in screen  # drawn, not printed


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A virtual screen of our own (not xvfb-run, which would stand between Ctrl-C and the tool)."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x960x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    number = b""
    while not number.endswith(b"\n"):
        chunk = os.read(read, 16)
        if not chunk:
            break
        number += chunk
    os.close(read)
    try:
        yield f":{number.decode().strip()}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.skipif(not shutil.which("Xvfb"), reason="needs Xvfb")
def test_countdown_while_the_person_has_the_captcha(tmp_path: Path, xvfb: str) -> None:
    code, screen = run_on_a_terminal(
        [sys.executable, "-m", "infonavit_fetch", "demo", "--captcha-timeout", "120", "-o", str(tmp_path)],
        tmp_path,
        until="⏳",
        display=xvfb,
    )
    assert "Esperando el código de la imagen" in screen
    assert "⏳ 1:5" in screen or "⏳ 2:00" in screen  # minutes and seconds left
    assert code == 130
    assert list(tmp_path.iterdir()) == []


def test_plain_lines_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFONAVIT_")}
    env["INFONAVIT_BROWSER_PATH"] = browser_executable()
    run = subprocess.run(
        [sys.executable, "-m", "infonavit_fetch", "demo", "--auto", "--headless", "-o", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "→ Abriendo el portal Mi Cuenta Infonavit…\n" in run.stderr
    assert "→ Aviso guardado en " in run.stderr
    assert "\x1b[" not in run.stderr
