"""`infonavit-fetch doctor` on this machine: all green with Chromium installed, and clear ✗ lines."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from fixtures.mock_portal import MockPortal
from tests.conftest import browser_executable


def doctor(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("INFONAVIT_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "infonavit_fetch", "doctor", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=full_env,
        timeout=120,
    )


def test_all_green_offline(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("INFONAVIT_NSS=84966311213\nINFONAVIT_PASSWORD=muy-secreta\n")
    result = doctor(tmp_path, "--offline")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "✓ Python 3." in out
    for dependency in ("playwright", "typer", "python-dotenv", "pypdf"):
        assert f"✓ {dependency} " in out
    assert "✓ navegador: " in out and "✓ el navegador arranca" in out
    assert f"✓ se puede guardar en {tmp_path.resolve()}" in out
    assert "define INFONAVIT_NSS, INFONAVIT_PASSWORD" in out
    assert "muy-secreta" not in out and "84966311213" not in out  # names, never values
    assert "Todo listo." in out


def test_portal_answers(portal: MockPortal, tmp_path: Path) -> None:
    result = doctor(tmp_path, "--portal-url", portal.url)
    assert result.returncode == 0, result.stdout
    assert f"✓ el portal responde ({portal.url}, HTTP 200)" in result.stdout


def test_portal_in_maintenance_is_a_cross(start_portal: Callable[..., MockPortal], tmp_path: Path) -> None:
    portal = start_portal(failure="maintenance")
    result = doctor(tmp_path, "--portal-url", portal.url)
    assert result.returncode == 1
    assert "✗ el portal respondió HTTP 503" in result.stdout
    assert "→ Intenta más tarde" in result.stdout


def test_missing_browser_and_bad_env_file_say_how_to_fix(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("esto no sirve\n")
    result = doctor(tmp_path, "--offline", "--browser-path", str(tmp_path / "no-existe"))
    assert result.returncode == 1
    assert "✗ No existe el navegador indicado" in result.stdout
    assert "✗ el archivo" in result.stdout and "NOMBRE=valor" in result.stdout
    assert "Hay algo que arreglar" in result.stdout


def test_uses_the_browser_named_in_the_environment(tmp_path: Path) -> None:
    result = doctor(tmp_path, "--offline", env={"INFONAVIT_BROWSER_PATH": browser_executable()})
    assert result.returncode == 0
    assert f"navegador: indicado en {browser_executable()}" in result.stdout
